/**
 * UTC civil date-times (proleptic Gregorian calendar) to seconds since 1970-01-01T00:00:00Z,
 * for the parsers of times in untrusted input (RFC 3339 strings, ASN.1 GeneralizedTime).
 *
 * Computed from the calendar rather than with Date.UTC: ECMA-262 Date.UTC (MakeFullYear)
 * maps years 0–99 to 1900–1999, so a year-0050 time would silently move by 1900 years.
 */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days from 1970-01-01 to y-m-d (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Seconds since the epoch of a UTC date-time, or undefined when that date or time does not
 * exist (31 April, 29 February of a common year, hour 24, minute or second 60).
 * Requires integers, with 0 <= year <= 9999 (the four-digit years of RFC 3339 and X.680);
 * a caller that accepts a leap second maps :60 to :59 before calling.
 */
export function utcSeconds(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number | undefined {
  // Checked one by one, not through an array: the entry timestamp parser calls this per entry.
  if (
    !Number.isInteger(year) ||
    !Number.isInteger(month) ||
    !Number.isInteger(day) ||
    !Number.isInteger(hour) ||
    !Number.isInteger(minute) ||
    !Number.isInteger(second)
  )
    return undefined;
  if (year < 0 || year > 9999 || month < 1 || month > 12 || day < 1) return undefined;
  if (day > (month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!)) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  return daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
}
