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
}

function int(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
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
  };
}
