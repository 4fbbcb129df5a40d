/** The sidebar's SVG chart as a pure function: scales, gaps, bands, censored markers, escaping. */
import { describe, expect, it } from 'vitest';
import {
  axisRange,
  escapeXml,
  inWindow,
  labelWidth,
  legendRows,
  niceTicks,
  pathRuns,
  renderChart,
  yScale,
} from '../../addon/src/sidebar/chart';

describe('chart', () => {
  it('nice ticks cover the range with 1-2-5 steps', () => {
    expect(niceTicks(0, 1000)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(niceTicks(0, 7, 4)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(5, 5)).toEqual([5, 6]);
  });

  it('axis ranges: percent from 0 to at least 100; units from min(0, lines) to max(lines, bands, 1), bands never below 0', () => {
    const line = (axis: 'left' | 'right', ys: (number | null)[]) => ({
      name: 'l',
      color: '#000',
      axis,
      points: ys.map((y, t) => ({ t, y })),
    });
    const band = { name: 'b', color: '#111', axis: 'left' as const, points: [{ t: 0, lo: -40, hi: 900 }] };
    expect(axisRange({ series: [line('right', [30, 140])] }, 'right')).toEqual([0, 140]);
    expect(axisRange({ series: [line('right', [30])] }, 'right')).toEqual([0, 100]);
    expect(axisRange({ series: [line('left', [-5, 20, null])], bands: [band] }, 'left')).toEqual([-5, 900]);
    expect(axisRange({ series: [line('left', [0.2])] }, 'left')).toEqual([0, 1]);
    expect(axisRange({ series: [] }, 'left')).toEqual([0, 1]);
  });

  it('y scale: top + ih − (v − a)/(b − a)·ih over the nice ticks a…b, optionally clipped at a', () => {
    const s = yScale([0, 1000], 5, 28, 100, true);
    expect(s.ticks).toEqual([0, 200, 400, 600, 800, 1000]);
    expect([s.y(0), s.y(500), s.y(1000)]).toEqual([128, 78, 28]);
    expect(s.y(-200)).toBe(128);
    expect(yScale([0, 1000], 5, 28, 100, false).y(-200)).toBe(148);
  });

  it('breaks lines at unknown readings instead of drawing through them', () => {
    const runs = pathRuns(
      [
        { t: 0, y: 1 },
        { t: 1, y: 2 },
        { t: 2, y: null },
        { t: 3, y: 4 },
      ],
      (t) => t * 10,
      (v) => 100 - v,
    );
    expect(runs).toEqual(['M0.0,99.0 L10.0,98.0', 'M30.0,96.0']);
  });

  it('draws series, clipped bands, censored markers and escapes names', () => {
    const svg = renderChart({
      width: 300,
      height: 200,
      title: 'A<B & "C"',
      leftLabel: 'units',
      rightLabel: '%',
      series: [
        {
          name: 'Stock',
          color: '#00f',
          axis: 'left',
          points: [
            { t: 0, y: 999, lowerBound: true },
            { t: 3_600_000, y: 500 },
          ],
        },
        {
          name: 'Claimed',
          color: '#f80',
          axis: 'right',
          points: [
            { t: 0, y: 0 },
            { t: 3_600_000, y: 40 },
          ],
        },
      ],
      bands: [
        {
          name: '80%',
          color: '#0a0',
          axis: 'left',
          points: [
            { t: 3_600_000, lo: -50, hi: 600 },
            { t: 7_200_000, lo: -100, hi: 700 },
          ],
        },
      ],
    });
    expect(svg.match(/class="series"/g)).toHaveLength(2);
    expect(svg.match(/class="censored"/g)).toHaveLength(1);
    expect(svg).toContain('A&lt;B &amp; &quot;C&quot;');
    // The units axis starts at 0: no tick label below zero even though the band dips under it.
    expect(svg).not.toMatch(/>-\d/);
    expect(escapeXml(`<'>`)).toBe('&lt;&#39;&gt;');
    expect(renderChart({ width: 100, height: 80, leftLabel: 'u', series: [] })).toContain('No data');
  });
});

describe('sell-out ETA overlay', () => {
  const H = 3_600_000;
  const base = {
    width: 300,
    height: 200,
    leftLabel: 'units',
    series: [
      {
        name: 'Stock',
        color: '#00f',
        axis: 'left' as const,
        points: [
          { t: 0, y: 600 },
          { t: 6 * H, y: 300 },
        ],
      },
    ],
  };
  const num = (svg: string, re: RegExp) => Number(re.exec(svg)![1]);

  it('shades P10–P90, rules P50, and widens the time axis to include them', () => {
    const svg = renderChart({ ...base, eta: { p10: 10 * H, p50: 12 * H, p90: 18 * H } });
    // Plot area x: 46 … 300 − 40 = 260 over t = 0 … 18 h, so x(t) = 46 + t/18h × 214.
    const x = (h: number) => 46 + (h / 18) * 214;
    expect(num(svg, /class="eta-range" x="([\d.]+)"/)).toBeCloseTo(x(10), 1);
    expect(num(svg, /class="eta-range" x="[\d.]+" y="[\d.]+" width="([\d.]+)"/)).toBeCloseTo(x(18) - x(10), 0);
    expect(num(svg, /class="eta" x1="([\d.]+)"/)).toBeCloseTo(x(12), 1);
    expect(svg).toContain('sell-out P50');
  });

  it('a P90 that never comes shades to the right edge; no ETA draws nothing; no data stays "No data"', () => {
    const svg = renderChart({ ...base, eta: { p10: 8 * H, p50: 9 * H, p90: null } });
    const x = (h: number) => 46 + (h / 9) * 214;
    const from = num(svg, /class="eta-range" x="([\d.]+)"/);
    expect(from).toBeCloseTo(x(8), 1);
    expect(from + num(svg, /class="eta-range" x="[\d.]+" y="[\d.]+" width="([\d.]+)"/)).toBeCloseTo(260, 1);
    expect(renderChart({ ...base })).not.toContain('eta');
    expect(renderChart({ ...base, series: [], eta: { p10: H, p50: 2 * H, p90: 3 * H } })).toContain('No data');
  });
});

describe('legible at 300 px', () => {
  const H = 3_600_000;
  const line = (ys: number[], context = false) => ({
    name: context ? 'Forecast' : 'Stock',
    color: '#000',
    axis: 'left' as const,
    context,
    points: ys.map((y, i) => ({ t: i * H, y })),
  });

  it('the units axis follows the lines that inform: context lines and bands do not stretch it; near-zero stock keeps 0', () => {
    const band = { name: '80%', color: '#0a0', axis: 'left' as const, context: true, points: [{ t: 0, lo: 0, hi: 2900 }] };
    expect(axisRange({ series: [line([250, 400]), line([0, 2900], true)], bands: [band] }, 'left')).toEqual([235, 400]);
    expect(axisRange({ series: [line([100, 400])] }, 'left')).toEqual([0, 400]); // 100 ≤ 0.3 × 400
    // Only values inside the window count.
    expect(axisRange({ series: [line([5000, 300, 350])], xRange: [H, 2 * H] }, 'left')).toEqual([295, 350]);
  });

  it('a window keeps the points inside it and one neighbour on each side', () => {
    const pts = [0, 1, 2, 3, 4, 5].map((t) => ({ t }));
    expect(inWindow(pts, 2.5, 3.5).map((p) => p.t)).toEqual([2, 3, 4]);
    expect(inWindow(pts, 6, 9).map((p) => p.t)).toEqual([5]);
    expect(inWindow(pts, -3, 0.5).map((p) => p.t)).toEqual([0, 1]);
  });

  it('the legend wraps into rows that fit the width', () => {
    const items = ['Stock', 'Deal claimed %', 'Forecast (ETS(A,N,N))', '80% interval (0 to 2903, beyond axis)'].map((name) => ({
      name,
      color: '#000',
    }));
    const rows = legendRows(items, 280);
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) expect(4 + row.reduce((w, i) => w + 13 + labelWidth(i.name) + 8, 0) - 8).toBeLessThanOrEqual(276);
    expect(rows.flat()).toEqual(items);
  });

  it('zoomed to a window, the sell-out label flips left of its rule near the right edge, and a clipped band says so', () => {
    const svg = renderChart({
      width: 280,
      height: 240,
      leftLabel: 'units',
      series: [line([400, 380, 300, 250, 200, 150])],
      bands: [
        {
          name: '80% interval',
          color: '#0a0',
          axis: 'left',
          context: true,
          points: [3, 4, 5].map((i) => ({ t: i * H, lo: 0, hi: 900 * i })),
        },
      ],
      eta: { p10: 5.5 * H, p50: 6.8 * H, p90: null, end: 7 * H },
      xRange: [2 * H, 7 * H],
    });
    expect(svg).toMatch(/dx="-3" text-anchor="end" font-size="9" fill="#d93025">sell-out P50/);
    expect(svg).toContain('80% interval (0 to 4500, beyond axis)');
    expect(svg).toContain('class="clip-mark"');
    // P10–P90 from 5.5 h to the deal's end at 7 h: x = 46 + (t − 2 h)/5 h × 194.
    const x = (h: number) => 46 + ((h - 2) / 5) * 194;
    expect(Number(/class="eta-range" x="([\d.]+)"/.exec(svg)![1])).toBeCloseTo(x(5.5), 1);
    expect(Number(/class="eta-range" x="[\d.]+" y="[\d.]+" width="([\d.]+)"/.exec(svg)![1])).toBeCloseTo(x(7) - x(5.5), 0);
  });
});

describe('forecast vs actual', () => {
  it('fits on the older readings and forecasts the held-out newest ones at their times', async () => {
    const { holdoutForecast } = await import('../../addon/src/sidebar/data');
    const points = Array.from({ length: 12 }, (_, i) => ({
      t: i * 3_600_000,
      stock: 500,
      lowerBound: false,
      claimed: null,
      dealType: 'NONE',
    }));
    const f = holdoutForecast(points)!;
    expect(f.points.map((p) => p.t)).toEqual([9, 10, 11].map((h) => h * 3_600_000));
    for (const p of f.points) expect(p.value).toBeCloseTo(500, 6); // a flat history forecasts flat
    expect(holdoutForecast(points.slice(0, 7))).toBeNull();
    // capped readings are unknown values, not data
    const capped = points.map((p) => ({ ...p, lowerBound: true }));
    expect(holdoutForecast(capped)).toBeNull();
  });
});
