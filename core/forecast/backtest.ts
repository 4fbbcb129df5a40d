/**
 * Rolling-origin backtest (Tashman 2000): refit at several forecast origins near the end of the
 * history, forecast ahead from each, and score against what happened. Scaled errors use the
 * in-sample (seasonal) naive error of each origin's own training window, as in M3/M5 scoring.
 */
import { mase, naiveScaleMae, naiveScaleMse } from './metrics';

export interface BacktestPlan {
  /** Training lengths (cut points) in increasing order. */
  origins: number[];
  /** Steps forecast from each origin (truncated at the end of the data). */
  horizon: number;
}

export interface BacktestScore {
  mase: number | null;
  rmsse: number | null;
  wape: number | null;
  bias: number | null;
  origins: number;
}

/**
 * Plan up to `maxOrigins` origins: horizon hb = min(h, max(1, ⌊n/5⌋)), origins spaced by ⌈hb/2⌉
 * back from n − hb, each leaving at least `minTrain` points to fit on.
 */
export function planBacktest(n: number, h: number, minTrain: number, maxOrigins = 3): BacktestPlan {
  const hb = Math.min(h, Math.max(1, Math.floor(n / 5)));
  const step = Math.max(1, Math.ceil(hb / 2));
  const origins: number[] = [];
  for (let j = 0; j < maxOrigins; j++) {
    const T = n - hb - j * step;
    if (T < minTrain) break;
    origins.unshift(T);
  }
  return { origins, horizon: hb };
}

/**
 * Score a forecasting function over a plan. `fc(train, h)` returns h point forecasts. Actuals that
 * are NaN (missing) or flagged in `skip` (censored stockouts) are not scored.
 */
export function backtest(
  y: readonly number[],
  plan: BacktestPlan,
  fc: (train: number[], h: number, origin: number) => number[],
  m = 1,
  skip?: readonly boolean[],
): BacktestScore {
  let absSum = 0;
  let actSum = 0;
  let errSum = 0;
  let cnt = 0;
  const maseVals: number[] = [];
  const rmsseVals: number[] = [];
  for (const T of plan.origins) {
    const train = y.slice(0, T);
    const h = Math.min(plan.horizon, y.length - T);
    if (h < 1) continue;
    const f = fc(train as number[], h, T);
    const act: number[] = [];
    const pred: number[] = [];
    for (let i = 0; i < h; i++) {
      const v = y[T + i]!;
      if (!Number.isFinite(v) || skip?.[T + i] || !Number.isFinite(f[i])) continue;
      act.push(v);
      pred.push(f[i]!);
      absSum += Math.abs(v - f[i]!);
      actSum += Math.abs(v);
      errSum += f[i]! - v;
      cnt++;
    }
    if (act.length === 0) continue;
    // Seasonal scale when a full season of differences exists, else the lag-1 scale.
    const mm = naiveScaleMae(train, m) ? m : 1;
    const ms = mase(act, pred, train, mm);
    if (ms !== null) maseVals.push(ms);
    const scale = naiveScaleMse(train, mm);
    if (scale) {
      const mse = act.reduce((a, v, i) => a + (v - pred[i]!) ** 2, 0) / act.length;
      rmsseVals.push(Math.sqrt(mse / scale));
    }
  }
  const mean = (a: number[]): number | null => (a.length ? a.reduce((s, v) => s + v, 0) / a.length : null);
  return {
    mase: mean(maseVals),
    rmsse: mean(rmsseVals),
    wape: actSum > 0 ? absSum / actSum : null,
    bias: cnt > 0 ? errSum / cnt : null,
    origins: plan.origins.length,
  };
}
