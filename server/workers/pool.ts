/**
 * A pool of worker threads that runs named pure core tasks (tasks.ts) off the event loop, so one
 * request with many forecasts or simulations no longer stalls every other request.
 *
 * - Size: `size` threads (default os.availableParallelism(), at least 1), started on demand and
 *   kept; an idle thread is unref'd so it never holds a CLI process open.
 * - Priority: each thread lowers its own CPU priority (nice +`niceness`, default 10, Linux), so
 *   on a machine with as many busy threads as cores the event loop still gets the CPU when a
 *   request arrives: pool work waits a few milliseconds, the request does not wait for a fit.
 * - Queue: first come, first served. A task whose AbortSignal fires while queued is dropped and
 *   rejects with the signal's reason; one already running finishes in its thread and its result is
 *   ignored (core tasks are synchronous: a thread cannot be interrupted without being killed).
 * - Errors: a task's exception comes back with its name and message, rebuilt as the same class for
 *   RangeError and TypeError (services map those to BAD_USER_INPUT) and as WorkerTaskError
 *   otherwise. A thread that dies (uncaught error, out of memory, process.exit) rejects its task
 *   with WorkerCrashedError and is replaced for the next task.
 * - Shutdown: `close()` rejects queued tasks and terminates the threads (App.close calls it).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { TaskRegistry, Tasks } from './tasks';
import type { ResultMessage } from './worker-loop';

/** An exception thrown inside a task (not a RangeError/TypeError), with the task's name. */
export class WorkerTaskError extends Error {
  constructor(
    readonly task: string,
    readonly originalName: string,
    message: string,
  ) {
    super(`worker task "${task}" failed: ${originalName}: ${message}`);
    this.name = 'WorkerTaskError';
  }
}

/** The thread running a task died before answering. */
export class WorkerCrashedError extends Error {
  constructor(
    readonly task: string,
    detail: string,
  ) {
    super(`worker thread running task "${task}" crashed: ${detail}`);
    this.name = 'WorkerCrashedError';
  }
}

export interface WorkerPoolOptions {
  /** Threads (default os.availableParallelism()); values below 1 are refused. */
  size?: number;
  /** Module exporting the registry (default ./tasks.ts); tests point it at their own tasks. */
  registry?: URL;
  /** The registry's export name in that module (default "TASKS"). */
  exportName?: string;
  /** How much lower than the process the threads run (nice increment, default 10; 0 = the same). */
  niceness?: number;
}

/** Anything that runs the registry's tasks by name (the pool; tests may run them inline). */
export interface TaskRunner<R extends TaskRegistry = Tasks> {
  run<N extends keyof R & string>(task: N, args: Parameters<R[N]>, signal?: AbortSignal): Promise<Awaited<ReturnType<R[N]>>>;
}

interface Job {
  id: number;
  task: string;
  args: unknown[];
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: Job | null;
  /** Settles when the thread has loaded the registry (or died trying). */
  started: Promise<void>;
  markStarted: () => void;
}

const WORKER_ENTRY = new URL('./worker.mjs', import.meta.url);

/** Rebuilds an error posted by a worker: RangeError/TypeError keep their class, others name the task. */
function rebuildError(task: string, e: { name: string; message: string; stack?: string }): Error {
  const err = e.name === 'RangeError' ? new RangeError(e.message) : e.name === 'TypeError' ? new TypeError(e.message) : null;
  if (!err) return new WorkerTaskError(task, e.name, e.message);
  if (e.stack) err.stack = e.stack;
  return err;
}

/** The parent's flags minus its tsx loader (worker.mjs registers tsx itself, scoped to its import). */
function workerExecArgv(): string[] {
  const out: string[] = [];
  const args = process.execArgv;
  for (let i = 0; i < args.length; i++) {
    if (/^--(import|require|loader)$/.test(args[i]) && /tsx/.test(args[i + 1] ?? '')) i++;
    else if (!/tsx/.test(args[i])) out.push(args[i]);
  }
  return out;
}

export class WorkerPool<R extends TaskRegistry = Tasks> implements TaskRunner<R> {
  readonly size: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private readonly registry: URL;
  private readonly exportName: string;
  private readonly niceness: number;
  /** Threads started since creation (a replaced crashed thread counts again). */
  started = 0;

  constructor(opts: WorkerPoolOptions = {}) {
    const size = opts.size ?? availableParallelism();
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`worker pool size must be an integer ≥ 1, got ${size}`);
    this.size = size;
    this.registry = opts.registry ?? new URL('./tasks.ts', import.meta.url);
    this.exportName = opts.exportName ?? 'TASKS';
    this.niceness = opts.niceness ?? 10;
  }

  /** Tasks waiting for a thread. */
  get queued(): number {
    return this.queue.length;
  }

  /** Threads busy with a task. */
  get busy(): number {
    return this.slots.filter((s) => s.job).length;
  }

  /** Starts every thread now instead of on first use; resolves once each has loaded the registry. */
  async warm(): Promise<void> {
    while (!this.closed && this.slots.length < this.size) this.spawn();
    await Promise.all(this.slots.map((s) => s.started));
  }

  run<N extends keyof R & string>(task: N, args: Parameters<R[N]>, signal?: AbortSignal): Promise<Awaited<ReturnType<R[N]>>> {
    if (this.closed) return Promise.reject(new Error(`worker pool is closed: task "${task}" not run`));
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<Awaited<ReturnType<R[N]>>>((resolve, reject) => {
      const job: Job = { id: this.nextId++, task, args, resolve: resolve as (v: unknown) => void, reject, signal };
      if (signal) {
        job.onAbort = () => this.abandon(job);
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.queue.push(job);
      this.pump();
    });
  }

  /** Rejects every queued task and terminates the threads. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.queue.splice(0)) this.settle(job, new Error(`worker pool closed before task "${job.task}" ran`));
    const slots = this.slots.splice(0);
    for (const s of slots) {
      if (s.job) this.settle(s.job, new Error(`worker pool closed while task "${s.job.task}" ran`));
      s.markStarted();
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  /** A signal fired: drop the job if queued; if running, settle it now and ignore its result. */
  private abandon(job: Job): void {
    const i = this.queue.indexOf(job);
    if (i >= 0) this.queue.splice(i, 1);
    this.settle(job, job.signal?.reason ?? new Error(`task "${job.task}" aborted`));
  }

  /** Settles a job once: a late result of an abandoned job is ignored. */
  private settle(job: Job, error: unknown, value?: unknown): void {
    if (job.signal && job.onAbort) job.signal.removeEventListener('abort', job.onAbort);
    const { resolve, reject } = job;
    job.resolve = job.reject = () => {};
    if (error !== undefined) reject(error);
    else resolve(value);
  }

  /** Hands queued jobs to idle ready threads, starting threads (up to `size`) for the rest. */
  private pump(): void {
    const starting = this.slots.filter((s) => !s.ready).length;
    for (let k = starting; k < this.queue.length && this.slots.length < this.size; k++) this.spawn();
    for (const slot of this.slots) {
      if (!this.queue.length) return;
      if (!slot.ready || slot.job) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      slot.worker.postMessage({ id: job.id, task: job.task, args: job.args });
    }
  }

  private spawn(): void {
    const worker = new Worker(WORKER_ENTRY, {
      workerData: { registry: this.registry.href, exportName: this.exportName, niceness: this.niceness },
      execArgv: workerExecArgv(),
    });
    this.started++;
    let markStarted = () => {};
    const started = new Promise<void>((ok) => (markStarted = ok));
    const slot: Slot = { worker, ready: false, job: null, started, markStarted };
    this.slots.push(slot);
    worker.on('message', (m: ResultMessage | { ready: true }) => {
      if ('ready' in m) {
        slot.ready = true;
        slot.markStarted();
        worker.unref();
        return this.pump();
      }
      const job = slot.job;
      slot.job = null;
      worker.unref();
      if (job && job.id === m.id) this.settle(job, m.ok ? undefined : rebuildError(job.task, m.error), m.ok ? m.value : undefined);
      this.pump();
    });
    worker.on('error', (e) => this.lose(slot, `${e.name}: ${e.message}`));
    worker.on('exit', (code) => this.lose(slot, `exited with code ${code}`));
  }

  /** A thread died: fail its task (or the queue, if no thread could start) and start a replacement. */
  private lose(slot: Slot, detail: string): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return; // already handled ('error' is followed by 'exit'), or closed
    this.slots.splice(i, 1);
    slot.markStarted();
    if (slot.job) this.settle(slot.job, new WorkerCrashedError(slot.job.task, detail));
    else if (!slot.ready && !this.slots.some((s) => s.ready)) {
      // The thread could not even start (a broken registry): queued tasks would wait forever.
      for (const job of this.queue.splice(0)) this.settle(job, new WorkerCrashedError(job.task, `could not start: ${detail}`));
    }
    if (!this.closed) this.pump();
  }
}
