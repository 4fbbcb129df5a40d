/**
 * The aggregates the server is made of. Adding one = one folder under modules/ and one entry here:
 * its entities and migrations join the data source, its resolvers the schema.
 */
import type { NonEmptyArray } from 'type-graphql';
import { Competitor } from './competitor/competitor.entity';
import { CompetitorResolver } from './competitor/competitor.resolver';
import { Snapshot } from './snapshot/snapshot.entity';
import { SnapshotResolver } from './snapshot/snapshot.resolver';
import { ApiKey } from './workspace/api-key.entity';
import { Workspace } from './workspace/workspace.entity';
import { Init1764000000000 } from '../db/migrations/1764000000000-Init';
import { PlanningResolver, ProductPlanResolver, SavedScenarioResolver } from './planning/planning.resolver';
import { SavedProfitabilityScenario } from './planning/scenario.entity';
import { Product, PurchaseOrder, SalesDayRow } from './product/product.entity';
import { ProductResolver, PurchaseOrderResolver } from './product/product.resolver';
import { Supplier, SupplierPriceTier } from './supplier/supplier.entity';
import { SupplierResolver } from './supplier/supplier.resolver';
import { Replenishment1764200000000 } from '../db/migrations/1764200000000-Replenishment';
import { Alerts1764400000000 } from '../db/migrations/1764400000000-Alerts';
import { DealStartsAt1764600000000 } from '../db/migrations/1764600000000-DealStartsAt';
import { Alert } from './alert/alert.entity';
import { AlertResolver } from './alert/alert.resolver';
import { OutboxEntry, Webhook, WebhookDelivery } from './webhook/webhook.entity';
import { WebhookResolver } from './webhook/webhook.resolver';
import { DealResolver, IntelligenceResolver } from './intelligence/intelligence.resolver';
import { ImportResolver } from './import/import.resolver';
import { AlertRuleRow, AlertStateRow } from './alert-eval/alert-rule.entity';
import { AlertRuleResolver } from './alert-eval/alert-rule.resolver';
import { ForecastRun } from './forecast/forecast.entity';
import { CompetitorForecastResolver, ForecastAccuracyResolver, ProductForecastResolver } from './forecast/forecast.resolver';
import { ForecastRuns1764500000000 } from '../db/migrations/1764500000000-ForecastRuns';
import { Ledger1764800000000 } from '../db/migrations/1764800000000-Ledger';
import { OrderSaleRow, StockMovementRow, StockReadingRow } from './ledger/ledger.entity';
import { LedgerResolver } from './ledger/ledger.resolver';
import { AlertEvalLease1764900000000 } from '../db/migrations/1764900000000-AlertEvalLease';
import { SnapshotRollup1764700000000 } from '../db/migrations/1764700000000-SnapshotRollup';
import { SnapshotRollupResolver } from './retention/retention.resolver';

export const ENTITIES = [
  Workspace,
  ApiKey,
  Competitor,
  Snapshot,
  Supplier,
  SupplierPriceTier,
  Product,
  SalesDayRow,
  PurchaseOrder,
  SavedProfitabilityScenario,
  Alert,
  AlertRuleRow,
  AlertStateRow,
  Webhook,
  OutboxEntry,
  WebhookDelivery,
  ForecastRun,
  StockMovementRow,
  OrderSaleRow,
  StockReadingRow,
];

/** Applied in this order (timestamps in the class names keep it explicit). */
export const MIGRATIONS = [
  Init1764000000000,
  Replenishment1764200000000,
  Alerts1764400000000,
  ForecastRuns1764500000000,
  DealStartsAt1764600000000,
  SnapshotRollup1764700000000,
  Ledger1764800000000,
  AlertEvalLease1764900000000,
];

export const RESOLVERS: NonEmptyArray<Function> = [
  CompetitorResolver,
  SnapshotResolver,
  SupplierResolver,
  ProductResolver,
  PurchaseOrderResolver,
  PlanningResolver,
  ProductPlanResolver,
  SavedScenarioResolver,
  AlertResolver,
  WebhookResolver,
  AlertRuleResolver,
  IntelligenceResolver,
  DealResolver,
  ImportResolver,
  ProductForecastResolver,
  CompetitorForecastResolver,
  ForecastAccuracyResolver,
  LedgerResolver,
  SnapshotRollupResolver,
];
