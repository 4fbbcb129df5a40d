/** The Keepa client's budget arithmetic (server/modules/keepa/keepa.client.ts), by hand. */
import { describe, expect, it } from 'vitest';
import { costPerAsin, KeepaClient, KeepaError, waitForTokensMs } from '../../server/modules/keepa/keepa.client';

describe('waitForTokensMs', () => {
  it('is refillIn + (k − 1) minutes with k = ⌈(1 − t) / refillRate⌉ refills to reach one token', () => {
    expect(waitForTokensMs({ tokensLeft: 5, refillIn: 3000, refillRate: 5 })).toBe(0);
    // t = 0: one refill (k = ⌈1/5⌉ = 1).
    expect(waitForTokensMs({ tokensLeft: 0, refillIn: 3000, refillRate: 5 })).toBe(3000);
    // t = −12: k = ⌈13/5⌉ = 3 refills, the first in 3 s, then two more a minute apart.
    expect(waitForTokensMs({ tokensLeft: -12, refillIn: 3000, refillRate: 5 })).toBe(3000 + 2 * 60_000);
    // t = −10: k = ⌈11/5⌉ = 3 (two refills only reach 0).
    expect(waitForTokensMs({ tokensLeft: -10, refillIn: 0, refillRate: 5 })).toBe(2 * 60_000);
    expect(waitForTokensMs({ tokensLeft: 0, refillIn: 3000, refillRate: 0 })).toBe(Infinity);
  });
});

describe('costPerAsin', () => {
  it('is 1 + 1 (rating) + 6 per page of 10 offers', () => {
    expect(costPerAsin({ offers: null })).toBe(2);
    expect(costPerAsin({ offers: 20 })).toBe(14);
    expect(costPerAsin({ offers: 25 })).toBe(20);
  });
});

describe('KeepaClient budget', () => {
  it('estimates the balance from the last answer plus the refills since, and sizes batches to it', () => {
    const c = new KeepaClient({ key: 'k', baseUrl: 'http://127.0.0.1:1' });
    expect(c.tokensNow()).toBeNull();
    expect(c.affordable(250, { offers: null })).toBe(100);
    c.status = { tokensLeft: 30, refillIn: 10_000, refillRate: 20, receivedAt: 1_000_000 };
    expect(c.tokensNow(1_005_000)).toBe(30);
    expect(c.tokensNow(1_010_000)).toBe(50);
    expect(c.tokensNow(1_130_000)).toBe(90);
    c.status = { ...c.status, receivedAt: Date.now() };
    expect(c.affordable(100, { offers: null })).toBe(15);
    expect(c.affordable(100, { offers: 20 })).toBe(2);
    c.status = { ...c.status, tokensLeft: 1 };
    expect(c.affordable(100, { offers: 20 })).toBe(1);
  });

  it('needs a key', () => {
    expect(() => new KeepaClient({ key: '', baseUrl: 'http://x' })).toThrow(KeepaError);
  });
});
