/** The Keepa client's budget arithmetic (server/modules/keepa/keepa.client.ts) by hand, and the connector's configuration. */
import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { Db } from '../../server/db/db';
import { costPerAsin, KeepaClient, KeepaError, waitForTokensMs } from '../../server/modules/keepa/keepa.client';
import { compose } from '../../server/root';

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

describe('Keepa configuration', () => {
  it('is off without a key: no sync, no scheduled poll', async () => {
    const config = loadConfig({});
    expect(config.keepa).toEqual({ key: null, url: 'https://api.keepa.com', workspaces: [], intervalMinutes: 60, days: 2 });
    const db = await Db.open('sqlite::memory:');
    try {
      const root = compose(db, { keepa: { ...config.keepa, workspaces: ['acme'] } });
      expect(root.services.keepaSync.configured).toBe(false);
      expect(root.keepaScheduler.enabled).toBe(false);
      expect(await root.keepaScheduler.runOnce()).toEqual(new Map());
      await expect(root.services.keepaSync.sync('w', { days: 2, offers: null, maxListings: 10 })).rejects.toThrow(
        /connector is off: set RESTOCK_RADAR_KEEPA_KEY/,
      );
      const on = compose(db, { keepa: { ...config.keepa, key: 'k', workspaces: ['acme'], intervalMinutes: 15 } });
      expect(on.keepaScheduler.enabled).toBe(true);
      expect(on.keepaScheduler.intervalMs).toBe(15 * 60_000);
    } finally {
      await db.close();
    }
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ RESTOCK_RADAR_KEEPA_URL: 'ftp://x' })).toThrow(/RESTOCK_RADAR_KEEPA_URL must be an http\(s\) URL/);
    expect(() => loadConfig({ RESTOCK_RADAR_KEEPA_DAYS: '0' })).toThrow(/RESTOCK_RADAR_KEEPA_DAYS must be at least 1/);
    expect(loadConfig({ RESTOCK_RADAR_KEEPA_KEY: ' abc ', RESTOCK_RADAR_KEEPA_WORKSPACES: 'a, b,,' }).keepa).toMatchObject({
      key: 'abc',
      workspaces: ['a', 'b'],
    });
  });
});
