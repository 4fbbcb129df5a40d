// Event-loop monitor preloaded into a benchmarked server (`node --import ./bench/lib/loop-monitor.mjs`,
// passed by bench/stall.ts through NODE_OPTIONS). Main thread only. Records
//  - perf_hooks.monitorEventLoopDelay (10 ms resolution): the loop's delay histogram;
//  - every block: a 5 ms timer that fired more than 20 ms late, with its start (epoch ms), its length
//    and the main thread's CPU time within it (process.threadCpuUsage): a block with little CPU is the
//    thread waiting for a core (the machine's other jobs), one with CPU ≈ length is the server's work.
// On SIGUSR2 it appends one JSON line (histogram percentiles in ms, blocks since the last report) to
// the file named by RESTOCK_RADAR_LOOP_REPORT and resets, so the bench reads one report per phase.
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

const file = process.env.RESTOCK_RADAR_LOOP_REPORT;
if (isMainThread && file) {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const TICK = 5;
  const BLOCK = 20;
  let blocks = [];
  const cpuMs = () => {
    const u = process.threadCpuUsage();
    return (u.user + u.system) / 1000;
  };
  let last = performance.now();
  let lastCpu = cpuMs();
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = cpuMs();
    const late = now - last - TICK;
    if (late > BLOCK) blocks.push({ at: Math.round(performance.timeOrigin + last), ms: Math.round(late), cpu: Math.round(cpu - lastCpu) });
    last = now;
    lastCpu = cpu;
  }, TICK);
  timer.unref();
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  process.on('SIGUSR2', () => {
    const report = {
      p50: ms(h.percentile(50)),
      p95: ms(h.percentile(95)),
      p99: ms(h.percentile(99)),
      max: ms(h.max),
      blocks,
    };
    appendFileSync(file, JSON.stringify(report) + '\n');
    h.reset();
    blocks = [];
  });
}
