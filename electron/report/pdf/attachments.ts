/**
 * Reads an embedded file out of a PDF (ISO 32000-1 §7.11.4: file specification → /EF → embedded
 * file stream). Small and strict on purpose: it has to find the attestation inside PDFs that
 * Proofdesk wrote (uncompressed, no object streams), and it must never crash or hang on a
 * damaged or hostile file — it only ever answers "here are the bytes" or "not found, because".
 * Whether the rest of the PDF is intact is decided elsewhere, by re-rendering and comparing.
 */
import { readSync } from 'node:fs';
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
  /** File offset just after "obj". */
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

/** Random access to the bytes of a report: a file read piece by piece, or bytes in memory. */
export interface ByteSource {
  readonly size: number;
  /** `length` bytes from `offset` (fewer only at the end). */
  read(offset: number, length: number): Uint8Array;
}

export function bufferSource(b: Uint8Array): ByteSource {
  return { size: b.length, read: (offset, length) => b.subarray(offset, Math.min(b.length, offset + length)) };
}

/** An open file as a ByteSource; reads go to the descriptor that was checked. */
export function fdSource(fd: number, size: number): ByteSource {
  return {
    size,
    read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      const buf = Buffer.allocUnsafe(n);
      let done = 0;
      while (done < n) {
        const r = readSync(fd, buf, done, n - done, offset + done);
        if (r <= 0) break;
        done += r;
      }
      return buf.subarray(0, done);
    },
  };
}

/** The file is scanned in pieces of this size: its whole text is never held (a report can carry 500 MB of junk). */
const SCAN_CHUNK = 8 * 1024 * 1024;
/** Bytes read on each side of a piece, so a header or name cut by its edge is seen whole. */
const OVERLAP = 256;
/** More distinct objects than any report has; past it, the file is not a report. */
const MAX_OBJECTS = 1_000_000;
const MAX_FILESPECS = 10_000;
const HEADER = /[\r\n](\d{1,10})[ \t]+(\d{1,5})[ \t]+obj\b/g;
const FILESPEC = '/Filespec';

interface Scan {
  /** The last definition of each object number (incremental updates replace earlier ones). */
  readonly last: Map<number, number>;
  /** Objects that hold "/Filespec", in file order. */
  readonly filespecs: PdfObject[];
}

/** Every "N G obj" header and every object holding "/Filespec", in one pass over the file in pieces. */
function scanObjects(src: ByteSource): Scan | string {
  const last = new Map<number, number>();
  const filespecs: PdfObject[] = [];
  let current: PdfObject | undefined;
  for (let pos = 0; pos < src.size; pos += SCAN_CHUNK) {
    const from = Math.max(0, pos - OVERLAP);
    const bytes = src.read(from, pos + SCAN_CHUNK + OVERLAP - from);
    // A header at the very start of the file has no line break before it: give it one.
    const t =
      (from === 0 ? '\n' : '') + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    const base = from - (from === 0 ? 1 : 0);
    const events: Array<{ at: number; header?: PdfObject }> = [];
    HEADER.lastIndex = 0;
    for (let m = HEADER.exec(t); m; m = HEADER.exec(t)) {
      const at = base + m.index + 1;
      if (at < pos || at >= pos + SCAN_CHUNK) continue;
      events.push({ at, header: { num: Number(m[1]), bodyStart: base + m.index + m[0].length } });
    }
    for (let i = t.indexOf(FILESPEC); i >= 0; i = t.indexOf(FILESPEC, i + 1)) {
      const at = base + i;
      if (at >= pos && at < pos + SCAN_CHUNK) events.push({ at });
    }
    events.sort((a, b) => a.at - b.at);
    for (const e of events) {
      if (e.header) {
        current = e.header;
        last.set(e.header.num, e.header.bodyStart);
        if (last.size > MAX_OBJECTS) return `more than ${MAX_OBJECTS} objects`;
      } else if (current && filespecs.at(-1) !== current) {
        filespecs.push(current);
        if (filespecs.length > MAX_FILESPECS) return `more than ${MAX_FILESPECS} file specifications`;
      }
    }
  }
  return { last, filespecs };
}

/** The dictionary of the object whose body starts at `bodyStart`, read from a window of the file. */
function dictAt(src: ByteSource, bodyStart: number): { dict: Dict; window: string; end: number } | undefined {
  const w = src.read(bodyStart, MAX_DICT_CHARS + 2048);
  const t = Buffer.from(w.buffer, w.byteOffset, w.byteLength).toString('latin1');
  let k = 0;
  while (k < 2048 && k < t.length && WS.test(t[k]!)) k++;
  const parsed = parseDict(t, k);
  return parsed && { dict: parsed.dict, window: t, end: parsed.end };
}

/**
 * Finds the embedded file called `name` and returns its (decoded) bytes. Looks at every file
 * specification dictionary whose /UF or /F is `name`; with several, the last one in the file
 * wins (as a reader applying incremental updates would see it). Reads the file in pieces:
 * memory stays bounded by the attachment's own size, whatever else the file holds.
 */
export function extractAttachment(pdf: Uint8Array | ByteSource, name: string): AttachmentLookup {
  const src = pdf instanceof Uint8Array ? bufferSource(pdf) : pdf;
  const magic = src.read(0, 5);
  if (Buffer.from(magic.buffer, magic.byteOffset, magic.byteLength).toString('latin1') !== '%PDF-')
    return { ok: false, reason: 'MALFORMED', detail: 'the file does not start with %PDF-' };
  const scan = scanObjects(src);
  if (typeof scan === 'string') return { ok: false, reason: 'MALFORMED', detail: scan };
  let target: number | undefined;
  for (const o of scan.filespecs) {
    const d = dictAt(src, o.bodyStart)?.dict;
    if (d?.get('Type') !== '/Filespec') continue;
    if (pdfString(d.get('UF')) !== name && pdfString(d.get('F')) !== name) continue;
    const ef = d.get('EF');
    const inner = ef === undefined ? undefined : parseDict(ef, 0)?.dict;
    const ref = refTarget(inner?.get('F') ?? inner?.get('UF'));
    if (ref !== undefined) target = ref;
  }
  if (target === undefined) return { ok: false, reason: 'NOT_FOUND', detail: `no embedded file named ${name}` };
  const bodyStart = scan.last.get(target);
  if (bodyStart === undefined)
    return { ok: false, reason: 'MALFORMED', detail: `embedded file object ${target} is missing` };
  const parsed = dictAt(src, bodyStart);
  if (!parsed) return { ok: false, reason: 'MALFORMED', detail: `object ${target} is not a dictionary` };
  const len = parsed.dict.get('Length');
  if (len === undefined || !/^\d{1,10}$/.test(len))
    return { ok: false, reason: 'MALFORMED', detail: `object ${target} has no direct /Length` };
  const length = Number(len);
  if (length > MAX_ATTACHMENT_BYTES)
    return { ok: false, reason: 'MALFORMED', detail: `embedded file is larger than ${MAX_ATTACHMENT_BYTES} bytes` };
  const m = /^[\0\t\f ]*stream(\r\n|\n)/.exec(
    parsed.window.slice(parsed.end, parsed.end + 32).replace(/^[\r\n]+/, (x) => ' '.repeat(x.length)),
  );
  if (!m) return { ok: false, reason: 'MALFORMED', detail: `object ${target} has no stream` };
  const start = bodyStart + parsed.end + m[0].length;
  if (start + length > src.size)
    return { ok: false, reason: 'MALFORMED', detail: `the stream of object ${target} runs past the end of the file` };
  const after = src.read(start + length, 32);
  if (!/^\s*endstream/.test(Buffer.from(after.buffer, after.byteOffset, after.byteLength).toString('latin1')))
    return {
      ok: false,
      reason: 'MALFORMED',
      detail: `the stream of object ${target} does not end where its /Length says`,
    };
  let bytes: Uint8Array = src.read(start, length);
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
