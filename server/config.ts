import { availableParallelism } from 'node:os';

/** Runtime configuration from the environment, validated once at start-up. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  bootstrapKey: string | null;
  production: boolean;
  maxComplexity: number;
  maxDepth: number;
  maxBodyBytes: number;
  /** Parser token limit: a huge document is refused before validation (which is linear but not free). */
  maxTokens: number;
  logQueries: boolean;
  /** Raw snapshots older than this many days are rolled up hourly (docs/operations.md, "Snapshot retention"); 0 = keep raw forever. */
  snapshotRetentionDays: number;
  /** Worker threads for CPU-heavy core work (forecasts, simulations, deal detection); at least 1. */
  workers: number;
  /** Per-request time budget in ms (0 = none): past it the request fails with TIME_BUDGET_EXCEEDED. */
  timeBudgetMs: number;
}

function int(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

/** Worker pool size: RESTOCK_RADAR_WORKERS, default one thread per core (os.availableParallelism()). */
function workers(env: NodeJS.ProcessEnv): number {
  const n = int('RESTOCK_RADAR_WORKERS', availableParallelism(), env);
  if (n < 1) throw new Error(`RESTOCK_RADAR_WORKERS must be at least 1, got "${env.RESTOCK_RADAR_WORKERS}"`);
  return n;
}

export const DEFAULT_SQLITE_PATH = './data/restock-radar.db';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: int('PORT', 4000, env),
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL || `sqlite:${DEFAULT_SQLITE_PATH}`,
    bootstrapKey: env.RESTOCK_RADAR_BOOTSTRAP_KEY || null,
    production: env.NODE_ENV === 'production',
    maxComplexity: int('RESTOCK_RADAR_MAX_COMPLEXITY', 100_000, env),
    maxDepth: int('RESTOCK_RADAR_MAX_DEPTH', 12, env),
    maxBodyBytes: int('RESTOCK_RADAR_MAX_BODY_BYTES', 16 * 1024 * 1024, env),
    maxTokens: int('RESTOCK_RADAR_MAX_TOKENS', 100_000, env),
    logQueries: env.RESTOCK_RADAR_LOG_SQL === '1',
    snapshotRetentionDays: int('SNAPSHOT_RETENTION_DAYS', 90, env),
    workers: workers(env),
    timeBudgetMs: int('RESTOCK_RADAR_TIME_BUDGET_MS', 10_000, env),
  };
}
