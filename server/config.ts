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
  /** Size of a query document in bytes, comments included (the token limit does not count comments). */
  maxDocumentBytes: number;
  /** WebSocket: operations open at once on one connection. */
  wsMaxOperations: number;
  /** WebSocket: largest message in bytes (the socket is closed with 1009 past it). */
  wsMaxMessageBytes: number;
  /** WebSocket: a connection that sends no connection_init within this many ms is closed (4408). */
  wsInitTimeoutMs: number;
  /** WebSocket: every open connection's key is checked again this often; a revoked key's sockets close (4403). */
  wsReauthMs: number;
  /**
   * Webhook targets exempt from the address check (`RESTOCK_RADAR_WEBHOOK_ALLOW`, comma-separated
   * `host` or `host:port`): on-premises receivers on private or loopback addresses.
   */
  webhookAllow: string[];
  logQueries: boolean;
  /** Raw snapshots older than this many days are rolled up hourly (docs/operations.md, "Snapshot retention"); 0 = keep raw forever. */
  snapshotRetentionDays: number;
  /** Worker threads for CPU-heavy core work (forecasts, simulations, deal detection); at least 1. */
  workers: number;
  /** How much lower than the server the worker threads run (nice increment 0–19; Linux). */
  workerNice: number;
  /** Per-request time budget in ms (0 = none): past it the request fails with TIME_BUDGET_EXCEEDED. */
  timeBudgetMs: number;
  /** The Keepa connector (docs/import.md, "Keepa connector"): off while `key` is null. */
  keepa: {
    key: string | null;
    url: string;
    /** Workspaces the scheduled poll covers, by name; empty = no scheduled poll (`keepa sync` still works). */
    workspaces: string[];
    intervalMinutes: number;
    days: number;
  };
}

function int(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

/** `host` or `host:port` entries, lower-cased; IPv6 hosts in brackets (`[fd00::1]:8443`). */
function allowList(raw: string | undefined): string[] {
  const entries = (raw ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean);
  for (const e of entries) {
    if (!/^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(:\d{1,5})?$/.test(e))
      throw new Error(`RESTOCK_RADAR_WEBHOOK_ALLOW: "${e}" is not a host or host:port`);
  }
  return entries;
}

/** Worker pool size: RESTOCK_RADAR_WORKERS, default one thread per core (os.availableParallelism()). */
function workers(env: NodeJS.ProcessEnv): number {
  const n = int('RESTOCK_RADAR_WORKERS', availableParallelism(), env);
  if (n < 1) throw new Error(`RESTOCK_RADAR_WORKERS must be at least 1, got "${env.RESTOCK_RADAR_WORKERS}"`);
  return n;
}

function keepaConfig(env: NodeJS.ProcessEnv): Config['keepa'] {
  const url = env.RESTOCK_RADAR_KEEPA_URL || 'https://api.keepa.com';
  if (!/^https?:\/\/[^\s/]+/.test(url)) throw new Error(`RESTOCK_RADAR_KEEPA_URL must be an http(s) URL, got "${url}"`);
  const intervalMinutes = int('RESTOCK_RADAR_KEEPA_INTERVAL_MINUTES', 60, env);
  if (intervalMinutes < 1) throw new Error(`RESTOCK_RADAR_KEEPA_INTERVAL_MINUTES must be at least 1, got "${intervalMinutes}"`);
  const days = int('RESTOCK_RADAR_KEEPA_DAYS', 2, env);
  if (days < 1) throw new Error(`RESTOCK_RADAR_KEEPA_DAYS must be at least 1, got "${days}"`);
  return {
    key: env.RESTOCK_RADAR_KEEPA_KEY?.trim() || null,
    url,
    workspaces: (env.RESTOCK_RADAR_KEEPA_WORKSPACES ?? '')
      .split(',')
      .map((w) => w.trim())
      .filter(Boolean),
    intervalMinutes,
    days,
  };
}

/** Worker threads' nice increment: RESTOCK_RADAR_WORKER_NICE, default 10, at most 19. */
function workerNice(env: NodeJS.ProcessEnv): number {
  const n = int('RESTOCK_RADAR_WORKER_NICE', 10, env);
  if (n > 19) throw new Error(`RESTOCK_RADAR_WORKER_NICE must be 0–19, got "${env.RESTOCK_RADAR_WORKER_NICE}"`);
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
    maxDocumentBytes: int('RESTOCK_RADAR_MAX_DOCUMENT_BYTES', 2 * 1024 * 1024, env),
    wsMaxOperations: int('RESTOCK_RADAR_WS_MAX_OPERATIONS', 20, env),
    wsMaxMessageBytes: int('RESTOCK_RADAR_WS_MAX_MESSAGE_BYTES', 16 * 1024 * 1024, env),
    wsInitTimeoutMs: int('RESTOCK_RADAR_WS_INIT_TIMEOUT_MS', 3000, env),
    wsReauthMs: int('RESTOCK_RADAR_WS_REAUTH_MS', 30_000, env),
    webhookAllow: allowList(env.RESTOCK_RADAR_WEBHOOK_ALLOW),
    logQueries: env.RESTOCK_RADAR_LOG_SQL === '1',
    snapshotRetentionDays: int('SNAPSHOT_RETENTION_DAYS', 90, env),
    workers: workers(env),
    workerNice: workerNice(env),
    timeBudgetMs: int('RESTOCK_RADAR_TIME_BUDGET_MS', 10_000, env),
    keepa: keepaConfig(env),
  };
}
