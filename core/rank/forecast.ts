/**
 * A daily demand history for a listing whose stock is not observable (issue 15, item 9), and the
 * widening of a forecast's intervals by the uncertainty of the rank → sales model.
 *
 * Daily signal: per UTC day, the median of the day's readings (sales rank, or the latest "bought in
 * past month" badge); a day without a reading keeps the last value seen at most CARRY_DAYS earlier
 * (Keepa records a rank or badge only when it changes), else it is missing (NaN), never zero.
 *
 * Widening: the rank → sales model's error is a level error shared by every day (one α, β for the
 * whole path: ln units = α − β ln r + ε), so it multiplies the forecast path as a whole. With the
 * model's interval at the listing's rank [L, U] around its median m (core/rank/salesModel.ts
 * unitsFromRank), the ratios l = L / m ≤ 1 and u = U / m ≥ 1 scale the forecast's own bounds:
 *
 *   lower' = max(0, lower) · l,   upper' = upper · u   (at 80 % and at 95 %, each with its own ratios)
 *
 * the product of the two c-level bounds, which covers at least c of the joint spread when the two
 * errors are independent (a conservative composition; Bonferroni-style, not an exact convolution).
 * The point value is the forecast of the median path, unchanged.
 */

/** Longest a rank or badge reading stands for the days after it without a new reading. */
export const CARRY_DAYS = 7;
const DAY_MS = 86_400_000;

export interface SignalReading {
  /** Capture time, epoch ms. */
  at: number;
  value: number;
}

/**
 * One value per UTC day from `fromDay` to `toDay` (epoch days, inclusive): the median of the day's
 * readings, else the last value within CARRY_DAYS, else NaN. Readings in any order.
 */
export function dailySignal(readings: readonly SignalReading[], fromDay: number, toDay: number, carryDays = CARRY_DAYS): number[] {
  if (!Number.isInteger(fromDay) || !Number.isInteger(toDay) || toDay < fromDay)
    throw new RangeError(`fromDay..toDay must be epoch days with fromDay ≤ toDay, got ${fromDay}..${toDay}`);
  const byDay = new Map<number, number[]>();
  let lastBefore: { day: number; value: number } | null = null;
  for (const r of [...readings].sort((a, b) => a.at - b.at)) {
    if (!Number.isFinite(r.value) || !Number.isFinite(r.at)) continue;
    const d = Math.floor(r.at / DAY_MS);
    if (d < fromDay) lastBefore = { day: d, value: r.value };
    else if (d <= toDay) byDay.set(d, [...(byDay.get(d) ?? []), r.value]);
  }
  const out: number[] = [];
  let carry = lastBefore;
  for (let d = fromDay; d <= toDay; d++) {
    const xs = byDay.get(d);
    if (xs) {
      const s = [...xs].sort((a, b) => a - b);
      const m = s.length >> 1;
      const v = s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
      out.push(v);
      carry = { day: d, value: v };
    } else out.push(carry && d - carry.day <= carryDays ? carry.value : NaN);
  }
  return out;
}

/** Multiplicative ratios of the model's interval to its median, per level: lower ≤ 1 ≤ upper. */
export interface LevelRatios {
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
}

export interface IntervalPoint {
  value: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
}

/** The forecast's bounds scaled by the model's interval ratios (see the header); values unchanged. */
export function widenByLevel<P extends IntervalPoint>(points: readonly P[], r: LevelRatios): P[] {
  for (const [k, x] of Object.entries(r))
    if (!Number.isFinite(x) || x < 0 || (k.startsWith('lower') ? x > 1 : x < 1))
      throw new RangeError(`ratios.${k} must be ${k.startsWith('lower') ? 'in [0, 1]' : '≥ 1'}, got ${x}`);
  return points.map((p) => ({
    ...p,
    lower80: Math.max(0, p.lower80) * r.lower80,
    upper80: p.upper80 * r.upper80,
    lower95: Math.max(0, p.lower95) * r.lower95,
    upper95: p.upper95 * r.upper95,
  }));
}
