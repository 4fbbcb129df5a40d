/**
 * Forecast accuracy measures. Scaled errors follow Hyndman & Koehler (2006) (MASE) and the M5
 * competition (RMSSE); both scale by the in-sample error of a (seasonal) naive forecast so that
 * series of different sizes can be averaged. NaN entries (missing / censored actuals) are skipped.
 */

function check(actual: readonly number[], fc: readonly number[]): void {
  if (actual.length !== fc.length) {
    throw new RangeError(`forecast length ${fc.length} must equal actual length ${actual.length}`);
  }
}

/** Mean |y_t − y_{t−m}| over the training data (seasonal-naive in-sample MAE), null if undefined. */
export function naiveScaleMae(train: readonly number[], m = 1): number | null {
  let s = 0;
  let c = 0;
  for (let t = m; t < train.length; t++) {
    const d = train[t]! - train[t - m]!;
    if (Number.isFinite(d)) {
      s += Math.abs(d);
      c++;
    }
  }
  return c > 0 ? s / c : null;
}

/** Mean (y_t − y_{t−m})² over the training data, null if undefined. */
export function naiveScaleMse(train: readonly number[], m = 1): number | null {
  let s = 0;
  let c = 0;
  for (let t = m; t < train.length; t++) {
    const d = train[t]! - train[t - m]!;
    if (Number.isFinite(d)) {
      s += d * d;
      c++;
    }
  }
  return c > 0 ? s / c : null;
}

function pairs(actual: readonly number[], fc: readonly number[]): [number, number][] {
  check(actual, fc);
  const out: [number, number][] = [];
  for (let i = 0; i < actual.length; i++) {
    if (Number.isFinite(actual[i]) && Number.isFinite(fc[i])) out.push([actual[i]!, fc[i]!]);
  }
  return out;
}

/** Mean absolute scaled error; null when the scale is 0 or undefined (e.g. a constant history). */
export function mase(actual: readonly number[], fc: readonly number[], train: readonly number[], m = 1): number | null {
  const scale = naiveScaleMae(train, m);
  const p = pairs(actual, fc);
  if (!scale || p.length === 0) return null;
  return p.reduce((a, [y, f]) => a + Math.abs(y - f), 0) / p.length / scale;
}

/** Root mean squared scaled error (M5); null when the scale is 0 or undefined. */
export function rmsse(actual: readonly number[], fc: readonly number[], train: readonly number[], m = 1): number | null {
  const scale = naiveScaleMse(train, m);
  const p = pairs(actual, fc);
  if (!scale || p.length === 0) return null;
  return Math.sqrt(p.reduce((a, [y, f]) => a + (y - f) ** 2, 0) / p.length / scale);
}

/** Weighted absolute percentage error Σ|y − f| / Σ|y| (as a fraction); null when Σ|y| = 0. */
export function wape(actual: readonly number[], fc: readonly number[]): number | null {
  const p = pairs(actual, fc);
  const den = p.reduce((a, [y]) => a + Math.abs(y), 0);
  if (p.length === 0 || den === 0) return null;
  return p.reduce((a, [y, f]) => a + Math.abs(y - f), 0) / den;
}

/** Mean error f − y (positive = over-forecast), in the units of the series. */
export function bias(actual: readonly number[], fc: readonly number[]): number | null {
  const p = pairs(actual, fc);
  if (p.length === 0) return null;
  return p.reduce((a, [y, f]) => a + (f - y), 0) / p.length;
}

/** Symmetric MAPE in percent, M3 convention: 200·|y − f| / (|y| + |f|), 0 when both are 0. */
export function smape(actual: readonly number[], fc: readonly number[]): number | null {
  const p = pairs(actual, fc);
  if (p.length === 0) return null;
  let s = 0;
  for (const [y, f] of p) {
    const d = Math.abs(y) + Math.abs(f);
    s += d === 0 ? 0 : (200 * Math.abs(y - f)) / d;
  }
  return s / p.length;
}
