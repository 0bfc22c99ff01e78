// NodeIntent -> FRR configuration text, from the templates in frr-templates/.
// Pure and deterministic: the intent is already sorted, so identical input
// gives byte-identical output.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { NodeIntent } from '../translate/intent.ts';
import { NO_SECRETS, type SecretReader, sessionsView } from './frr-sessions.ts';
import { bgpVrfs, exitPolicyView, globalRoutes, vrfBlocks } from './frr-vrf.ts';
import { renderTemplate, type TemplateSet } from './template.ts';

export const DEFAULT_TEMPLATE_DIR = fileURLToPath(new URL('../../frr-templates/', import.meta.url));
const PARTIALS = [
  'bgp',
  'neighbor',
  'peer',
  'bfd',
  'ospf',
  'isis',
  'openfabric',
  'evpn',
  'vni',
  'vrf',
  'bgp-vrf',
  'exit-policy',
] as const;

export function loadTemplates(dir: string = DEFAULT_TEMPLATE_DIR): TemplateSet {
  const read = (name: string) => readFileSync(`${dir}/${name}.tmpl`, 'utf8');
  return { main: read('frr.conf'), partials: Object.fromEntries(PARTIALS.map((p) => [p, read(p)])) };
}

// Only L2VNIs with explicit RD/RTs need a `vni` block; the rest use auto RD/RT.
function vniBlocks(intent: NodeIntent) {
  return intent.l2vnis
    .filter((v) => v.rd !== undefined || v.importRTs.length > 0 || v.exportRTs.length > 0)
    .map((v) => ({ vni: v.vni, rd: v.rd, importRTs: v.importRTs, exportRTs: v.exportRTs }));
}

// Passwords are read through `read` (controller/secrets.ts on a node; a fake
// in goldens), so only the text written for FRR ever holds them.
export function renderFrr(intent: NodeIntent, templates: TemplateSet, read: SecretReader = NO_SECRETS): string {
  const exitPolicy = exitPolicyView(intent);
  const sessions = sessionsView(intent, read, exitPolicy?.out?.routeMap, exitPolicy?.in?.routeMap);
  return renderTemplate(templates, {
    ...intent,
    ...sessions,
    hasBfdProfiles: sessions.bfdProfiles.length > 0,
    // eBGP on the uplinks, or an IGP under iBGP: the templates render one or the other
    ebgpUnderlay: intent.underlay && !intent.underlay.igp ? intent.underlay : undefined,
    igp: igpView(intent),
    vniBlocks: vniBlocks(intent),
    vrfBlocks: vrfBlocks(intent),
    globalRoutes: globalRoutes(intent),
    bgpVrfs: bgpVrfs(intent),
    exitPolicy,
    exitRouteMap: exitPolicy?.out?.routeMap,
    evpnInRouteMap: exitPolicy?.in?.routeMap,
  });
}

// The IGP's block: one of ospf.tmpl, isis.tmpl, openfabric.tmpl (a flag per protocol).
function igpView(intent: NodeIntent) {
  const igp = intent.underlay?.igp;
  if (!igp) return undefined;
  return { ...igp, uplinks: intent.underlay?.uplinks ?? [], [igp.protocol]: true };
}

// An empty desired set still yields a valid file: FRR ends with no BGP.
export function renderEmptyFrr(node: string): string {
  return `! Rendered by routerd-evpn for node ${node}: no EVPNFabric is applied.\n!\n`;
}
