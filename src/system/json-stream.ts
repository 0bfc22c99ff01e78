// vtysh with several `-c ... json` prints the JSON documents back to back, one
// per command that printed anything. Some commands print nothing at all (FRR
// 8.4 `show evpn vni json` with EVPN disabled), so the number of documents can
// be lower than the number of commands: callers that need a document per
// command must run one command per call.

export class JsonStreamError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = 'JsonStreamError';
    this.offset = offset;
  }
}

function snippet(text: string, at: number): string {
  const s = text.slice(at, at + 40).replace(/\s+/g, ' ');
  return at + 40 < text.length ? `${s}...` : s;
}

// Finds the end of the object/array starting at `start`, tracking strings and
// escapes so braces inside strings do not count. Returns the index after it.
function scanDocument(text: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  let escaped = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') stack.push(c === '{' ? '}' : ']');
    else if (c === '}' || c === ']') {
      if (stack.pop() !== c) {
        throw new JsonStreamError(`unbalanced '${c}' at offset ${i} in JSON document starting at offset ${start}`, i);
      }
      if (stack.length === 0) return i + 1;
    }
  }
  throw new JsonStreamError(`unterminated JSON document starting at offset ${start}: ${snippet(text, start)}`, start);
}

// FRR 10.3 prints `{\n,"numPrefix":0,"numPaths":0}` for `show bgp l2vpn evpn
// route [type ...] json` when the table is empty: an object that opens with a
// comma. That one known defect is repaired; any other invalid JSON throws.
const FRR10_EMPTY_TABLE = /^\{\s*,/;

function parseDocument(doc: string, n: number, offset: number): unknown {
  try {
    return JSON.parse(doc);
  } catch (err) {
    if (FRR10_EMPTY_TABLE.test(doc)) {
      try {
        return JSON.parse(doc.replace(FRR10_EMPTY_TABLE, '{'));
      } catch {
        // not that defect after all: report the original error
      }
    }
    const reason = err instanceof Error ? err.message : String(err);
    throw new JsonStreamError(`invalid JSON document ${n} at offset ${offset}: ${reason}`, offset);
  }
}

/**
 * Splits concatenated JSON documents (objects or arrays, separated by any
 * whitespace) into parsed values, in order. Empty or blank text gives [].
 * Anything else between documents (e.g. a vtysh "% Unknown command") throws
 * a JsonStreamError naming the offset and the text found there.
 */
export function splitJsonDocuments(text: string): unknown[] {
  const docs: unknown[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\n' || c === '\r' || c === '\t') {
      i++;
      continue;
    }
    if (c !== '{' && c !== '[') {
      throw new JsonStreamError(`expected a JSON object or array at offset ${i}, found: ${snippet(text, i)}`, i);
    }
    const end = scanDocument(text, i);
    docs.push(parseDocument(text.slice(i, end), docs.length + 1, i));
    i = end;
  }
  return docs;
}
