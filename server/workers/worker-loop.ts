/**
 * The worker thread's loop: imports the task registry named in workerData, answers "ready", then
 * runs one task per message and posts back its result or its error (name, message, stack), so the
 * pool can rebuild a RangeError as a RangeError (services map those to BAD_USER_INPUT).
 */
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

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('worker-loop.ts runs inside a worker thread only');
  const { registry, exportName } = workerData as { registry: string; exportName: string };
  const mod = (await import(registry)) as Record<string, TaskRegistry>;
  const tasks = mod[exportName];
  if (!tasks) throw new Error(`${registry} has no export "${exportName}"`);
  port.on('message', (m: TaskMessage) => {
    let reply: ResultMessage;
    try {
      const fn = tasks[m.task];
      if (typeof fn !== 'function') throw new Error(`unknown worker task "${m.task}"`);
      reply = { id: m.id, ok: true, value: (fn as (...a: unknown[]) => unknown)(...m.args) };
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
