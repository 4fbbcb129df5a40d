/**
 * The one staleness rule (core/series/provenance.ts captureStaleness), shared by dataStatus.stale and
 * the DATA_STALE alert: golden cases worked by hand, and properties over random feeds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { captureIntervalMs, captureStaleness, staleAfterMs } from '../../../core/series/provenance';
import { HOUR_MS, type SnapshotPoint } from '../../../core/series/types';

const MIN = 60_000;
const T0 = Date.UTC(2026, 5, 1);

describe('captureStaleness (golden)', () => {
  it('T = max(2 h, factor × interval)', () => {
    expect(staleAfterMs(HOUR_MS)).toBe(3 * HOUR_MS);
    expect(staleAfterMs(10 * MIN)).toBe(2 * HOUR_MS); // 3 × 10 min = 30 min, floored at 2 h
    expect(staleAfterMs(24 * HOUR_MS, 4.5)).toBe(108 * HOUR_MS);
    expect(() => staleAfterMs(0)).toThrow(/intervalMs/);
    expect(() => staleAfterMs(HOUR_MS, 0.5)).toThrow(/factor/);
  });

  it('a live hourly feed is stale once nothing arrived for 3 h (age from arrival, not capture)', () => {
    const base = { newestCaptureAt: T0, newestArrivedAt: T0 + 2 * MIN, intervalMs: HOUR_MS };
    expect(captureStaleness({ ...base, now: T0 + 2 * MIN + 179 * MIN })).toMatchObject({ live: true, stale: false });
    const s = captureStaleness({ ...base, now: T0 + 2 * MIN + 180 * MIN });
    expect(s).toMatchObject({
      live: true,
      stale: true,
      staleAfterMs: 3 * HOUR_MS,
      arrivalAgeMs: 3 * HOUR_MS,
      arrivalLagMs: 2 * MIN,
      multiple: 1,
    });
    expect(s.note).toMatch(/nothing arrived for 3 h/);
    expect(captureStaleness({ ...base, now: T0 + 2 * MIN + 12 * HOUR_MS }).multiple).toBe(4);
  });

  it('history imported 3 days after it was captured is never stale, however old', () => {
    for (const later of [0, 6 * HOUR_MS, 30 * 24 * HOUR_MS]) {
      const s = captureStaleness({
        now: T0 + 72 * HOUR_MS + later,
        newestCaptureAt: T0,
        newestArrivedAt: T0 + 72 * HOUR_MS,
        intervalMs: HOUR_MS,
      });
      expect(s).toMatchObject({ live: false, stale: false, multiple: 0, arrivalLagMs: 72 * HOUR_MS });
      expect(s.note).toMatch(/arrived 72 h after it was captured/);
    }
  });

  it('without an arrival time the capture time counts; nothing captured is stale', () => {
    expect(captureStaleness({ now: T0 + 4 * HOUR_MS, newestCaptureAt: T0, newestArrivedAt: null, intervalMs: HOUR_MS })).toMatchObject({
      live: true,
      stale: true,
    });
    expect(captureStaleness({ now: T0, newestCaptureAt: null, newestArrivedAt: null, intervalMs: HOUR_MS })).toMatchObject({ stale: true });
  });

  it('the capture interval is the median of the newest 48 gaps: a feed that went from daily to hourly is hourly', () => {
    const pts: SnapshotPoint[] = [];
    for (let d = 30; d > 3; d--) pts.push({ at: T0 - d * 24 * HOUR_MS } as SnapshotPoint);
    for (let h = 60; h >= 0; h--) pts.push({ at: T0 - h * HOUR_MS } as SnapshotPoint);
    expect(captureIntervalMs(pts)).toBe(HOUR_MS);
    expect(captureIntervalMs(pts.slice(0, 1))).toBeNull();
  });
});

describe('captureStaleness (properties)', () => {
  const feed = fc.record({
    intervalMin: fc.integer({ min: 1, max: 48 * 60 }),
    factor: fc.double({ min: 1, max: 10, noNaN: true }),
    lagMin: fc.integer({ min: 0, max: 30 * 24 * 60 }),
    sinceMin: fc.integer({ min: 0, max: 60 * 24 * 60 }),
  });

  it('stale ⇔ live ∧ age ≥ T; a feed arriving later than T after capture is never stale; staleness only grows with silence', () => {
    fc.assert(
      fc.property(feed, ({ intervalMin, factor, lagMin, sinceMin }) => {
        const arrived = T0 + lagMin * MIN;
        const s = captureStaleness({
          now: arrived + sinceMin * MIN,
          newestCaptureAt: T0,
          newestArrivedAt: arrived,
          intervalMs: intervalMin * MIN,
          factor,
        });
        const T = Math.max(2 * HOUR_MS, factor * intervalMin * MIN);
        expect(s.staleAfterMs).toBeCloseTo(T, 6);
        expect(s.live).toBe(lagMin * MIN <= T);
        expect(s.stale).toBe(s.live && sinceMin * MIN >= T);
        const later = captureStaleness({
          now: arrived + (sinceMin + 60) * MIN,
          newestCaptureAt: T0,
          newestArrivedAt: arrived,
          intervalMs: intervalMin * MIN,
          factor,
        });
        if (s.stale) expect(later.stale).toBe(true);
        expect(later.multiple).toBeGreaterThanOrEqual(s.multiple);
      }),
      { seed: 14, numRuns: 300 },
    );
  });
});
