/**
 * Hosts a GasEnvironment in a worker thread. Needed whenever the HTTP server the add-on talks to runs
 * in the test's own thread: the emulated UrlFetchApp blocks its thread (Apps Script's fetch is
 * synchronous), which would otherwise freeze the very server it is waiting for.
 */
import { Worker } from 'node:worker_threads';
import type { GasEnvironment, GasEnvOptions } from './environment';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class GasWorkerHost {
  private seq = 0;
  private pending = new Map<number, Pending>();
  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: { id?: number; ok?: boolean; value?: unknown; error?: string }) => {
      if (m.id === undefined) return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(new Error(m.error));
    });
    worker.on('error', (e) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    });
  }

  static async start(options: Omit<GasEnvOptions, 'now'>, load = true): Promise<GasWorkerHost> {
    const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), {
      workerData: { entry: new URL('./worker-entry.ts', import.meta.url).href, options, load },
    });
    await new Promise<void>((resolve, reject) => {
      const onMsg = (m: { ready?: boolean }) => {
        if (m.ready) {
          worker.off('message', onMsg);
          resolve();
        }
      };
      worker.on('message', onMsg);
      worker.once('error', reject);
    });
    return new GasWorkerHost(worker);
  }

  /** Runs `fn(env, args)` in the worker. `fn` must be self-contained: it is sent as source text. */
  eval<A, R>(fn: (env: GasEnvironment, args: A) => R, args?: A): Promise<Awaited<R>> {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, src: fn.toString(), args });
    });
  }

  async stop(): Promise<void> {
    const id = ++this.seq;
    await new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, dispose: true });
    });
    await this.worker.terminate();
  }
}
