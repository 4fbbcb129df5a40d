/**
 * The composition root: the one place that builds the server's services and says who depends on
 * whom (docs/architecture.md). The HTTP server (http/app.ts), the CLI commands, the schedulers,
 * the benchmarks and the tests all get their services from `compose`; nothing else constructs a
 * service. Services name their collaborators in their constructors; cross-service reactions go
 * through the event bus and are wired here.
 */
import { Clock } from './clock';
import type { Config } from './config';
import type { Db } from './db/db';
import { EventBus } from './events';
import { ResolverContainer } from './graphql/container';
import type { RequestLoaders } from './graphql/context';
import { createMetrics } from './http/metrics';
import { reactToEvents } from './modules/alert-eval/alert.reactions';
import { AlertRuleResolver } from './modules/alert-eval/alert-rule.resolver';
import { AlertRuleService } from './modules/alert-eval/alert-rule.service';
import { AlertEvaluator } from './modules/alert-eval/alert.evaluator';
import { type AlertSchedulerOptions, AlertScheduler } from './modules/alert-eval/alert.scheduler';
import { AlertResolver } from './modules/alert/alert.resolver';
import { AlertService } from './modules/alert/alert.service';
import { CompetitorResolver } from './modules/competitor/competitor.resolver';
import { CompetitorService } from './modules/competitor/competitor.service';
import { CompetitorForecastResolver, ForecastAccuracyResolver, ProductForecastResolver } from './modules/forecast/forecast.resolver';
import { createForecastLoaders } from './modules/forecast/forecast.loaders';
import { ForecastService } from './modules/forecast/forecast.service';
import { ImportResolver } from './modules/import/import.resolver';
import { ImportService } from './modules/import/import.service';
import { KeepaClient } from './modules/keepa/keepa.client';
import { KeepaScheduler } from './modules/keepa/keepa.scheduler';
import { type KeepaClientFactory, KeepaSyncService } from './modules/keepa/keepa.service';
import { OwnReportImportService } from './modules/import/import.own.service';
import { AnomalyResolver } from './modules/intelligence/anomaly.resolver';
import { IntelligenceResolver, DealResolver } from './modules/intelligence/intelligence.resolver';
import { IntelligenceService } from './modules/intelligence/intelligence.service';
import { LedgerResolver } from './modules/ledger/ledger.resolver';
import { NodeResolver } from './modules/node/node.resolver';
import { NodeService } from './modules/node/node.service';
import { LedgerService } from './modules/ledger/ledger.service';
import { PlanningResolver, ProductPlanResolver, SavedScenarioResolver } from './modules/planning/planning.resolver';
import { PlanningService } from './modules/planning/planning.service';
import { createProductLoaders } from './modules/product/product.loaders';
import { ProductResolver, PurchaseOrderResolver } from './modules/product/product.resolver';
import { PromotionResolver } from './modules/promotion/promotion.resolver';
import { PromotionService } from './modules/promotion/promotion.service';
import { ProductService } from './modules/product/product.service';
import { type RetentionSchedulerOptions, RetentionScheduler } from './modules/retention/retention.scheduler';
import { RetentionService } from './modules/retention/retention.service';
import { createSnapshotLoaders } from './modules/snapshot/snapshot.loaders';
import { createPointsLoader } from './modules/snapshot/snapshot.points';
import { SnapshotResolver } from './modules/snapshot/snapshot.resolver';
import { SnapshotService } from './modules/snapshot/snapshot.service';
import { FactsService } from './modules/facts/facts.service';
import { createSupplierLoaders } from './modules/supplier/supplier.loaders';
import { SupplierResolver } from './modules/supplier/supplier.resolver';
import { SupplierService } from './modules/supplier/supplier.service';
import { type DispatcherOptions, WebhookDispatcher } from './modules/webhook/webhook.dispatcher';
import { WebhookResolver } from './modules/webhook/webhook.resolver';
import { WebhookService } from './modules/webhook/webhook.service';
import { WebhookTargets } from './modules/webhook/webhook.targets';
import { WorkspaceService } from './modules/workspace/workspace.service';
import { RequestBudget } from './workers/budget';
import { type TaskRunner, WorkerPool } from './workers/pool';

export interface ComposeOptions {
  /** The clock every service reads "now" from (default: the system clock). */
  clock?: Clock;
  /**
   * Evaluate alerts after every ingest (default true). The CLI's `import --skip-alerts` and
   * benchmarks that evaluate explicitly turn it off.
   */
  alertsOnIngest?: boolean;
  dispatcher?: DispatcherOptions;
  /** Webhook hosts exempt from the address check (config.webhookAllow). */
  webhookAllow?: readonly string[];
  alertScheduler?: AlertSchedulerOptions;
  /** Snapshot retention; `olderThanDays` 0 (the default here) switches the daily pass off. */
  retentionScheduler?: Partial<RetentionSchedulerOptions>;
  /** Worker threads for CPU-heavy core tasks (default os.availableParallelism(); at least 1). */
  workers?: number;
  /** The Keepa connector (config.keepa); without a key it is off. */
  keepa?: Config['keepa'];
  /** The worker threads' nice increment (default 10; see WorkerPool). */
  workerNice?: number;
}

/** Keepa clients with the configured key and base URL, or null (connector off) without a key. */
function keepaClients(keepa: Config['keepa'] | undefined): KeepaClientFactory | null {
  if (!keepa?.key) return null;
  const { key, url } = keepa;
  return (o) => new KeepaClient({ key, baseUrl: url, ...o });
}

/** Long-lived services, one set per process, built in dependency order. */
function createServices(
  db: Db,
  clock: Clock,
  events: EventBus,
  webhookTargets: WebhookTargets,
  tasks: TaskRunner,
  keepa: KeepaClientFactory | null,
) {
  const workspaces = new WorkspaceService(db);
  const competitors = new CompetitorService(db);
  const facts = new FactsService(db);
  const snapshots = new SnapshotService(db, clock, events, competitors, facts);
  const suppliers = new SupplierService(db);
  const products = new ProductService(db, clock, events);
  const promotions = new PromotionService(db, clock);
  const forecasts = new ForecastService(db, clock, tasks, promotions);
  const planning = new PlanningService(db, clock, products, suppliers, forecasts, tasks, promotions);
  const webhooks = new WebhookService(db, webhookTargets);
  const alerts = new AlertService(db, clock, events, webhooks);
  const intelligence = new IntelligenceService(db, clock, tasks);
  const imports = new ImportService(snapshots, competitors);
  const alertRules = new AlertRuleService(db, clock);
  const alertEvaluator = new AlertEvaluator(db, clock, alertRules, alerts, planning, suppliers);
  const ledger = new LedgerService(db, clock, events, alertEvaluator);
  const ownReports = new OwnReportImportService(products, ledger, clock);
  const retention = new RetentionService(db, clock, facts);
  const keepaSync = new KeepaSyncService(db, imports, keepa);
  const nodes = new NodeService(db);
  return {
    workspaces,
    competitors,
    snapshots,
    facts,
    suppliers,
    products,
    planning,
    webhooks,
    alerts,
    alertRules,
    alertEvaluator,
    intelligence,
    imports,
    ownReports,
    forecasts,
    ledger,
    retention,
    keepaSync,
    nodes,
    promotions,
  };
}
export type Services = ReturnType<typeof createServices>;

/** Every resolver with the services its constructor names (handed to type-graphql as its container). */
function createResolvers(s: Services, clock: Clock): ResolverContainer {
  return new ResolverContainer()
    .add(CompetitorResolver, new CompetitorResolver(s.competitors))
    .add(SnapshotResolver, new SnapshotResolver(s.snapshots))
    .add(SupplierResolver, new SupplierResolver(s.suppliers))
    .add(ProductResolver, new ProductResolver(s.products, clock))
    .add(PurchaseOrderResolver, new PurchaseOrderResolver(s.products))
    .add(PlanningResolver, new PlanningResolver(s.planning))
    .add(ProductPlanResolver, new ProductPlanResolver(s.planning))
    .add(SavedScenarioResolver, new SavedScenarioResolver(s.planning))
    .add(AlertResolver, new AlertResolver(s.alerts))
    .add(WebhookResolver, new WebhookResolver(s.webhooks))
    .add(AlertRuleResolver, new AlertRuleResolver(s.alertEvaluator, s.alertRules))
    .add(IntelligenceResolver, new IntelligenceResolver())
    .add(AnomalyResolver, new AnomalyResolver())
    .add(DealResolver, new DealResolver(s.competitors))
    .add(ImportResolver, new ImportResolver(s.imports, s.ownReports, clock))
    .add(ProductForecastResolver, new ProductForecastResolver(s.forecasts))
    .add(CompetitorForecastResolver, new CompetitorForecastResolver(s.forecasts))
    .add(ForecastAccuracyResolver, new ForecastAccuracyResolver(s.forecasts, s.products, s.competitors))
    .add(LedgerResolver, new LedgerResolver(s.ledger))
    .add(NodeResolver, new NodeResolver(s.nodes))
    .add(PromotionResolver, new PromotionResolver(s.promotions));
}

/**
 * Per-request loaders: their caches never outlive one request (nor cross workspaces). The
 * request's time budget travels with them, so the pool work they start is dropped past it.
 */
function createLoaders(db: Db, s: Services, pool: TaskRunner): RequestLoaders {
  const points = createPointsLoader(db);
  const budget = new RequestBudget();
  return {
    snapshots: createSnapshotLoaders(db),
    points,
    intelligence: s.intelligence.forRequest(points, budget.signal),
    products: createProductLoaders(db),
    suppliers: createSupplierLoaders(db, s.suppliers),
    forecasts: createForecastLoaders(db, pool, budget.signal),
    budget,
  };
}

/** Builds the whole server around an open database: services, reactions, workers, resolvers. */
export function compose(db: Db, opts: ComposeOptions = {}) {
  const clock = opts.clock ?? new Clock();
  const events = new EventBus();
  const webhookTargets = new WebhookTargets(opts.webhookAllow);
  // CPU-heavy core work (forecasts, simulations, deal detection) runs here, off the event loop.
  const pool = new WorkerPool({ size: opts.workers, niceness: opts.workerNice });
  const services = createServices(db, clock, events, webhookTargets, pool, keepaClients(opts.keepa));
  reactToEvents(events, services.alertEvaluator, { ingest: opts.alertsOnIngest ?? true });
  const metrics = createMetrics(db, services.snapshots);
  const dispatcher = new WebhookDispatcher(db, webhookTargets, {
    ...opts.dispatcher,
    onDelivery: (d) => {
      metrics.deliveries.inc({ outcome: d.ok ? 'ok' : 'failed' });
      opts.dispatcher?.onDelivery?.(d);
    },
  });
  // Committed alert events go out at once instead of at the dispatcher's next poll.
  events.subscribe('alerts.committed', () => dispatcher.nudge());
  const alertScheduler = new AlertScheduler(services.alertEvaluator, clock, opts.alertScheduler);
  const retentionScheduler = new RetentionScheduler(services.retention, clock, { olderThanDays: 0, ...opts.retentionScheduler });
  const keepaScheduler = new KeepaScheduler(services.keepaSync, services.workspaces, clock, {
    workspaces: opts.keepa?.workspaces ?? [],
    intervalMs: (opts.keepa?.intervalMinutes ?? 60) * 60_000,
    days: opts.keepa?.days,
  });
  return {
    db,
    clock,
    events,
    services,
    metrics,
    dispatcher,
    alertScheduler,
    retentionScheduler,
    keepaScheduler,
    pool,
    resolvers: createResolvers(services, clock),
    createLoaders: () => createLoaders(db, services, pool),
  };
}
export type Root = ReturnType<typeof compose>;
