/**
 * The worker thread's loop: lowers the thread's CPU priority (see lowerPriority), imports the task
 * registry named in workerData, answers "ready", then runs one task per message (a task may return
 * a promise: its value is awaited) and posts back its result or its error (name, message, stack),
 * so the pool can rebuild a RangeError as a RangeError (services map those to BAD_USER_INPUT).
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { TaskRegistry } from './tasks';

/** A task to run, as posted by the pool. */
export interface TaskMessage {
  id: number;
  task: string;
  args: unknown[];
}

/** A task's outcome, as posted back. */
export type ResultMessage =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { name: string; message: string; stack?: string } };

/**
 * Raises this thread's nice value by `by` (at most 19), so the kernel gives the event loop's thread
 * the CPU first when both want it: with nice +10 a worker thread weighs 110 against the main
 * thread's 1024 in Linux's scheduler (sched_prio_to_weight), so on a core they share the event
 * loop gets about 90 % of it instead of half. Linux nice values are per thread: setpriority() on
 * the thread id (from /proc/thread-self) changes this thread only. Elsewhere, or when refused, the
 * thread keeps the process's priority. Returns the nice value set, or null.
 */
export function lowerPriority(by: number): number | null {
  if (by <= 0) return null;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return null;
    const nice = Math.min(19, getPriority(tid) + by);
    setPriority(tid, nice);
    return nice;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('worker-loop.ts runs inside a worker thread only');
  const { registry, exportName, niceness } = workerData as { registry: string; exportName: string; niceness?: number };
  lowerPriority(niceness ?? 0);
  const mod = (await import(registry)) as Record<string, TaskRegistry>;
  const tasks = mod[exportName];
  if (!tasks) throw new Error(`${registry} has no export "${exportName}"`);
  port.on('message', async (m: TaskMessage) => {
    let reply: ResultMessage;
    try {
      const fn = tasks[m.task];
      if (typeof fn !== 'function') throw new Error(`unknown worker task "${m.task}"`);
      reply = { id: m.id, ok: true, value: await (fn as (...a: unknown[]) => unknown)(...m.args) };
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      reply = { id: m.id, ok: false, error: { name: err.name, message: err.message, stack: err.stack } };
    }
    try {
      port.postMessage(reply);
    } catch (e) {
      // A result that cannot be cloned (a function, a class with private state) is the task's bug.
      port.postMessage({
        id: m.id,
        ok: false,
        error: {
          name: 'DataCloneError',
          message: `task "${m.task}" returned a value that cannot be sent between threads: ${(e as Error).message}`,
        },
      });
    }
  });
  port.postMessage({ ready: true });
}

await main();
