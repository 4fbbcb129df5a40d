/**
 * A small SVG line chart for the sidebar (no chart library: HtmlService pages should stay small and
 * self-contained). Two y axes (units left, percent right), time on x, shaded forecast bands, and
 * hollow up-triangles for censored readings ("≥999": the real value is at least the point).
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
}

export interface ChartBand {
  name: string;
  color: string;
  axis: 'left' | 'right';
  points: { t: number; lo: number; hi: number }[];
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
   * slow draws never sell out) shades to the right edge.
   */
  eta?: { p10: number | null; p50: number | null; p90: number | null };
}

const M = { top: 28, right: 40, bottom: 34, left: 46 };

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

function fmtTime(t: number, spanMs: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return spanMs > 3 * 86_400_000 ? `${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}` : `${p(d.getUTCDate())} ${p(d.getUTCHours())}h`;
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
 * Value range of an axis. Right (percent): [0, max(100, data)]. Left (units): [min(0, line data),
 * max(line and band data, 1)] — a band's lower edge never pulls the axis below zero, it is clipped
 * instead — or [0, 1] without data.
 */
export function axisRange(spec: Pick<ChartSpec, 'series' | 'bands'>, axis: Axis): [number, number] {
  const bands = spec.bands ?? [];
  const lineVals = spec.series
    .filter((s) => s.axis === axis)
    .flatMap((s) => s.points.map((p) => p.y).filter((v): v is number => v !== null && Number.isFinite(v)));
  const bandVals = bands.filter((b) => b.axis === axis).flatMap((b) => b.points.flatMap((p) => [p.lo, p.hi]));
  if (axis === 'right') return [0, Math.max(100, ...lineVals, ...bandVals)];
  const lo = Math.min(0, ...lineVals);
  return lineVals.length || bandVals.length ? [lo, Math.max(...lineVals, ...bandVals, 1)] : [0, 1];
}

/**
 * Linear y scale over nice ticks a…b: y(v) = top + ih − (v − a)/(b − a)·ih (SVG y grows downwards).
 * With `clipBelow`, values under a are drawn at a.
 */
export function yScale(range: [number, number], tickCount: number, top: number, ih: number, clipBelow: boolean): Scale {
  const ticks = niceTicks(range[0], range[1], tickCount);
  const a = ticks[0]!;
  const b = ticks[ticks.length - 1]!;
  return { ticks, y: (v: number) => top + ih - (((clipBelow ? Math.max(v, a) : v) - a) / (b - a || 1)) * ih };
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

/** Forecast bands (drawn under the lines): the upper edge left to right, the lower edge back. */
function drawBands(bands: ChartBand[], f: Frame, parts: string[]): void {
  for (const b of bands) {
    const pts = [...b.points].sort((p, q) => p.t - q.t);
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
  }
}

/** Series lines (split at gaps) and a hollow up-triangle on every capped (lower-bound) reading. */
function drawSeries(series: ChartSeries[], f: Frame, parts: string[]): void {
  for (const s of series) {
    const y = f.scales[s.axis].y;
    for (const d of pathRuns(s.points, f.x, y)) {
      parts.push(
        `<path class="series" data-name="${escapeXml(s.name)}" d="${d}" fill="none" stroke="${s.color}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="4 3"' : ''}/>`,
      );
    }
    for (const p of s.points) {
      if (!p.lowerBound || p.y === null) continue;
      const cx = f.x(p.t);
      const cy = y(p.y);
      parts.push(
        `<path class="censored" d="M${cx.toFixed(1)},${(cy - 5).toFixed(1)} l4,7 h-8 Z" fill="white" stroke="${s.color}"><title>≥${p.y} (capped reading)</title></path>`,
      );
    }
  }
}

/** The sell-out ETA: a P10–P90 span (to the right edge without a P90) and a P50 rule. */
function drawEta(eta: NonNullable<ChartSpec['eta']>, f: Frame, parts: string[]): void {
  const { p10, p50, p90 } = eta;
  const from = f.x(p10 ?? p50 ?? f.t1);
  const to = p90 !== null && Number.isFinite(p90) ? f.x(p90) : M.left + f.iw;
  parts.push(
    `<rect class="eta-range" x="${from.toFixed(1)}" y="${M.top}" width="${Math.max(1, to - from).toFixed(1)}" height="${f.ih}" fill="#d93025" fill-opacity="0.08"><title>sell-out P10–P90</title></rect>`,
  );
  if (p50 !== null && Number.isFinite(p50)) {
    const xx = f.x(p50).toFixed(1);
    parts.push(`<line class="eta" x1="${xx}" x2="${xx}" y1="${M.top}" y2="${M.top + f.ih}" stroke="#d93025" stroke-width="1.2"/>`);
    parts.push(`<text x="${xx}" y="${M.top + 9}" dx="3" font-size="9" fill="#d93025">sell-out P50</text>`);
  }
}

/** One swatch and name per series and band along the bottom edge. */
function drawLegend(spec: ChartSpec, parts: string[]): void {
  let lx = M.left;
  const ly = spec.height - 6;
  for (const item of [
    ...spec.series.map((s) => ({ name: s.name, color: s.color })),
    ...(spec.bands ?? []).map((b) => ({ name: b.name, color: b.color })),
  ]) {
    parts.push(
      `<rect x="${lx}" y="${ly - 7}" width="10" height="3" fill="${item.color}"/><text x="${lx + 13}" y="${ly - 3}" font-size="9">${escapeXml(item.name)}</text>`,
    );
    lx += 20 + item.name.length * 5;
  }
}

export function renderChart(spec: ChartSpec): string {
  const { width: W, height: H } = spec;
  const iw = W - M.left - M.right;
  const ih = H - M.top - M.bottom;
  const bands = spec.bands ?? [];
  const etaTimes = spec.eta ? [spec.eta.p10, spec.eta.p50, spec.eta.p90].filter((t): t is number => t !== null && Number.isFinite(t)) : [];
  const ts = [...spec.series.flatMap((s) => s.points.map((p) => p.t)), ...bands.flatMap((b) => b.points.map((p) => p.t))];
  // The ETA widens the time axis only when there is data to chart.
  if (ts.length) ts.push(...etaTimes);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeXml(spec.title ?? 'chart')}">`,
  );
  if (spec.title) parts.push(`<text x="${M.left}" y="16" font-size="12" font-weight="bold">${escapeXml(spec.title)}</text>`);
  if (ts.length === 0) {
    parts.push(`<text x="${W / 2}" y="${H / 2}" text-anchor="middle" font-size="12" fill="#666">No data</text></svg>`);
    return parts.join('');
  }
  const t0 = Math.min(...ts);
  const t1 = Math.max(...ts, t0 + 1);
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
  drawAxes(spec, frame, parts);
  drawBands(bands, frame, parts);
  drawSeries(spec.series, frame, parts);
  if (spec.eta && etaTimes.length) drawEta(spec.eta, frame, parts);
  if (spec.now !== undefined && spec.now >= t0 && spec.now <= t1) {
    const xx = frame.x(spec.now).toFixed(1);
    parts.push(`<line class="now" x1="${xx}" x2="${xx}" y1="${M.top}" y2="${M.top + ih}" stroke="#888" stroke-dasharray="2 2"/>`);
  }
  drawLegend(spec, parts);
  parts.push('</svg>');
  return parts.join('');
}
