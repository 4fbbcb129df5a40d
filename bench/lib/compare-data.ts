/**
 * The data sets of bench/r-compare.ts: public series from ../shared/data, each with its calendar
 * period m, horizon h and a train/test split. Aggregations of M3 monthly stand in for quarterly and
 * yearly data: the full series (train + test) is summed over whole quarters / years counted back
 * from its last month (a leading partial quarter / year is dropped), then the last h values are the
 * test window.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SHARED, loadCarparts, loadM3Monthly } from './forecast-data';

export interface CompareSeries {
  id: string;
  train: number[];
  test: number[];
}

export interface CompareSet {
  name: string;
  frequency: string;
  m: number;
  h: number;
  series: CompareSeries[];
}

/** Sums of consecutive blocks of k values, aligned so that the last block ends at the last value. */
export function aggregate(y: readonly number[], k: number): number[] {
  const out: number[] = [];
  for (let i = y.length % k; i + k <= y.length; i += k) {
    let s = 0;
    for (let j = 0; j < k; j++) s += y[i + j]!;
    out.push(s);
  }
  return out;
}

function split(id: string, y: number[], h: number): CompareSeries {
  return { id, train: y.slice(0, y.length - h), test: y.slice(y.length - h) };
}

/**
 * Series of a long CSV "id","t","value": a new series starts where t restarts at 1 or the id changes
 * (ids repeat across series in the hospital file), named "id#k" with k its position in the file.
 */
function loadLong(file: string): { id: string; y: number[] }[] {
  const out: { id: string; y: number[] }[] = [];
  let prev = '';
  const lines = readFileSync(resolve(SHARED, file), 'utf8').split('\n').slice(1);
  for (const l of lines) {
    if (l.trim() === '') continue;
    const [id, t, v] = l.split(',').map((c) => c.replace(/^"|"$/g, ''));
    if (t === '1' || id !== prev) out.push({ id: `${id}#${out.length + 1}`, y: [] });
    prev = id!;
    out[out.length - 1]!.y[Number(t) - 1] = v === 'NA' ? NaN : Number(v);
  }
  return out;
}

const complete = (y: readonly number[]): boolean => y.every((v) => Number.isFinite(v));

/** Every data set present in the shared folder (absent files are left out with a note). */
export function compareSets(notes: string[]): CompareSet[] {
  const sets: CompareSet[] = [];
  if (existsSync(resolve(SHARED, 'data/m3/m3_monthly_long.csv'))) {
    const m3 = loadM3Monthly();
    sets.push({ name: 'M3 monthly', frequency: 'monthly', m: 12, h: 18, series: m3 });
    const full = m3.map((s) => ({ id: s.id, y: [...s.train, ...s.test] }));
    sets.push({
      name: 'M3 monthly → quarterly',
      frequency: 'quarterly',
      m: 4,
      h: 8,
      series: full.map((s) => split(s.id, aggregate(s.y, 3), 8)),
    });
    sets.push({
      name: 'M3 monthly → yearly',
      frequency: 'yearly',
      m: 1,
      h: 2,
      series: full.map((s) => split(s.id, aggregate(s.y, 12), 2)),
    });
  } else notes.push('M3 monthly: ../shared/data/m3/m3_monthly_long.csv absent, skipped');
  const long: [string, string, number, number, string][] = [
    ['hospital', 'data/hospital_monthly_long.csv', 12, 12, 'monthly'],
    ['jewelry', 'data/jewelry_weekly_long.csv', 52, 12, 'weekly'],
  ];
  for (const [name, file, m, h, frequency] of long) {
    if (!existsSync(resolve(SHARED, file))) {
      notes.push(`${name}: ../shared/${file} absent, skipped`);
      continue;
    }
    const series = loadLong(file)
      .filter((s) => complete(s.y) && s.y.length > h + 2)
      .map((s) => split(s.id, s.y, h));
    sets.push({ name, frequency, m, h, series });
  }
  if (existsSync(resolve(SHARED, 'data/carparts_long.csv'))) {
    const series = loadCarparts()
      .filter((s) => complete(s.y))
      .map((s) => split(s.id, s.y, 12));
    sets.push({ name: 'carparts (complete series)', frequency: 'monthly, intermittent', m: 12, h: 12, series });
  } else notes.push('carparts: ../shared/data/carparts_long.csv absent, skipped');
  return sets;
}
