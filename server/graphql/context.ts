import type { Db } from '../db/db';
import { log } from '../http/log';
import { CompetitorService } from '../modules/competitor/competitor.service';
import { createSnapshotLoaders } from '../modules/snapshot/snapshot.loaders';
import { SnapshotService } from '../modules/snapshot/snapshot.service';
import { WorkspaceService } from '../modules/workspace/workspace.service';
import { PlanningService } from '../modules/planning/planning.service';
import { Clock } from '../modules/product/clock';
import { createProductLoaders } from '../modules/product/product.loaders';
import { ProductService } from '../modules/product/product.service';
import { createSupplierLoaders } from '../modules/supplier/supplier.loaders';
import { SupplierService } from '../modules/supplier/supplier.service';
import { AlertService } from '../modules/alert/alert.service';
import { WebhookService } from '../modules/webhook/webhook.service';
import { IntelligenceService } from '../modules/intelligence/intelligence.service';
import { createPointsLoader } from '../modules/snapshot/snapshot.points';
import { ImportService } from '../modules/import/import.service';
import { AlertRuleService } from '../modules/alert-eval/alert-rule.service';
import { AlertEvaluator } from '../modules/alert-eval/alert.evaluator';
import { ForecastService } from '../modules/forecast/forecast.service';
import { LedgerService } from '../modules/ledger/ledger.service';
import { RetentionService } from '../modules/retention/retention.service';

/** Long-lived services, one set per server process. */
export function createServices(db: Db) {
  const workspaces = new WorkspaceService(db);
  const competitors = new CompetitorService(db);
  const snapshots = new SnapshotService(db, competitors);
  const suppliers = new SupplierService(db);
  const products = new ProductService(db, new Clock());
  const planning = new PlanningService(db, products, suppliers);
  const webhooks = new WebhookService(db);
  const alerts = new AlertService(db, webhooks);
  const intelligence = new IntelligenceService(db);
  const imports = new ImportService(snapshots);
  const alertRules = new AlertRuleService(db);
  const alertEvaluator = new AlertEvaluator(db, alertRules, alerts, planning, suppliers);
  // Evaluation after every ingest that touches a subject, and lifecycle feedback (post-commit hooks).
  // It runs after the response, queued per workspace, so an ingest never waits for it; tests and
  // benchmarks wait with alertEvaluator.idle().
  const background = (what: string, work: Promise<void>) =>
    void work.catch((e) => log('error', `alert evaluation after ${what} failed`, { error: String(e), stack: (e as Error)?.stack }));
  snapshots.afterRecord = async (ws, ids) => background('recordSnapshots', alertEvaluator.onSnapshots(ws, ids));
  products.afterChange = async (ws, ids) => background('a product change', alertEvaluator.onProducts(ws, ids));
  const ledger = new LedgerService(db);
  ledger.afterRecord = async (ws, ids) => background('recordLedger', alertEvaluator.onLedger(ws, ids));
  ledger.settingsFor = (ws, p) => alertEvaluator.reconcileSettingsFor(ws, p);
  alerts.onAcknowledged = (ws, a) => alertEvaluator.acknowledged(ws, a);
  alerts.onResolved = (ws, a) => alertEvaluator.resolvedManually(ws, a);
  const forecasts = new ForecastService(db, products.clock);
  planning.forecastDemand = (loaders, w) => forecasts.planningEstimator(loaders, w);
  const retention = new RetentionService(db);
  return {
    db,
    workspaces,
    competitors,
    snapshots,
    suppliers,
    products,
    planning,
    webhooks,
    alerts,
    alertRules,
    alertEvaluator,
    intelligence,
    imports,
    forecasts,
    ledger,
    retention,
  };
}
export type Services = ReturnType<typeof createServices>;

/** Per-request loaders: their caches must never outlive one request (or cross workspaces). */
export function createLoaders(services: Services) {
  const points = createPointsLoader(services.db);
  return {
    snapshots: createSnapshotLoaders(services.db),
    points,
    intelligence: services.intelligence.forRequest(points),
    products: createProductLoaders(services.db),
    suppliers: createSupplierLoaders(services.db, services.suppliers),
    forecasts: services.forecasts.forRequest(),
  };
}

export interface Context {
  workspaceId: string;
  requestId: string;
  services: Services;
  loaders: ReturnType<typeof createLoaders>;
}
