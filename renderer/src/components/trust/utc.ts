/** An RFC 3339 UTC time from a datetime-local value read as UTC, or undefined when empty. */
export function utcOf(v: string): string | undefined {
  if (!v) return undefined;
  const withSeconds = v.length === 16 ? `${v}:00` : v;
  return `${withSeconds}Z`;
}
