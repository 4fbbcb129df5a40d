import { ALERT_LEVELS, type AlertLevel } from './types';

export function levelRank(level: AlertLevel): number {
  return ALERT_LEVELS.indexOf(level);
}

export function maxLevel(a: AlertLevel, b: AlertLevel): AlertLevel {
  return levelRank(a) >= levelRank(b) ? a : b;
}

/** One level up, capped at RED. */
export function bumpLevel(level: AlertLevel, steps: number): AlertLevel {
  return ALERT_LEVELS[Math.min(ALERT_LEVELS.length - 1, Math.max(0, levelRank(level) + steps))];
}

export interface TierEdges {
  yellow: number;
  orange: number;
  red: number;
}

/** Alert levels by excess over the band's upper limit: YELLOW at 10–30 %, ORANGE 30–60 %, RED above 60 %. */
export const DEFAULT_TIERS: TierEdges = { yellow: 10, orange: 30, red: 60 };

/**
 * Level for a percentage over the upper band. Edges are lower-inclusive: exactly 30 % is ORANGE,
 * exactly 60 % is RED ("60 %以上"). Below the YELLOW edge there is no level (null).
 */
export function levelForPercentOver(pctOver: number, tiers: TierEdges = DEFAULT_TIERS): AlertLevel | null {
  if (Number.isNaN(pctOver)) throw new RangeError('pctOver must be a number, got NaN');
  if (pctOver >= tiers.red) return 'RED';
  if (pctOver >= tiers.orange) return 'ORANGE';
  if (pctOver >= tiers.yellow) return 'YELLOW';
  return null;
}

export function describeTier(level: AlertLevel, tiers: TierEdges): string {
  switch (level) {
    case 'YELLOW':
      return `YELLOW: ${tiers.yellow} % ≤ over < ${tiers.orange} %`;
    case 'ORANGE':
      return `ORANGE: ${tiers.orange} % ≤ over < ${tiers.red} %`;
    case 'RED':
      return `RED: over ≥ ${tiers.red} %`;
  }
}

export function validateTiers(tiers: TierEdges): void {
  const { yellow, orange, red } = tiers;
  for (const [name, v] of [
    ['yellow', yellow],
    ['orange', orange],
    ['red', red],
  ] as const) {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`tiers.${name} must be a finite number ≥ 0, got ${v}`);
  }
  if (!(yellow < orange && orange < red)) {
    throw new RangeError(`tiers must increase (yellow < orange < red), got ${yellow}, ${orange}, ${red}`);
  }
}
