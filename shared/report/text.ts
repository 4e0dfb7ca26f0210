/**
 * Locale-independent text formatting for reports. Rendering must give the same bytes on every
 * machine, so nothing here consults the host's locale, time zone or ICU data.
 */
import type { Finding, Location } from '../verdict/findings.js';

/** 1234567 → "1,234,567". Requires a finite number; fractions are printed as JavaScript does. */
export function groupThousands(n: number): string {
  const [int, frac] = String(Math.abs(n)).split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
}

/** "2026-11-26T15:52:43.120Z" → "2026-11-26 15:52:43.120 UTC"; anything else is returned as is. */
export function formatUtc(rfc3339: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d+)?)Z$/.exec(rfc3339);
  return m ? `${m[1]} ${m[2]} UTC` : rfc3339;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${groupThousands(n)} ${n === 1 ? one : many}`;
}

/** "entries.jsonl, entry 17, byte 4,521": where a finding points, most specific last. */
export function formatLocation(l: Location): string {
  const parts: string[] = [];
  if (l.file !== undefined) parts.push(l.file);
  if (l.entry !== undefined) parts.push(`entry ${l.entry}`);
  if (l.offset !== undefined) parts.push(`byte ${l.offset}`);
  if (l.checkpointSize !== undefined) parts.push(`checkpoint size ${l.checkpointSize}`);
  if (l.range)
    parts.push(l.range[1] - l.range[0] === 1 ? `entry ${l.range[0]}` : `entries ${l.range[0]}..${l.range[1] - 1}`);
  if (l.path !== undefined) parts.push(l.path);
  return parts.join(', ') || '(bundle)';
}

/** Evidence as label/value pairs: expected and actual first, then the rest by name. */
export function evidencePairs(f: Finding): Array<[string, string]> {
  const e = f.evidence;
  if (!e) return [];
  const keys = Object.keys(e).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return keys.map((k) => [k, e[k] === null ? 'null' : String(e[k])]);
}

function rank(k: string): number {
  return k === 'expected' ? 0 : k === 'actual' ? 1 : 2;
}

/**
 * One CSV field (RFC 4180 §2): quoted when it holds a comma, quote or line break. A field that a
 * spreadsheet would run as a formula (leading = + - @, tab or CR) gets a leading apostrophe:
 * messages and file names come from the evidence, which an attacker may have written.
 */
export function csvField(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(fields: readonly string[]): string {
  return fields.map(csvField).join(',') + '\r\n';
}
