/**
 * Sell-out ETA on seeded simulated deals (issue 14, item 3): Poisson claims, % claimed rounded to
 * whole points, captures every 10 minutes at a random phase, no scheduled start (core/deals/simulate.ts
 * etaScenario). Two hours into each deal, the P50's error relative to the true sell-out, measured
 * from the start as (P50 − start) ÷ (truth − start) − 1, has a median within ±15 % for constant
 * drains and decay rates 0.1–0.5 per hour, and P10–P90 covers the truth in ≥ 80 % of the cases.
 */
import { describe, expect, it } from 'vitest';
import { detectDeals } from '../../../core/deals/detect';
import { etaScenario } from '../../../core/deals/simulate';
import { HOUR_MS } from '../../../core/series/types';

const START = Date.UTC(2026, 0, 5, 10);
const SEEDS = 30;

function etaErrors(k: number): { rel: number[]; covered: number; n: number; decay: number } {
  const rel: number[] = [];
  let covered = 0;
  let decay = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const sc = etaScenario(k, seed, 10, START);
    const now = START + 2 * HOUR_MS;
    if (sc.soldOutAt === null || sc.soldOutAt <= now + 10 * 60_000) continue;
    const d = detectDeals(
      sc.points.filter((p) => p.at <= now),
      { now, etaDraws: 200 },
    ).at(-1);
    expect(d?.status).toBe('LIVE');
    const e = d?.sellOutEta ?? null;
    rel.push(((e?.p50 ?? Infinity) - START) / (sc.soldOutAt - START) - 1);
    if (e && e.p10 !== null && e.p10 <= sc.soldOutAt && (e.p90 === null || sc.soldOutAt <= e.p90)) covered++;
    if (d?.drainModel === 'DECAY') decay++;
  }
  return { rel, covered, n: rel.length, decay };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

describe('sell-out ETA two hours into simulated deals', () => {
  const results = new Map([0, 0.1, 0.25, 0.5].map((k) => [k, etaErrors(k)]));
  for (const [k, r] of results)
    it(`${k === 0 ? 'constant drain' : `decay ${k}/h`}: median P50 error within ±15 % (${r.n} deals)`, () => {
      expect(r.n).toBeGreaterThanOrEqual(SEEDS - 5);
      expect(Math.abs(median(r.rel))).toBeLessThanOrEqual(0.15);
    });
  it('P10–P90 covers the true sell-out in ≥ 80 % of the deals', () => {
    const all = [...results.values()];
    const covered = all.reduce((s, r) => s + r.covered, 0);
    const n = all.reduce((s, r) => s + r.n, 0);
    expect(covered / n).toBeGreaterThanOrEqual(0.8);
  });
  it('a deal decaying at 0.25/h (the issue’s 200·e^(−0.25 t)) reads as DECAY more often than not', () => {
    expect((results.get(0.25) as { decay: number; n: number }).decay).toBeGreaterThan((results.get(0.25) as { n: number }).n / 2);
  });
});
