/**
 * How Proofdesk writes numbers, entries and ranges in sentences. One module, so the CLI, the
 * app and the PDF say the same thing in the same words. Entry numbers are the 0-based entry
 * indexes used everywhere in results and findings.
 */

/** 1234567 -> "1,234,567" (fixed grouping, not the machine's locale: the PDF must not depend on it). */
export function num(n: number): string {
  const s = Math.trunc(Math.abs(n)).toString();
  let out = '';
  for (let k = 0; k < s.length; k++) {
    if (k > 0 && (s.length - k) % 3 === 0) out += ',';
    out += s[k];
  }
  return (n < 0 ? '-' : '') + out;
}

/** "1 entry", "2 entries". */
export function count(n: number, one: string, many: string): string {
  return `${num(n)} ${n === 1 ? one : many}`;
}

export function entriesCount(n: number): string {
  return count(n, 'entry', 'entries');
}

/** [from, to) as words: "entry 7", "entries 7–9". */
export function entrySpan(from: number, to: number): string {
  if (to - from <= 1) return `entry ${num(from)}`;
  return `entries ${num(from)}–${num(to - 1)}`;
}

/** Seq values [from, to): "seq 7", "seq 7–9". */
export function seqSpan(from: number, to: number): string {
  if (to - from <= 1) return `seq ${num(from)}`;
  return `seq ${num(from)}–${num(to - 1)}`;
}

/** "the signed checkpoint of size 100,000" / "the signed checkpoints of sizes 100 and 200". */
export function checkpointSizes(sizes: readonly number[]): string {
  const s = [...new Set(sizes)].sort((a, b) => a - b);
  if (s.length === 1) return `the signed checkpoint of size ${num(s[0] as number)}`;
  if (s.length > 3)
    return `${num(s.length)} signed checkpoints (sizes ${num(s[0] as number)} to ${num(s[s.length - 1] as number)})`;
  return `the signed checkpoints of sizes ${joinAnd(s.map(num))}`;
}

/** Joins sentence parts: "a", "a and b", "a, b and c". */
export function joinAnd(parts: readonly string[]): string {
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** First letter upper case. */
export function capitalize(s: string): string {
  return s.length ? (s[0] as string).toUpperCase() + s.slice(1) : s;
}
