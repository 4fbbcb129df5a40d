/** Loaders for the forecasting benchmarks' shared data sets (simple numeric CSVs). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const SHARED = resolve(process.env.RESTOCK_RADAR_SHARED ?? resolve(process.cwd(), '..', 'shared'));

function rows(path: string): string[][] {
  const text = readFileSync(resolve(SHARED, path), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(1)
    .map((l) => l.split(',').map((c) => c.replace(/^"|"$/g, '')));
}

const num = (s: string): number => (s === 'NA' || s === '' ? NaN : Number(s));

export interface M3Series {
  id: string;
  train: number[];
  test: number[];
}

/** M3 monthly series with their train/test split, in file order. */
export function loadM3Monthly(): M3Series[] {
  const byId = new Map<string, M3Series>();
  for (const [id, split, t, value] of rows('data/m3/m3_monthly_long.csv')) {
    let s = byId.get(id!);
    if (!s) byId.set(id!, (s = { id: id!, train: [], test: [] }));
    (split === 'train' ? s.train : s.test)[Number(t) - 1 - (split === 'train' ? 0 : s.train.length)] = num(value!);
  }
  return [...byId.values()];
}

/** Stored forecasts (id → 18 values) of one method, e.g. "R_ets"; fit_ms when present. */
export function loadM3Forecasts(method: string): Map<string, { fc: number[]; fitMs: number | null }> {
  const text = readFileSync(resolve(SHARED, `data/m3/m3_monthly_fc_${method}.csv`), 'utf8');
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = lines[0]!.split(',').map((c) => c.replace(/"/g, ''));
  const hCols = header.map((c, i) => (/^h\d+$/.test(c) ? i : -1)).filter((i) => i >= 0);
  const msCol = header.indexOf('fit_ms');
  const out = new Map<string, { fc: number[]; fitMs: number | null }>();
  for (const l of lines.slice(1)) {
    const c = l.split(',').map((v) => v.replace(/"/g, ''));
    out.set(c[0]!, { fc: hCols.map((i) => num(c[i]!)), fitMs: msCol >= 0 ? num(c[msCol]!) : null });
  }
  return out;
}

/** Carparts: id → monthly values (NaN for NA), in file order. */
export function loadCarparts(): { id: string; y: number[] }[] {
  const byId = new Map<string, number[]>();
  for (const [id, t, value] of rows('data/carparts_long.csv')) {
    let y = byId.get(id!);
    if (!y) byId.set(id!, (y = []));
    y[Number(t) - 1] = num(value!);
  }
  return [...byId.entries()].map(([id, y]) => ({ id, y }));
}

/** A series split into what a model sees and what it is scored on. */
export interface SplitSeries {
  id: string;
  train: number[];
  test: number[];
}

/** Hospital (Hyndman's expsmooth `hospital`): 767 monthly series of 84 months; the last `h` are the test. */
export function loadHospital(h = 12): SplitSeries[] {
  // Ids repeat across series in this file: a series is a block of rows whose t starts again at 1.
  const out: { id: string; y: number[] }[] = [];
  for (const [id, t, value] of rows('data/hospital_monthly_long.csv')) {
    if (Number(t) === 1) out.push({ id: `${id}#${out.length + 1}`, y: [] });
    out[out.length - 1]!.y[Number(t) - 1] = num(value!);
  }
  return out.map(({ id, y }) => ({ id, train: y.slice(0, y.length - h), test: y.slice(y.length - h) }));
}

/**
 * Sums of k consecutive periods, aligned to the end of the series (leading periods that do not
 * fill a block are dropped): monthly → quarterly with k = 3, → yearly with k = 12.
 */
export function aggregateEnd(y: readonly number[], k: number): number[] {
  const out: number[] = [];
  for (let end = y.length; end - k >= 0; end -= k) out.unshift(y.slice(end - k, end).reduce((a, b) => a + b, 0));
  return out;
}

/** Sums of k consecutive periods from the start (trailing periods that do not fill a block dropped). */
export function aggregateStart(y: readonly number[], k: number): number[] {
  const out: number[] = [];
  for (let s = 0; s + k <= y.length; s += k) out.push(y.slice(s, s + k).reduce((a, b) => a + b, 0));
  return out;
}

/**
 * M3 monthly summed to quarters (k = 3) or years (k = 12): the training months aligned to the end of
 * the training window, the test months from its start (18 months: 6 quarters, 1 year).
 */
export function loadM3Aggregated(k: number): SplitSeries[] {
  return loadM3Monthly().map((s) => ({ id: s.id, train: aggregateEnd(s.train, k), test: aggregateStart(s.test, k) }));
}
