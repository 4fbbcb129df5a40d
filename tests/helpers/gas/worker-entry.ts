/** Runs a GasEnvironment inside a worker thread and executes the host's requests against it. */
import { parentPort, workerData } from 'node:worker_threads';
import { GasEnvironment, type GasEnvOptions } from './environment';

const opts = workerData.options as Omit<GasEnvOptions, 'now'>;
const env = new GasEnvironment(opts);
if (workerData.load) env.load();

parentPort!.on('message', async (msg: { id: number; src: string; args: unknown } | { id: number; dispose: true }) => {
  if ('dispose' in msg) {
    await env.dispose();
    parentPort!.postMessage({ id: msg.id, ok: true, value: null });
    return;
  }
  try {
    // The host sends a self-contained function's source; it gets the environment and plain-data args.
    const fn = new Function('env', 'args', `return (${msg.src})(env, args);`) as (e: GasEnvironment, a: unknown) => unknown;
    const value = await fn(env, msg.args);
    parentPort!.postMessage({ id: msg.id, ok: true, value: structuredClone(value) });
  } catch (e) {
    const err = e as Error;
    parentPort!.postMessage({ id: msg.id, ok: false, error: `${err.name}: ${err.message}\n${err.stack ?? ''}` });
  }
});
parentPort!.postMessage({ ready: true });
