/**
 * A small SVG line chart for the sidebar (no chart library: HtmlService pages should stay small and
 * self-contained). Two y axes (units left, percent right), time on x, shaded forecast bands, and
 * hollow up-triangles for censored readings ("≥999": the real value is at least the point).
 *
 * Made for the sidebar's 300 px: an optional time window (zoom to a live deal), a left axis scaled to
 * the lines that inform (context lines and bands are clipped to it, and the legend gives their real
 * range), and every label kept inside the width (legend wraps, labels flip sides, title shortened).
 */
export interface ChartPoint {
  /** Epoch ms. */
  t: number;
  y: number | null;
  /** True when y is only a lower bound (capped stock). */
  lowerBound?: boolean;
}

export interface ChartSeries {
  name: string;
  color: string;
  axis: 'left' | 'right';
  points: ChartPoint[];
  dashed?: boolean;
  /** Context only: drawn, but does not set the axis range; clipped to it, its legend entry says so. */
  context?: boolean;
}

export interface ChartBand {
  name: string;
  color: string;
  axis: 'left' | 'right';
  points: { t: number; lo: number; hi: number }[];
  /** Context only (as ChartSeries.context). */
  context?: boolean;
}

export interface ChartSpec {
  width: number;
  height: number;
  title?: string;
  leftLabel: string;
  rightLabel?: string;
  series: ChartSeries[];
  bands?: ChartBand[];
  /** Draws a vertical "now" rule. */
  now?: number;
  /**
   * A live deal's sell-out ETA (epoch ms): a shaded P10–P90 span and a P50 rule. A null P90 (the
   * slow draws do not sell out) shades to the deal's end when it has one, else to the right edge.
   */
  eta?: { p10: number | null; p50: number | null; p90: number | null; end?: number | null };
  /** The time window shown (epoch ms); the data's own span when absent. */
  xRange?: [number, number];
}

const M = { top: 28, right: 40, bottom: 34, left: 46 };
/** Legend row height and the average advance of a 9 px Arial character (upper bound, for layout). */
const LEGEND_ROW = 12;
const CHAR_9PX = 5.2;

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** "Nice" tick values covering [lo, hi] (1, 2, 5 × 10^k steps). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) {
    const base = Number.isFinite(lo) ? lo : 0;
    return [base, base + 1];
  }
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.floor(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  if (out[out.length - 1]! < hi) out.push(Number((out[out.length - 1]! + step).toPrecision(12)));
  return out;
}

function fmtTick(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${Math.round(v / 1e3)}k`;
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

/** x tick label: "MM-DD" over more than 3 days, "DD HHh" over more than 1 day, else "HH:MM" (UTC). */
function fmtTime(t: number, spanMs: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  if (spanMs > 3 * 86_400_000) return `${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`;
  return spanMs > 86_400_000 ? `${p(d.getUTCDate())} ${p(d.getUTCHours())}h` : `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

/** Splits a series at nulls so gaps stay gaps; returns one "M… L…" string per run. */
export function pathRuns(points: ChartPoint[], x: (t: number) => number, y: (v: number) => number): string[] {
  const runs: string[] = [];
  let cur: string[] = [];
  for (const p of [...points].sort((a, b) => a.t - b.t)) {
    if (p.y === null || !Number.isFinite(p.y)) {
      if (cur.length) runs.push(cur.join(' '));
      cur = [];
      continue;
    }
    cur.push(`${cur.length ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.y).toFixed(1)}`);
  }
  if (cur.length) runs.push(cur.join(' '));
  return runs;
}

type Axis = 'left' | 'right';

interface Scale {
  ticks: number[];
  y: (v: number) => number;
}

/** Plot geometry: inner width and height, the time range and the x and y mappings. */
interface Frame {
  iw: number;
  ih: number;
  t0: number;
  t1: number;
  x: (t: number) => number;
  scales: Record<Axis, Scale>;
}

/**
 * Value range of an axis over the values inside the time window (all values without one), from the
 * lines and bands that are not context. Right (percent): [0, max(100, data)]. Left (units):
 * [lo, max(data, 1)] with lo = min(data) when negative, 0 when min ≤ 0.3·max (stock near zero is
 * what a planner reads), else min − 10 % of the spread, so stock of 250–400 is not drawn as a flat
 * line; [0, 1] without data.
 */
export function axisRange(spec: Pick<ChartSpec, 'series' | 'bands' | 'xRange'>, axis: Axis): [number, number] {
  const inView = (t: number) => !spec.xRange || (t >= spec.xRange[0] && t <= spec.xRange[1]);
  const bands = (spec.bands ?? []).filter((b) => b.axis === axis && !b.context);
  const lineVals = spec.series
    .filter((s) => s.axis === axis && !s.context)
    .flatMap((s) => s.points.filter((p) => inView(p.t)).map((p) => p.y))
    .filter((v): v is number => v !== null && Number.isFinite(v));
  const bandVals = bands.flatMap((b) => b.points.filter((p) => inView(p.t)).flatMap((p) => [p.lo, p.hi]));
  if (axis === 'right') return [0, Math.max(100, ...lineVals, ...bandVals)];
  if (!lineVals.length && !bandVals.length) return [0, 1];
  const max = Math.max(...lineVals, ...bandVals, 1);
  const min = Math.min(...lineVals, ...bandVals.filter((v) => v >= 0), max);
  if (min < 0) return [min, max];
  return [min <= 0.3 * max ? 0 : min - 0.1 * (max - min), max];
}

/**
 * Linear y scale over nice ticks a…b: y(v) = top + ih − (v − a)/(b − a)·ih (SVG y grows downwards).
 * With `clip`, values outside a…b are drawn at the nearer edge.
 */
export function yScale(range: [number, number], tickCount: number, top: number, ih: number, clip: boolean): Scale {
  const ticks = niceTicks(range[0], range[1], tickCount);
  const a = ticks[0]!;
  const b = ticks[ticks.length - 1]!;
  return { ticks, y: (v: number) => top + ih - (((clip ? Math.min(Math.max(v, a), b) : v) - a) / (b - a || 1)) * ih };
}

/** The points inside [t0, t1] plus the nearest one on each side, so a line runs on to the edges. */
export function inWindow<T extends { t: number }>(points: readonly T[], t0: number, t1: number): T[] {
  const sorted = [...points].sort((a, b) => a.t - b.t);
  const first = sorted.findIndex((p) => p.t >= t0);
  if (first < 0) return sorted.slice(-1);
  let last = sorted.length - 1;
  while (last > 0 && sorted[last]!.t > t1) last--;
  return sorted.slice(Math.max(0, first - 1), Math.min(sorted.length, last + 2));
}

/** Estimated width of a 9 px label (CHAR_9PX per character: wide enough for Arial). */
export function labelWidth(text: string): number {
  return text.length * CHAR_9PX;
}

/** Grid lines, tick labels on both axes, axis labels and the axis lines. */
function drawAxes(spec: ChartSpec, f: Frame, parts: string[]): void {
  const { iw, ih, t0, t1, x, scales } = f;
  for (const v of scales.left.ticks) {
    const yy = scales.left.y(v).toFixed(1);
    parts.push(`<line class="grid" x1="${M.left}" x2="${M.left + iw}" y1="${yy}" y2="${yy}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${M.left - 4}" y="${yy}" dy="3" text-anchor="end" font-size="9" fill="#555">${fmtTick(v)}</text>`);
  }
  if (spec.rightLabel && spec.series.some((s) => s.axis === 'right')) {
    for (const v of scales.right.ticks) {
      const yy = scales.right.y(v).toFixed(1);
      parts.push(`<text x="${M.left + iw + 4}" y="${yy}" dy="3" font-size="9" fill="#555">${fmtTick(v)}</text>`);
    }
    parts.push(
      `<text x="${spec.width - 4}" y="${M.top - 6}" text-anchor="end" font-size="9" fill="#555">${escapeXml(spec.rightLabel)}</text>`,
    );
  }
  parts.push(`<text x="4" y="${M.top - 6}" font-size="9" fill="#555">${escapeXml(spec.leftLabel)}</text>`);
  const xticks = 4;
  for (let i = 0; i <= xticks; i++) {
    const t = t0 + ((t1 - t0) * i) / xticks;
    parts.push(
      `<text x="${x(t).toFixed(1)}" y="${spec.height - M.bottom + 14}" text-anchor="middle" font-size="9" fill="#555">${fmtTime(t, t1 - t0)}</text>`,
    );
  }
  parts.push(`<path class="axis" d="M${M.left},${M.top}V${M.top + ih}H${M.left + iw}" fill="none" stroke="#999"/>`);
}

/** A legend range end: whole units from 10 up (807.8 → "808"), else as a tick. */
function fmtRange(v: number): string {
  return Math.abs(v) >= 10 && Math.abs(v) < 1e4 ? String(Math.round(v)) : fmtTick(v);
}

/** The value range of a context item beyond the axis [a, b], or null when it fits. */
function beyondAxis(values: number[], scale: Scale): [number, number] | null {
  const a = scale.ticks[0]!;
  const b = scale.ticks[scale.ticks.length - 1]!;
  if (!values.length) return null;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo < a - 1e-9 || hi > b + 1e-9 ? [lo, hi] : null;
}

/**
 * Forecast bands (drawn under the lines): the upper edge left to right, the lower edge back, inside
 * the window and clamped to the axis; where the band goes above the axis a dashed mark on the top edge.
 */
function drawBands(bands: ChartBand[], f: Frame, parts: string[]): void {
  for (const b of bands) {
    const pts = inWindow(b.points, f.t0, f.t1);
    if (pts.length < 2) continue;
    const y = f.scales[b.axis].y;
    const upper = pts.map((p, i) => `${i ? 'L' : 'M'}${f.x(p.t).toFixed(1)},${y(p.hi).toFixed(1)}`).join(' ');
    const lower = [...pts]
      .reverse()
      .map((p) => `L${f.x(p.t).toFixed(1)},${y(p.lo).toFixed(1)}`)
      .join(' ');
    parts.push(
      `<path class="band" data-name="${escapeXml(b.name)}" d="${upper} ${lower} Z" fill="${b.color}" fill-opacity="0.18" stroke="none"/>`,
    );
    const top = f.scales[b.axis].ticks[f.scales[b.axis].ticks.length - 1]!;
    const over = pts.filter((p) => p.hi > top);
    if (over.length) {
      const [x1, x2] = [f.x(over[0]!.t), f.x(over[over.length - 1]!.t)].map((v) => v.toFixed(1));
      parts.push(
        `<line class="clip-mark" x1="${x1}" x2="${x2}" y1="${M.top}" y2="${M.top}" stroke="${b.color}" stroke-width="2" stroke-dasharray="3 2"/>`,
      );
    }
  }
}

/** Series lines (split at gaps) inside the window and a hollow up-triangle on every capped (lower-bound) reading. */
function drawSeries(series: ChartSeries[], f: Frame, parts: string[]): void {
  for (const s of series) {
    const y = f.scales[s.axis].y;
    const pts = inWindow(s.points, f.t0, f.t1);
    for (const d of pathRuns(pts, f.x, y)) {
      parts.push(
        `<path class="series" data-name="${escapeXml(s.name)}" d="${d}" fill="none" stroke="${s.color}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="4 3"' : ''}/>`,
      );
    }
    for (const p of pts) {
      if (!p.lowerBound || p.y === null || p.t < f.t0 || p.t > f.t1) continue;
      const cx = f.x(p.t);
      const cy = y(p.y);
      parts.push(
        `<path class="censored" d="M${cx.toFixed(1)},${(cy - 5).toFixed(1)} l4,7 h-8 Z" fill="white" stroke="${s.color}"><title>≥${p.y} (capped reading)</title></path>`,
      );
    }
  }
}

/**
 * The sell-out ETA: a P10–P90 span (to the deal's end, else the right edge, without a P90) and a P50
 * rule whose label sits on the side of the rule where it fits inside the plot.
 */
function drawEta(eta: NonNullable<ChartSpec['eta']>, f: Frame, parts: string[]): void {
  const { p10, p50, p90 } = eta;
  const right = M.left + f.iw;
  const clampX = (x: number) => Math.min(right, Math.max(M.left, x));
  const from = clampX(f.x(p10 ?? p50 ?? f.t1));
  const edge = p90 ?? eta.end ?? null;
  const to = edge !== null && Number.isFinite(edge) ? clampX(f.x(edge)) : right;
  parts.push(
    `<rect class="eta-range" x="${from.toFixed(1)}" y="${M.top}" width="${Math.max(1, to - from).toFixed(1)}" height="${f.ih}" fill="#d93025" fill-opacity="0.08"><title>sell-out P10–P90</title></rect>`,
  );
  if (p50 !== null && Number.isFinite(p50) && p50 >= f.t0 && p50 <= f.t1) {
    const x = f.x(p50);
    const xx = x.toFixed(1);
    const label = 'sell-out P50';
    const flip = x + 3 + labelWidth(label) > right;
    parts.push(`<line class="eta" x1="${xx}" x2="${xx}" y1="${M.top}" y2="${M.top + f.ih}" stroke="#d93025" stroke-width="1.2"/>`);
    parts.push(
      `<text x="${xx}" y="${M.top + 9}" dx="${flip ? -3 : 3}"${flip ? ' text-anchor="end"' : ''} font-size="9" fill="#d93025">${label}</text>`,
    );
  }
}

export interface LegendItem {
  name: string;
  color: string;
}

/** Legend rows: items left to right from x = 4, a new row when the next would pass width − 4. */
export function legendRows(items: LegendItem[], width: number): LegendItem[][] {
  const rows: LegendItem[][] = [[]];
  let x = 4;
  for (const item of items) {
    const w = 13 + labelWidth(item.name);
    if (x + w > width - 4 && rows[rows.length - 1]!.length) {
      rows.push([]);
      x = 4;
    }
    rows[rows.length - 1]!.push(item);
    x += w + 8;
  }
  return rows;
}

/** The legend's entries; a context item that goes beyond the axis gives its real range. */
function legendItems(spec: ChartSpec, f: Frame): LegendItem[] {
  const ranged = (name: string, ctx: boolean | undefined, values: number[], axis: Axis) => {
    const r = ctx ? beyondAxis(values, f.scales[axis]) : null;
    return r ? `${name} (${fmtRange(r[0])} to ${fmtRange(r[1])}, beyond axis)` : name;
  };
  const inView = (t: number) => t >= f.t0 && t <= f.t1;
  return [
    ...spec.series.map((s) => ({
      name: ranged(
        s.name,
        s.context,
        s.points.filter((p) => inView(p.t) && p.y !== null).map((p) => p.y!),
        s.axis,
      ),
      color: s.color,
    })),
    ...(spec.bands ?? []).map((b) => ({
      name: ranged(
        b.name,
        b.context,
        b.points.filter((p) => inView(p.t)).flatMap((p) => [p.lo, p.hi]),
        b.axis,
      ),
      color: b.color,
    })),
  ];
}

/** One swatch and name per series and band below the plot, wrapped into rows that fit the width. */
function drawLegend(rows: LegendItem[][], top: number, parts: string[]): void {
  rows.forEach((row, r) => {
    let lx = 4;
    const ly = top + r * LEGEND_ROW;
    for (const item of row) {
      parts.push(
        `<rect x="${lx}" y="${ly - 7}" width="10" height="3" fill="${item.color}"/><text class="legend" x="${lx + 13}" y="${ly - 3}" font-size="9">${escapeXml(item.name)}</text>`,
      );
      lx += 13 + labelWidth(item.name) + 8;
    }
  });
}

/** The title shortened with "…" to what fits beside the right axis label (≈ 7 px per 12 px bold character). */
function fitTitle(title: string, width: number): string {
  const max = Math.max(4, Math.floor((width - M.left - 60) / 7));
  return title.length <= max ? title : `${title.slice(0, max - 1)}…`;
}

/** Time span: the window when given, else every series, band and (with data) ETA moment. */
function timeSpan(spec: ChartSpec): [number, number] | null {
  const bands = spec.bands ?? [];
  const ts = [...spec.series.flatMap((s) => s.points.map((p) => p.t)), ...bands.flatMap((b) => b.points.map((p) => p.t))];
  if (!ts.length) return null;
  if (spec.xRange) return [spec.xRange[0], Math.max(spec.xRange[1], spec.xRange[0] + 1)];
  // The ETA widens the time axis only when there is data to chart.
  if (spec.eta) ts.push(...[spec.eta.p10, spec.eta.p50, spec.eta.p90].filter((t): t is number => t !== null && Number.isFinite(t)));
  const t0 = Math.min(...ts);
  return [t0, Math.max(...ts, t0 + 1)];
}

export function renderChart(spec: ChartSpec): string {
  const { width: W } = spec;
  const iw = W - M.left - M.right;
  const ih = spec.height - M.top - M.bottom;
  const span = timeSpan(spec);
  const open = (h: number) =>
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${h}" viewBox="0 0 ${W} ${h}" role="img" aria-label="${escapeXml(spec.title ?? 'chart')}">`;
  const title = spec.title
    ? `<text x="${M.left}" y="16" font-size="12" font-weight="bold">${escapeXml(fitTitle(spec.title, W))}</text>`
    : '';
  if (!span)
    return `${open(spec.height)}${title}<text x="${W / 2}" y="${spec.height / 2}" text-anchor="middle" font-size="12" fill="#666">No data</text></svg>`;
  const [t0, t1] = span;
  const frame: Frame = {
    iw,
    ih,
    t0,
    t1,
    x: (t: number) => M.left + ((t - t0) / (t1 - t0)) * iw,
    scales: {
      left: yScale(axisRange(spec, 'left'), 5, M.top, ih, true),
      right: yScale(axisRange(spec, 'right'), 4, M.top, ih, false),
    },
  };
  const rows = legendRows(legendItems(spec, frame), W);
  const H = spec.height + (rows.length - 1) * LEGEND_ROW;
  const parts: string[] = [open(H), title];
  parts.push(`<defs><clipPath id="rr-plot"><rect x="${M.left}" y="${M.top}" width="${iw}" height="${ih}"/></clipPath></defs>`);
  parts.push(`<rect class="plot-area" x="${M.left}" y="${M.top}" width="${iw}" height="${ih}" fill="none" stroke="none"/>`);
  drawAxes(spec, frame, parts);
  parts.push('<g clip-path="url(#rr-plot)">');
  drawBands(spec.bands ?? [], frame, parts);
  drawSeries(spec.series, frame, parts);
  if (spec.eta && [spec.eta.p10, spec.eta.p50, spec.eta.p90].some((t) => t !== null && Number.isFinite(t))) drawEta(spec.eta, frame, parts);
  if (spec.now !== undefined && spec.now >= t0 && spec.now <= t1) {
    const xx = frame.x(spec.now).toFixed(1);
    parts.push(`<line class="now" x1="${xx}" x2="${xx}" y1="${M.top}" y2="${M.top + ih}" stroke="#888" stroke-dasharray="2 2"/>`);
  }
  parts.push('</g>');
  drawLegend(rows, spec.height - 6, parts);
  parts.push('</svg>');
  return parts.join('');
}
