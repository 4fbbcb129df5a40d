/**
 * The schedulers' timer (server/periodic.ts): passes never overlap, the first comes after its delay
 * and the next ones every interval, and stop() waits for the pass in flight.
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { Periodic } from '../../server/periodic';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** A pass that stays open until release() and counts how many ran and how many overlapped. */
function gatedPass() {
  const s = { started: 0, open: 0, maxOpen: 0, release: () => {} };
  const pass = () => {
    s.started++;
    s.maxOpen = Math.max(s.maxOpen, ++s.open);
    return new Promise<number>(
      (resolve) =>
        (s.release = () => {
          s.open--;
          resolve(s.started);
        }),
    );
  };
  return { s, pass };
}

it('runs the first pass after its delay, then every interval, never two at once', async () => {
  const { s, pass } = gatedPass();
  const p = new Periodic(pass, 1000, 300);
  p.start();
  await vi.advanceTimersByTimeAsync(299);
  expect(s.started).toBe(0);
  await vi.advanceTimersByTimeAsync(1);
  expect(s.started).toBe(1);
  // The pass is still open: two more ticks join it instead of starting another.
  await vi.advanceTimersByTimeAsync(2500);
  expect(s.started).toBe(1);
  s.release();
  await vi.advanceTimersByTimeAsync(1000);
  expect(s.started).toBe(2);
  expect(s.maxOpen).toBe(1);
  s.release();
  await p.stop();
  await vi.advanceTimersByTimeAsync(10_000);
  expect(s.started).toBe(2);
});

it('once() joins the pass in flight and returns its result; stop() waits for it', async () => {
  const { s, pass } = gatedPass();
  const p = new Periodic(pass, 1000);
  const first = p.once();
  const joined = p.once(() => Promise.resolve(-1));
  expect(joined).toBe(first);
  let stopped = false;
  const stopping = p.stop().then(() => (stopped = true));
  await vi.advanceTimersByTimeAsync(0);
  expect(stopped).toBe(false);
  s.release();
  await stopping;
  expect(await first).toBe(1);
  // After it ends, a new call runs its own pass.
  expect(await p.once(() => Promise.resolve(7))).toBe(7);
});
