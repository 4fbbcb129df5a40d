/**
 * The composition root (server/root.ts): every resolver the schema lists can be built from the
 * root's container, reactions run through the event bus without letting a failing listener fail
 * the publisher, and one clock reaches every service that reads the date.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Db } from '../../server/db/db';
import { EventBus } from '../../server/events';
import { RESOLVERS } from '../../server/modules/resolvers';
import { createPointsLoader } from '../../server/modules/snapshot/snapshot.points';
import { compose, type Root } from '../../server/root';

const DAY = 86_400_000;

describe('composition root', () => {
  let db: Db;
  let root: Root;
  beforeAll(async () => {
    db = await Db.open('sqlite::memory:');
    root = compose(db);
  });
  afterAll(async () => {
    await root.services.alertEvaluator.idle();
    await db.close();
  });

  it('builds every resolver the schema lists, each once, with its services', () => {
    for (const cls of RESOLVERS) {
      const instance = root.resolvers.get(cls as abstract new (...args: never[]) => unknown);
      expect(instance, cls.name).toBeInstanceOf(cls);
      expect(root.resolvers.get(cls as abstract new (...args: never[]) => unknown)).toBe(instance);
    }
  });

  it('refuses a resolver that needs services but was not registered, naming it and the root', () => {
    class UnregisteredResolver {
      constructor(readonly service: object) {}
    }
    expect(() => root.resolvers.get(UnregisteredResolver)).toThrow(/UnregisteredResolver.*server\/root\.ts/);
  });

  it('gives every service the same clock: pinning it moves planning and intelligence together', () => {
    const t = Date.UTC(2025, 1, 3, 10, 0, 0);
    root.clock.now = () => t;
    expect(root.services.planning.today()).toBe(Math.floor(t / DAY));
    expect(root.services.intelligence.forRequest(createPointsLoader(db)).now).toBe(t);
  });

  it('wires the evaluator to ingest events unless told not to', async () => {
    const quiet = compose(db, { alertsOnIngest: false });
    const spy = vi.spyOn(quiet.services.alertEvaluator, 'onSnapshots');
    await quiet.events.publish('snapshots.recorded', { workspaceId: 'w', competitorIds: ['c'] });
    expect(spy).not.toHaveBeenCalled();
    const live = compose(db);
    const liveSpy = vi.spyOn(live.services.alertEvaluator, 'onSnapshots').mockResolvedValue();
    await live.events.publish('snapshots.recorded', { workspaceId: 'w', competitorIds: ['c'] });
    expect(liveSpy).toHaveBeenCalledWith('w', ['c']);
  });
});

describe('event bus', () => {
  it('runs handlers in subscription order and waits for them', async () => {
    const bus = new EventBus();
    const seen: string[] = [];
    bus.subscribe('products.changed', async (e) => {
      await new Promise((r) => setTimeout(r, 5));
      seen.push(`a:${e.productIds.join()}`);
    });
    bus.subscribe('products.changed', (e) => void seen.push(`b:${e.productIds.join()}`));
    await bus.publish('products.changed', { workspaceId: 'w', productIds: ['p1'] });
    expect(seen).toEqual(['a:p1', 'b:p1']);
  });

  it('logs a failing handler and still runs the next; the publisher never sees the error', async () => {
    const bus = new EventBus();
    const after = vi.fn();
    bus.subscribe('ledger.recorded', () => {
      throw new Error('listener broke');
    });
    bus.subscribe('ledger.recorded', after);
    await expect(bus.publish('ledger.recorded', { workspaceId: 'w', productIds: [] })).resolves.toBeUndefined();
    expect(after).toHaveBeenCalledOnce();
  });

  it('stops calling a handler once unsubscribed, and other events never reach it', async () => {
    const bus = new EventBus();
    const handler = vi.fn();
    const off = bus.subscribe('alert.resolved', handler);
    await bus.publish('alerts.committed', { workspaceId: 'w', events: [] });
    expect(handler).not.toHaveBeenCalled();
    off();
    await bus.publish('alert.resolved', { workspaceId: 'w', alert: {} as never });
    expect(handler).not.toHaveBeenCalled();
  });
});
