// The logic-less template engine behind the FRR renderer.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseTemplate, renderTemplate } from '../../src/render/template.ts';

const render = (main: string, view: unknown, partials: Record<string, string> = {}) =>
  renderTemplate({ main, partials }, view);

describe('variables', () => {
  test('plain and spaced tags', () => {
    assert.equal(
      render('router bgp {{asn}}\n bgp router-id {{ routerId }}\n', { asn: 65000, routerId: '10.0.0.1' }),
      'router bgp 65000\n bgp router-id 10.0.0.1\n',
    );
  });

  test('values are not escaped (FRR text, not HTML)', () => {
    assert.equal(render('{{a}}', { a: '<x & "y">' }), '<x & "y">');
  });

  test('zero and false render as text', () => {
    assert.equal(render('{{a}} {{b}}', { a: 0, b: false }), '0 false');
  });

  test('dotted names reach into objects', () => {
    assert.equal(render('{{a.b.c}}/{{a.d}}', { a: { b: { c: 'deep' }, d: 7 } }), 'deep/7');
  });

  test('names resolve in the innermost context first, then outward', () => {
    const view = { vtep: '10.0.0.1', name: 'outer', neighbors: [{ address: '10.0.0.2', name: 'inner' }] };
    assert.equal(render('{{#neighbors}}{{address}} {{name}} {{vtep}}{{/neighbors}}', view), '10.0.0.2 inner 10.0.0.1');
  });

  test('a dotted name binds at the first context that has its head', () => {
    // inner has `a` without `b`: mustache semantics do not fall back outward.
    assert.throws(
      () => render('{{#items}}{{a.b}}{{/items}}', { a: { b: 'outer' }, items: [{ a: {} }] }),
      /no value for \{\{a\.b\}\}/,
    );
  });

  test('{{.}} is the current item', () => {
    assert.equal(
      render('{{#rts}}route-target import {{.}}\n{{/rts}}', { rts: ['65000:1', '*:2'] }),
      'route-target import 65000:1\nroute-target import *:2\n',
    );
  });

  test('a missing value is an error naming the tag', () => {
    assert.throws(() => render('router bgp {{asn}}', {}), { message: 'template: no value for {{asn}}' });
    assert.throws(() => render('{{a.b}}', { a: {} }), { message: 'template: no value for {{a.b}}' });
    assert.throws(() => render('{{a}}', { a: null }), /no value for \{\{a\}\}/);
  });
});

describe('sections', () => {
  test('over an array: once per item, item as context', () => {
    assert.equal(render('{{#n}}[{{x}}]{{/n}}', { n: [{ x: 1 }, { x: 2 }, { x: 3 }] }), '[1][2][3]');
  });

  test('over an empty array: nothing', () => {
    assert.equal(render('a{{#n}}[{{x}}]{{/n}}b', { n: [] }), 'ab');
  });

  test('over an object: once, with the object as context', () => {
    assert.equal(
      render('{{#dad}}max-moves {{maxMoves}} time {{time}}{{/dad}}', { dad: { maxMoves: 3, time: 60 } }),
      'max-moves 3 time 60',
    );
  });

  test('over booleans, strings and numbers: truthiness', () => {
    const t = '{{#on}}ON{{/on}}{{#off}}OFF{{/off}}';
    assert.equal(render(t, { on: true, off: false }), 'ON');
    assert.equal(render(t, { on: 'x', off: '' }), 'ON');
    assert.equal(render(t, { on: 1, off: 0 }), 'ON');
    assert.equal(render(t, {}), '', 'a missing section value is simply false');
  });

  test('a scalar section value is {{.}} inside', () => {
    assert.equal(
      render('{{#clusterId}}bgp cluster-id {{.}}{{/clusterId}}', { clusterId: '10.0.0.100' }),
      'bgp cluster-id 10.0.0.100',
    );
  });

  test('nested sections', () => {
    const view = {
      vnis: [
        { vni: 1, rts: ['a', 'b'] },
        { vni: 2, rts: [] },
      ],
    };
    assert.equal(render('{{#vnis}}{{vni}}:{{#rts}}{{.}},{{/rts}};{{/vnis}}', view), '1:a,b,;2:;');
  });

  test('inverted sections render when the value is false, empty or missing', () => {
    const t = '{{^x}}none{{/x}}';
    assert.equal(render(t, { x: false }), 'none');
    assert.equal(render(t, { x: [] }), 'none');
    assert.equal(render(t, {}), 'none');
    assert.equal(render(t, { x: [1] }), '');
    assert.equal(render(t, { x: true }), '');
  });
});

describe('partials', () => {
  test('a partial renders in the current context', () => {
    const out = render(
      '{{#neighbors}}{{> neighbor}}{{/neighbors}}',
      { asn: 65000, neighbors: [{ address: '10.0.0.2' }, { address: '10.0.0.3' }] },
      { neighbor: ' neighbor {{address}} remote-as {{asn}}\n' },
    );
    assert.equal(out, ' neighbor 10.0.0.2 remote-as 65000\n neighbor 10.0.0.3 remote-as 65000\n');
  });

  test('partials may include partials', () => {
    assert.equal(render('<{{>a}}>', { v: 'x' }, { a: '[{{> b}}]', b: '{{v}}' }), '<[x]>');
  });

  test('an unknown partial is an error', () => {
    assert.throws(() => render('{{> missing}}', {}), { message: 'template: unknown partial {{> missing}}' });
  });

  test('an unused unknown partial inside a false section is not an error', () => {
    assert.equal(render('{{#no}}{{> missing}}{{/no}}ok', {}), 'ok');
  });
});

describe('standalone lines', () => {
  test('a line holding only a section tag (with indentation) renders nothing', () => {
    const t = 'router bgp 1\n  {{#cluster}}\n bgp cluster-id {{cluster}}\n  {{/cluster}}\n exit\n';
    assert.equal(render(t, { cluster: '1.1.1.1' }), 'router bgp 1\n bgp cluster-id 1.1.1.1\n exit\n');
    assert.equal(render(t, {}), 'router bgp 1\n exit\n');
  });

  test('consecutive standalone tags and inverted sections', () => {
    const t = 'a\n{{#x}}\n{{#y}}\nboth\n{{/y}}\n{{^y}}\nx only\n{{/y}}\n{{/x}}\nz\n';
    assert.equal(render(t, { x: true, y: true }), 'a\nboth\nz\n');
    assert.equal(render(t, { x: true, y: false }), 'a\nx only\nz\n');
    assert.equal(render(t, { x: false }), 'a\nz\n');
  });

  test('a standalone partial line leaves only the partial output', () => {
    assert.equal(render('a\n{{> p}}\nb\n', {}, { p: 'P\n' }), 'a\nP\nb\n');
  });

  test('CRLF line ends are standalone too', () => {
    assert.equal(render('a\r\n{{#x}}\r\nX\r\n{{/x}}\r\nb', { x: true }), 'a\r\nX\r\nb');
  });

  test('tags sharing a line with text keep the line', () => {
    assert.equal(render('  {{#x}}X{{/x}}  \nb', { x: true }), '  X  \nb');
    assert.equal(render('v={{v}}\n', { v: 1 }), 'v=1\n');
  });
});

describe('parse errors', () => {
  test('unclosed section', () => {
    assert.throws(() => parseTemplate('{{#a}}x'), { message: 'template: unclosed section {{#a}}' });
    assert.throws(() => render('{{#a}}{{#b}}x{{/b}}', {}), { message: 'template: unclosed section {{#a}}' });
  });

  test('closing the wrong section', () => {
    assert.throws(() => parseTemplate('{{#a}}{{#b}}{{/a}}{{/b}}'), { message: 'template: {{/a}} closes {{#b}}' });
  });

  test('a stray closing tag', () => {
    assert.throws(() => parseTemplate('x{{/a}}'), /closes/);
  });

  test('parse tree of a small template', () => {
    assert.deepEqual(parseTemplate('a {{b}}\n{{#c}}\n{{.}}\n{{/c}}\n'), [
      { type: 'text', value: 'a ' },
      { type: 'var', name: 'b' },
      { type: 'text', value: '\n' },
      {
        type: 'section',
        name: 'c',
        inverted: false,
        children: [
          { type: 'var', name: '.' },
          { type: 'text', value: '\n' },
        ],
      },
    ]);
  });
});
