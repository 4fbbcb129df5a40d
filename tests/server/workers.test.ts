/**
 * The worker pool (server/workers/pool.ts) with real threads: tasks run off the event loop, errors
 * come back with their class and message, a crashed thread is replaced, abort signals drop queued
 * work, and close() ends everything. Runs under vitest, so it also proves the threads load
 * TypeScript without the parent's loader (worker.mjs registers tsx itself).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { loadConfig } from '../../server/config';
import { WorkerCrashedError, WorkerPool, WorkerTaskError } from '../../server/workers/pool';
import { startTestServer } from '../helpers/server';
import { forecast } from '../../core/forecast';
import type { TEST_TASKS } from '../fixtures/workers/tasks';

const registry = new URL('../fixtures/workers/tasks.ts', import.meta.url);
let pool: WorkerPool<typeof TEST_TASKS> | null = null;
const testPool = (size: number, niceness?: number) =>
  (pool = new WorkerPool<typeof TEST_TASKS>({ size, registry, exportName: 'TEST_TASKS', niceness }));

afterEach(async () => {
  await pool?.close();
  pool = null;
});

describe('worker pool', () => {
  it('runs a task in a thread and returns its value', async () => {
    expect(await testPool(1).run('add', [2, 3])).toBe(5);
  });

  it('keeps the event loop free while a task spins', async () => {
    const p = testPool(1);
    await p.warm();
    const heavy = p.run('spin', [1500, 'done']);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 10));
    // A timer on this thread fires while the worker spins for 1.5 s (inline it would wait for it).
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(await heavy).toBe('done');
  });

  it('awaits a task that returns a promise', async () => {
    expect(await testPool(1).run('later', [7, 20])).toBe(7);
  });

  it.runIf(process.platform === 'linux')("lowers its threads' priority (nice +10 by default), not the event loop's", async () => {
    const own = Number(readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ')[16]);
    expect(await testPool(1).run('threadNice', [])).toBe(Math.min(19, own + 10));
    await pool!.close();
    expect(await testPool(1, 3).run('threadNice', [])).toBe(Math.min(19, own + 3));
    await pool!.close();
    expect(await testPool(1, 0).run('threadNice', [])).toBe(own);
    // The main thread keeps its priority.
    expect(Number(readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ')[16])).toBe(own);
  });

  it('rebuilds RangeError as RangeError and names the task for other errors', async () => {
    const p = testPool(1);
    const range = await p.run('rangeError', ['input.runs']).catch((e) => e);
    expect(range).toBeInstanceOf(RangeError);
    expect(range.message).toBe('input.runs must be > 0');
    const plain = await p.run('plainError', []).catch((e) => e);
    expect(plain).toBeInstanceOf(WorkerTaskError);
    expect(plain.message).toBe('worker task "plainError" failed: Error: boom');
    const clone = await p.run('uncloneable', []).catch((e) => e);
    expect(clone).toBeInstanceOf(WorkerTaskError);
    expect(clone.message).toMatch(/uncloneable.*cannot be sent between threads/);
  });

  it('replaces a crashed thread and keeps serving', async () => {
    const p = testPool(1);
    const crashed = await p.run('crash', []).catch((e) => e);
    expect(crashed).toBeInstanceOf(WorkerCrashedError);
    expect(crashed.message).toMatch(/task "crash" crashed: exited with code 3/);
    expect(await p.run('add', [1, 1])).toBe(2);
    expect(p.started).toBe(2);
  });

  it('runs up to `size` tasks at once', async () => {
    const p = testPool(2);
    await p.warm();
    const [a, b] = await Promise.all([p.run('span', [300]), p.run('span', [300])]);
    // Two threads: the second task started before the first ended (one thread would run them in turn).
    expect(Math.max(a.start, b.start)).toBeLessThan(Math.min(a.end, b.end));
  });

  it('drops queued work when its signal aborts, with the signal reason', async () => {
    const p = testPool(1);
    await p.warm();
    const running = p.run('spin', [300, 'first']);
    const ac = new AbortController();
    const queued = p.run('spin', [300, 'second'], ac.signal).catch((e) => e);
    expect(p.queued).toBe(1);
    ac.abort(new Error('budget'));
    expect(((await queued) as Error).message).toBe('budget');
    expect(p.queued).toBe(0);
    expect(await running).toBe('first');
  });

  it('rejects queued and new tasks on close', async () => {
    const p = testPool(1);
    await p.warm();
    const running = p.run('spin', [200, 'x']).catch((e) => e);
    const queued = p.run('add', [1, 2]).catch((e) => e);
    await p.close();
    expect(((await running) as Error).message).toMatch(/closed while task "spin" ran/);
    expect(((await queued) as Error).message).toMatch(/closed before task "add" ran/);
    await expect(p.run('add', [1, 2])).rejects.toThrow(/worker pool is closed/);
  });

  it('refuses a size below 1', () => {
    expect(() => new WorkerPool({ size: 0 })).toThrow(/size must be an integer ≥ 1, got 0/);
  });

  it('gives the same forecast in a thread as inline (the production registry)', async () => {
    const prod = new WorkerPool({ size: 1 });
    try {
      const y = Array.from({ length: 120 }, (_, i) => 10 + ((i * 7) % 5));
      expect(await prod.run('forecast', [y, { horizon: 14 }])).toEqual(forecast(y, { horizon: 14 }));
    } finally {
      await prod.close();
    }
  });

  it('is sized by RESTOCK_RADAR_WORKERS (default: the cores, at least 1) and ends with the app', async () => {
    expect(loadConfig({}).workers).toBe(availableParallelism());
    expect(loadConfig({}).timeBudgetMs).toBe(10_000);
    expect(loadConfig({ RESTOCK_RADAR_WORKERS: '3' }).workers).toBe(3);
    expect(() => loadConfig({ RESTOCK_RADAR_WORKERS: '0' })).toThrow(/RESTOCK_RADAR_WORKERS must be at least 1/);
    const s = await startTestServer({ env: { RESTOCK_RADAR_WORKERS: '1' } });
    expect(s.app.pool.size).toBe(1);
    expect((await s.app.pool.run('forecast', [[1, 2, 3, 4, 5, 6, 7, 8], { horizon: 2 }])).points).toHaveLength(2);
    await s.stop();
    await expect(s.app.pool.run('forecast', [[1, 2, 3], { horizon: 1 }])).rejects.toThrow(/worker pool is closed/);
  });
});
