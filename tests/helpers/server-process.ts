/**
 * The real server as its own process, started the way `npm start` runs it (`serve`), for tests
 * and benchmarks that need a process boundary (kill -9, separate CPU, production settings).
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process printed so far (stdout and piped stderr). */
  output(): string;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

const started = new Set<ChildProcess>();
let reaper = false;

/**
 * Starts `serve --no-demo` with `env` added to this process's environment; resolves once it listens.
 * `cwd`: the checkout whose server runs (default this process's working directory; benchmarks pass
 * another checkout to compare two versions on one machine).
 */
export function spawnServer(env: Record<string, string>, opts: { stderr?: 'pipe' | 'inherit'; cwd?: string } = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'serve', '--no-demo'], {
    cwd: opts.cwd,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', RESTOCK_RADAR_QUIET: '1', ...env },
    stdio: ['ignore', 'pipe', opts.stderr ?? 'pipe'],
  });
  started.add(child);
  child.once('exit', () => started.delete(child));
  if (!reaper) {
    // Never leave servers behind when the test file or benchmark ends, however it ends.
    process.once('exit', () => started.forEach((c) => c.kill('SIGKILL')));
    reaper = true;
  }
  let out = '';
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /on (http:\/\/\S+)\/graphql/.exec(out);
      if (m) {
        resolve({
          url: m[1],
          child,
          output: () => out,
          stop: () =>
            new Promise<void>((res) => {
              if (child.exitCode !== null || child.signalCode !== null) return res();
              child.once('exit', () => res());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
  });
}

/** Kills every server this process started (afterAll). */
export function killServers(): void {
  for (const c of started) c.kill('SIGKILL');
}
