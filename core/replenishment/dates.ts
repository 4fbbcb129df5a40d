/**
 * Calendar days as integers (days since 1970-01-01, UTC) so plans stay pure and time-zone free.
 * Civil-date conversion after H. Hinnant's days_from_civil / civil_from_days.
 */

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function epochDayFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function isoFromEpochDay(day: number): string {
  if (!Number.isInteger(day)) throw new RangeError(`day must be an integer epoch day, got ${day}`);
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Accepts an ISO calendar date `YYYY-MM-DD` or an integer epoch day; `field` names the input in errors. */
export function toEpochDay(field: string, v: string | number): number {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new RangeError(`${field} must be an ISO date (YYYY-MM-DD) or an integer epoch day, got ${v}`);
    return v;
  }
  const m = typeof v === 'string' ? ISO_DAY.exec(v) : null;
  if (!m) throw new RangeError(`${field} must be an ISO date (YYYY-MM-DD) or an integer epoch day, got ${String(v)}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const day = epochDayFromCivil(y, mo, d);
  // Round-trip rejects impossible dates such as 2025-02-30.
  if (mo < 1 || mo > 12 || isoFromEpochDay(day) !== v) throw new RangeError(`${field} is not a valid calendar date: ${v}`);
  return day;
}
