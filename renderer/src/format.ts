/** Display helpers: numbers, sizes, durations, hashes. */

export const num = (n: number) => n.toLocaleString('en-US');

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** First and last characters of a hex hash, for places where the full value is a tooltip away. */
export const shortHash = (h: string, n = 12) => (h.length > 2 * n ? `${h.slice(0, n)}…${h.slice(-4)}` : h);

export function baseName(p: string): string {
  const parts = p.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? p;
}

/** A width of time as a reader names it: 1 min, 10 s, 2 h, 1 d (exact multiples), else a duration. */
export function span(ms: number): string {
  const units: Array<[number, string]> = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1000, 's'],
    [1, 'ms'],
  ];
  for (const [u, name] of units) if (ms >= u && ms % u === 0) return `${ms / u} ${name}`;
  return duration(ms);
}
