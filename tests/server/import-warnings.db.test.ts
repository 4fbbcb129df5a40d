/**
 * A large CSV imported by the real CLI (its own process, as an operator runs it) prints no process
 * warning: the parser's backpressure wait used to leave a 'close' listener behind on every wait,
 * and Node warned "MaxListenersExceededWarning: … 11 close listeners added to [Parser]" part-way
 * through any file of more than a few hundred kilobytes. Run on SQLite and PostgreSQL.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeDatabase } from '../helpers/database';
import { freshDatabaseUrl } from '../helpers/server';

const ASINS = 12;
const HOURS = 1_500;

/** Long-format CSV: ASINS listings × HOURS hourly readings (18,000 rows, about 0.8 MB). */
function bigCsv(): string {
  const lines = ['asin,capturedAt,stock,source'];
  const t0 = Date.UTC(2026, 0, 1);
  for (let a = 0; a < ASINS; a++) {
    for (let h = 0; h < HOURS; h++) {
      lines.push(`B0WARN${String(a).padStart(4, '0')},${new Date(t0 + h * 3_600_000).toISOString()},${1000 - (h % 500)},test`);
    }
  }
  return `${lines.join('\n')}\n`;
}

describeDatabase('CSV import without process warnings', (databaseUrl) => {
  let url: string;
  let cleanup: () => Promise<void>;
  const tmp = mkdtempSync(join(tmpdir(), 'rr-import-warn-'));

  const run = (args: string[]): Promise<{ code: number | null; out: string; err: string }> =>
    new Promise((resolve, reject) => {
      // NODE_OPTIONS may carry --no-warnings from the runner: this test needs the warnings shown.
      const env = { ...process.env, DATABASE_URL: url, RESTOCK_RADAR_QUIET: '1', NODE_OPTIONS: '', NODE_NO_WARNINGS: '' };
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { env });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      child.once('error', reject);
      child.once('close', (code) => (clearTimeout(timer), resolve({ code, out, err })));
    });

  beforeAll(async () => {
    ({ url, cleanup } = await freshDatabaseUrl(databaseUrl));
    const k = await run(['apikey', 'create', '--workspace', 'acme']);
    expect(k.code, k.err).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await cleanup?.();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('imports 18,000 rows through the CLI and prints no MaxListenersExceededWarning (nor any other warning)', async () => {
    const file = join(tmp, 'big.csv');
    writeFileSync(file, bigCsv());
    const r = await run(['import', '--workspace', 'acme', '--format', 'long', '--skip-alerts', file]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`${(ASINS * HOURS).toLocaleString('en-US')} inserted`);
    expect(r.err).not.toMatch(/MaxListenersExceededWarning/);
    expect(r.err).not.toMatch(/Warning/);
  }, 120_000);
});
