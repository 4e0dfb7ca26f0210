/**
 * Times as the examiner reads them: always with the date and always with the zone named. UTC by
 * default (the custody journal and the CLI speak UTC); the machine's own zone on request, then
 * with its offset, so a time copied into a note can never be read in the wrong zone.
 */
export type Zone = 'UTC' | 'local';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The machine's zone name (e.g. Europe/Berlin). */
export function localZoneName(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
  } catch {
    return 'local time';
  }
}

function offsetText(minutesEast: number): string {
  const sign = minutesEast < 0 ? '−' : '+';
  const m = Math.abs(minutesEast);
  return `UTC${sign}${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/**
 * "2026-12-05 23:57:54 UTC", or in local time "2026-12-06 00:57:54 UTC+01:00 (Europe/Berlin)".
 * `ms` keeps milliseconds; an unreadable input is returned as it was.
 */
export function formatTime(t: string | number, zone: Zone, o: { ms?: boolean; date?: boolean } = {}): string {
  const d = typeof t === 'number' ? new Date(t) : new Date(t);
  if (Number.isNaN(d.getTime())) return String(t);
  const utc = zone === 'UTC';
  const Y = utc ? d.getUTCFullYear() : d.getFullYear();
  const M = (utc ? d.getUTCMonth() : d.getMonth()) + 1;
  const D = utc ? d.getUTCDate() : d.getDate();
  const h = utc ? d.getUTCHours() : d.getHours();
  const m = utc ? d.getUTCMinutes() : d.getMinutes();
  const s = utc ? d.getUTCSeconds() : d.getSeconds();
  const frac = o.ms ? `.${pad(utc ? d.getUTCMilliseconds() : d.getMilliseconds(), 3)}` : '';
  const date = o.date === false ? '' : `${Y}-${pad(M)}-${pad(D)} `;
  const label = utc ? 'UTC' : `${offsetText(-d.getTimezoneOffset())} (${localZoneName()})`;
  return `${date}${pad(h)}:${pad(m)}:${pad(s)}${frac} ${label}`;
}

/** A short label for an axis tick: the part of the time that changes at this width. */
export function tickLabel(ms: number, widthMs: number, zone: Zone): string {
  const d = new Date(ms);
  const utc = zone === 'UTC';
  const Y = utc ? d.getUTCFullYear() : d.getFullYear();
  const M = (utc ? d.getUTCMonth() : d.getMonth()) + 1;
  const D = utc ? d.getUTCDate() : d.getDate();
  const h = utc ? d.getUTCHours() : d.getHours();
  const m = utc ? d.getUTCMinutes() : d.getMinutes();
  const s = utc ? d.getUTCSeconds() : d.getSeconds();
  if (widthMs >= 86_400_000) return `${Y}-${pad(M)}-${pad(D)}`;
  if (widthMs >= 60_000) return `${pad(M)}-${pad(D)} ${pad(h)}:${pad(m)}`;
  return `${pad(h)}:${pad(m)}:${pad(s)}`;
}

/** The zone a time field is read in, said next to it. */
export function zoneLabel(zone: Zone): string {
  return zone === 'UTC' ? 'UTC' : `${localZoneName()}`;
}
