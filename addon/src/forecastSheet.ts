/**
 * FORECAST_DEMAND(history_range, horizon, [output], [period]): each column of the range is one
 * demand series (oldest at the top); the answer has `horizon` rows and one column per series.
 * `period` is a season length (a whole number) or the data's frequency ("daily", "weekly", "monthly",
 * "quarterly", "hourly", "yearly"), whose calendar gives the season (daily → 7, weekly → 52, …).
 * The model is chosen by core/forecast (ETS family, Croston/SBA/TSB for intermittent demand, …).
 */
import { CALENDAR_FREQUENCIES, type CalendarFrequency, type ForecastResult, forecast } from '../../core/forecast';
import { type Arg, type CellValue, type Grid, InputError, type Result, errorCell, isBlank, isErrorString, isGrid, num } from './cells';

const OUTPUTS = ['value', 'lower80', 'upper80', 'lower95', 'upper95', 'model'] as const;
type Output = (typeof OUTPUTS)[number];
export const MAX_HORIZON = 1000;

function scalar(a: Arg): CellValue | undefined {
  const v = isGrid(a) ? a[0]?.[0] : a;
  return v === null || isBlank(v) ? undefined : (v as CellValue);
}

/** One series: leading and trailing blanks dropped, blanks inside become missing values (NaN). */
export function seriesFrom(cells: CellValue[], name: string): number[] {
  let a = 0;
  let b = cells.length;
  while (a < b && isBlank(cells[a])) a++;
  while (b > a && isBlank(cells[b - 1])) b--;
  return cells.slice(a, b).map((v, i) => {
    if (isBlank(v)) return NaN;
    if (isErrorString(v)) throw new InputError(`${name} row ${a + i + 1} holds an error (${String(v).slice(0, 20)})`);
    return num(v, { name: `${name} row ${a + i + 1}` });
  });
}

export function forecastDemandSheet(history: Arg, horizonArg: Arg, outputArg?: Arg, periodArg?: Arg): Result {
  let horizon: number;
  let output: Output = 'value';
  let period: number | undefined;
  let frequency: CalendarFrequency | undefined;
  try {
    horizon = num(scalar(horizonArg), { name: 'horizon', min: 1, max: MAX_HORIZON, integer: true });
    const o = scalar(outputArg);
    if (o !== undefined) {
      const t = String(o).trim().toLowerCase() as Output;
      if (!OUTPUTS.includes(t)) throw new InputError(`output must be one of ${OUTPUTS.join(', ')}, got "${String(o)}"`);
      output = t;
    }
    const p = scalar(periodArg);
    const word = typeof p === 'string' ? p.trim().toLowerCase() : '';
    if (word !== '' && Number.isNaN(Number(word))) {
      if (!CALENDAR_FREQUENCIES.includes(word as CalendarFrequency)) {
        throw new InputError(`period must be a whole number ≥ 1 or one of ${CALENDAR_FREQUENCIES.join(', ')}, got "${String(p)}"`);
      }
      frequency = word as CalendarFrequency;
    } else period = p === undefined ? undefined : num(p, { name: 'period', min: 1, integer: true });
  } catch (e) {
    return errorCell(e);
  }
  const grid: Grid = isGrid(history) ? history : [[(history ?? '') as CellValue]];
  const horizontal = grid.length === 1 && (grid[0]?.length ?? 0) > 1;
  const columns: CellValue[][] = horizontal ? [grid[0]!] : grid[0]!.map((_, j) => grid.map((r) => r[j]!));
  const results = columns.map((col, j): CellValue[] => {
    const name = columns.length > 1 ? `history column ${j + 1}` : 'history';
    if (col.every((v) => isBlank(v))) return new Array(output === 'model' ? 1 : horizon).fill('');
    try {
      const y = seriesFrom(col, name);
      if (y.filter(Number.isFinite).length < 2) throw new InputError(`${name} needs at least 2 values`);
      const r: ForecastResult = forecast(y, { horizon, period, frequency, backtest: false });
      if (output === 'model') return [r.model];
      return r.points.map((p) => (output === 'value' ? p.value : p[output]));
    } catch (e) {
      const msg = errorCell(e, { y: name });
      return [msg, ...new Array(output === 'model' ? 0 : horizon - 1).fill('')];
    }
  });
  const rows = results[0]!.length;
  const out: Grid = Array.from({ length: rows }, (_, i) => results.map((c) => c[i] ?? ''));
  // A horizontal history answers horizontally.
  if (horizontal) return [out.map((r) => r[0]!)];
  return rows === 1 && results.length === 1 ? out[0]![0]! : out;
}
