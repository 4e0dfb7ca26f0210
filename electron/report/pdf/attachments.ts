/**
 * Reads an embedded file out of a PDF (ISO 32000-1 §7.11.4: file specification → /EF → embedded
 * file stream). Small and strict on purpose: it has to find the attestation inside PDFs that
 * Proofdesk wrote (uncompressed, no object streams), and it must never crash or hang on a
 * damaged or hostile file — it only ever answers "here are the bytes" or "not found, because".
 * Whether the rest of the PDF is intact is decided elsewhere, by re-rendering and comparing.
 */
import { inflateSync } from 'node:zlib';
import { MAX_ENVELOPE_BYTES } from '../../../shared/report/dsse.js';

/** Largest embedded file returned: no attachment can be larger than the envelope limit. */
const MAX_ATTACHMENT_BYTES = MAX_ENVELOPE_BYTES;
const MAX_DICT_CHARS = 64 * 1024;

export type AttachmentLookup =
  | { readonly ok: true; readonly bytes: Uint8Array; readonly object: number }
  | { readonly ok: false; readonly reason: 'NOT_FOUND' | 'MALFORMED'; readonly detail: string };

interface PdfObject {
  readonly num: number;
  /** Offset just after "obj". */
  readonly bodyStart: number;
}

/** Top-level entries of a dictionary: key (without '/') → raw value text. */
type Dict = Map<string, string>;

const WS = /[\0\t\n\f\r ]/;

/** Offset of the end of a literal string starting at `i` (a '('), honouring escapes and nesting; -1 if unterminated. */
function skipString(t: string, i: number): number {
  let depth = 0;
  for (let k = i; k < t.length && k - i < MAX_DICT_CHARS; k++) {
    const c = t[k];
    if (c === '\\') k++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return k + 1;
  }
  return -1;
}

/**
 * Parses the dictionary starting at `i` (which must be '<<'). Returns its top-level entries and
 * the offset after its closing '>>', or undefined when it is not a well-formed dictionary.
 */
function parseDict(t: string, i: number): { dict: Dict; end: number } | undefined {
  if (t.slice(i, i + 2) !== '<<') return undefined;
  const dict: Dict = new Map();
  let k = i + 2;
  let depth = 1;
  let brackets = 0;
  let key: string | undefined;
  let valueStart = -1;
  const closeValue = (end: number) => {
    if (key !== undefined && valueStart >= 0) dict.set(key, t.slice(valueStart, end).trim());
    key = undefined;
    valueStart = -1;
  };
  while (k < t.length) {
    if (k - i > MAX_DICT_CHARS) return undefined;
    const c = t[k]!;
    if (c === '(') {
      const e = skipString(t, k);
      if (e < 0) return undefined;
      k = e;
      continue;
    }
    if (t.startsWith('<<', k)) {
      depth++;
      k += 2;
      continue;
    }
    if (t.startsWith('>>', k)) {
      depth--;
      if (depth === 0) {
        closeValue(k);
        return { dict, end: k + 2 };
      }
      k += 2;
      continue;
    }
    if (c === '[' || c === ']') {
      brackets += c === '[' ? 1 : -1;
      k++;
      continue;
    }
    if (c === '/' && depth === 1 && brackets === 0) {
      // A name at depth 1 is either a key or the value of the current key.
      let e = k + 1;
      while (e < t.length && !WS.test(t[e]!) && !'/<>[]()'.includes(t[e]!)) e++;
      const name = t.slice(k + 1, e);
      if (key === undefined) {
        key = name;
        valueStart = e;
      } else if (valueStart >= 0 && t.slice(valueStart, k).trim() === '') {
        dict.set(key, `/${name}`);
        key = undefined;
        valueStart = -1;
      } else {
        closeValue(k);
        key = name;
        valueStart = e;
      }
      k = e;
      continue;
    }
    k++;
  }
  return undefined;
}

/** Every "N G obj" header, in file order. A later definition of a number replaces an earlier one (incremental updates). */
function objectHeaders(t: string): Map<number, PdfObject[]> {
  const out = new Map<number, PdfObject[]>();
  const re = /(?:^|[\r\n])(\d{1,10})[ \t]+(\d{1,5})[ \t]+obj\b/g;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    const num = Number(m[1]);
    const list = out.get(num) ?? [];
    list.push({ num, bodyStart: m.index + m[0].length });
    out.set(num, list);
  }
  return out;
}

function dictAt(t: string, o: PdfObject): { dict: Dict; end: number } | undefined {
  let k = o.bodyStart;
  while (k < t.length && WS.test(t[k]!)) k++;
  return parseDict(t, k);
}

/** Decodes a PDF string value: literal (ASCII escapes) or hex; undefined for anything else. */
function pdfString(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v.startsWith('(') && v.endsWith(')')) {
    return v.slice(1, -1).replace(/\\([nrtbf()\\]|[0-7]{1,3})/g, (_, e: string) => {
      const map: Record<string, string> = {
        n: '\n',
        r: '\r',
        t: '\t',
        b: '\b',
        f: '\f',
        '(': '(',
        ')': ')',
        '\\': '\\',
      };
      return map[e] ?? String.fromCharCode(parseInt(e, 8));
    });
  }
  const hex = /^<([0-9a-fA-F\s]*)>$/.exec(v);
  if (hex) {
    const b = Buffer.from(hex[1]!.replace(/\s/g, ''), 'hex');
    // UTF-16BE with a byte-order mark, as PDF text strings use for non-ASCII text.
    if (b[0] === 0xfe && b[1] === 0xff) return Buffer.from(b.subarray(2)).swap16().toString('utf16le');
    return b.toString('latin1');
  }
  return undefined;
}

function refTarget(v: string | undefined): number | undefined {
  const m = v === undefined ? null : /^(\d{1,10})\s+\d{1,5}\s+R$/.exec(v);
  return m ? Number(m[1]) : undefined;
}

/**
 * Finds the embedded file called `name` and returns its (decoded) bytes. Looks at every file
 * specification dictionary whose /UF or /F is `name`; with several, the last one in the file
 * wins (as a reader applying incremental updates would see it).
 */
export function extractAttachment(pdf: Uint8Array, name: string): AttachmentLookup {
  const t = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  if (!t.startsWith('%PDF-')) return { ok: false, reason: 'MALFORMED', detail: 'the file does not start with %PDF-' };
  const headers = objectHeaders(t);
  let target: number | undefined;
  for (const list of headers.values()) {
    for (const o of list) {
      const d = dictAt(t, o)?.dict;
      if (d?.get('Type') !== '/Filespec') continue;
      if (pdfString(d.get('UF')) !== name && pdfString(d.get('F')) !== name) continue;
      const ef = d.get('EF');
      const inner = ef === undefined ? undefined : parseDict(ef, 0)?.dict;
      const ref = refTarget(inner?.get('F') ?? inner?.get('UF'));
      if (ref !== undefined) target = ref;
    }
  }
  if (target === undefined) return { ok: false, reason: 'NOT_FOUND', detail: `no embedded file named ${name}` };
  const defs = headers.get(target);
  const o = defs?.[defs.length - 1];
  if (!o) return { ok: false, reason: 'MALFORMED', detail: `embedded file object ${target} is missing` };
  const parsed = dictAt(t, o);
  if (!parsed) return { ok: false, reason: 'MALFORMED', detail: `object ${target} is not a dictionary` };
  const len = parsed.dict.get('Length');
  if (len === undefined || !/^\d{1,10}$/.test(len))
    return { ok: false, reason: 'MALFORMED', detail: `object ${target} has no direct /Length` };
  const length = Number(len);
  if (length > MAX_ATTACHMENT_BYTES)
    return { ok: false, reason: 'MALFORMED', detail: `embedded file is larger than ${MAX_ATTACHMENT_BYTES} bytes` };
  const m = /^[\0\t\f ]*stream(\r\n|\n)/.exec(
    t.slice(parsed.end, parsed.end + 32).replace(/^[\r\n]+/, (x) => ' '.repeat(x.length)),
  );
  if (!m) return { ok: false, reason: 'MALFORMED', detail: `object ${target} has no stream` };
  const start = parsed.end + m[0].length;
  if (start + length > pdf.length)
    return { ok: false, reason: 'MALFORMED', detail: `the stream of object ${target} runs past the end of the file` };
  if (!/^\s*endstream/.test(t.slice(start + length, start + length + 32)))
    return {
      ok: false,
      reason: 'MALFORMED',
      detail: `the stream of object ${target} does not end where its /Length says`,
    };
  let bytes: Uint8Array = pdf.slice(start, start + length);
  const filter = parsed.dict.get('Filter');
  if (filter === '/FlateDecode') {
    try {
      bytes = new Uint8Array(inflateSync(bytes, { maxOutputLength: MAX_ATTACHMENT_BYTES }));
    } catch {
      return { ok: false, reason: 'MALFORMED', detail: `the stream of object ${target} does not inflate` };
    }
  } else if (filter !== undefined)
    return { ok: false, reason: 'MALFORMED', detail: `unsupported stream filter ${filter}` };
  return { ok: true, bytes, object: target };
}
