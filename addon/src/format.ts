/** How competitor figures appear in a sheet: censored stock as "≥999", ages in hours, ISO times as Dates. */
import type { CellValue } from './cells';

/** A capped reading ("999+") is a lower bound: show it as "≥999", never as an exact number. */
export function stockCell(stock: number | null | undefined, isLowerBound: boolean | null | undefined): CellValue {
  if (stock === null || stock === undefined) return '';
  return isLowerBound ? `≥${stock}` : stock;
}

export function dateCell(iso: string | null | undefined): CellValue {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d;
}

/** Age of a reading in hours at `now`, one decimal. */
export function ageHours(iso: string | null | undefined, now: number): CellValue {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  return Math.round(((now - t) / 3_600_000) * 10) / 10;
}

/** "keepa · 2.5 h old" — used where a single cell must carry a figure's provenance. */
export function provenance(source: string | null | undefined, iso: string | null | undefined, now: number): string {
  const src = source || 'unknown source';
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return `${src} · no reading`;
  const hours = (now - t) / 3_600_000;
  const text =
    hours < 1
      ? `${Math.max(0, Math.round(hours * 60))} min old`
      : hours < 48
        ? `${Math.round(hours * 10) / 10} h old`
        : `${Math.round(hours / 24)} d old`;
  return `${src} · ${text}`;
}

export function num(v: number | null | undefined): CellValue {
  return v === null || v === undefined || !Number.isFinite(v) ? '' : v;
}
