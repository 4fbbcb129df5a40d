/**
 * SELLOUT_ETA, local forms: stock ÷ velocity row by row, or a drain fit (constant vs exponential
 * decay, P10/P50/P90 by bootstrap, core/deals/drain) over a history of stock readings.
 */
import { type ClaimCurvePoint, sellOutEta } from '../../core/deals/drain';
import { type Arg, type CellValue, InputError, type Result, errorCell, isBlank, isDate, isGrid, mapCells, num } from './cells';
import { selloutAtVelocity } from './local';

/** p10/p50/p90: bootstrap quantiles; point: the fitted model's own ETA. */
export type Quantile = 'p10' | 'p50' | 'p90' | 'point';

export function parseQuantile(v: Arg): Quantile {
  const x = isGrid(v) ? v[0]?.[0] : v;
  if (isBlank(x)) return 'p50';
  const t = String(x).trim().toLowerCase();
  if (t === 'p10' || t === 'p50' || t === 'p90' || t === 'point') return t;
  throw new InputError(`quantile must be "p10", "p50", "p90" or "point", got "${String(x)}"`);
}

interface Reading {
  /** Hours since the first reading. */
  t: number;
  stock: number;
}

/**
 * History: one column of stock readings taken at equal steps (one step = one time unit), or two
 * columns (time, stock) where time is a date-time or a number of hours. Blank rows are skipped.
 */
export function parseHistory(range: CellValue[][]): { readings: Reading[]; firstDate: Date | null } {
  const cols = range[0]?.length ?? 0;
  if (cols !== 1 && cols !== 2) throw new InputError(`history must have 1 column (stock) or 2 columns (time, stock), got ${cols}`);
  const readings: Reading[] = [];
  let firstDate: Date | null = null;
  let firstNum: number | null = null;
  range.forEach((row, i) => {
    const stockCell = cols === 1 ? row[0] : row[1];
    const timeCell = cols === 1 ? i : row[0];
    if (isBlank(stockCell) && (cols === 1 || isBlank(timeCell))) return;
    if (i === 0 && cols === 2 && typeof timeCell === 'string' && !isDate(timeCell) && Number.isNaN(Number(timeCell))) return; // header
    const stock = num(stockCell as CellValue, { name: `history row ${i + 1} stock`, min: 0 });
    let t: number;
    if (isDate(timeCell)) {
      firstDate ??= timeCell;
      t = (timeCell.getTime() - firstDate.getTime()) / 3_600_000;
    } else {
      if (firstDate) throw new InputError(`history row ${i + 1}: mix of dates and numbers in the time column`);
      const x = num(timeCell as CellValue, { name: `history row ${i + 1} time` });
      firstNum ??= x;
      t = x - firstNum;
    }
    const prev = readings[readings.length - 1];
    if (prev && !(t > prev.t)) throw new InputError(`history row ${i + 1}: times must increase`);
    readings.push({ t, stock });
  });
  if (readings.length < 2) throw new InputError('history needs at least 2 readings');
  return { readings, firstDate };
}

/** Cumulative units sold: the sum of stock decreases (an increase is a restock, not negative sales). */
export function claimCurve(readings: Reading[]): ClaimCurvePoint[] {
  let sold = 0;
  return readings.map((r, i) => {
    if (i > 0) sold += Math.max(0, readings[i - 1]!.stock - r.stock);
    return { t: r.t, units: sold };
  });
}

/** Fixed seed: a sheet must show the same ETA on every recalculation. */
const SEED = 20_240_601;

export function selloutFromHistory(stock: Arg, history: CellValue[][], quantile: Quantile): CellValue {
  const { readings, firstDate } = parseHistory(history);
  const last = readings[readings.length - 1]!;
  const s = isGrid(stock) ? stock[0]?.[0] : stock;
  const remaining = isBlank(s) ? last.stock : num(s as CellValue, { name: 'stock', min: 0 });
  if (remaining === 0) return firstDate ? new Date(firstDate.getTime() + last.t * 3_600_000) : 0;
  const curve = claimCurve(readings);
  if (curve[curve.length - 1]!.units === 0) return 'never (no sales in history)';
  const eta = sellOutEta(curve, { remaining, seed: SEED, draws: 200 });
  const h = quantile === 'point' ? eta.pointHours : eta[quantile];
  if (h === null) return 'never (demand fading)';
  // With dates the answer is a moment; with plain steps it is time units after the last reading.
  return firstDate ? new Date(firstDate.getTime() + (last.t + h) * 3_600_000) : h;
}

/** Local SELLOUT_ETA(stock, velocity_or_history_range, [quantile]). */
export function selloutLocal(stock: Arg, velocityOrHistory: Arg, quantile?: Arg): Result {
  const history =
    isGrid(velocityOrHistory) && velocityOrHistory.length > 1 && (!isGrid(stock) || (stock.length === 1 && stock[0]!.length === 1));
  if (history) {
    try {
      return selloutFromHistory(stock, velocityOrHistory as CellValue[][], parseQuantile(quantile));
    } catch (e) {
      return errorCell(e, { remaining: 'stock' });
    }
  }
  return mapCells(
    [
      { name: 'stock', required: true },
      { name: 'velocity', required: true },
    ],
    [stock, velocityOrHistory],
    ([s, v]) => selloutAtVelocity(s, v),
  );
}
