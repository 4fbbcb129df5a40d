/**
 * Every GraphQL resolver class, a leaf list: only the schema builder imports it. Each class gets its
 * services by constructor; the composition root (server/root.ts) says how each one is built.
 */
import type { NonEmptyArray } from 'type-graphql';
import { AlertRuleResolver } from './alert-eval/alert-rule.resolver';
import { AlertResolver } from './alert/alert.resolver';
import { CompetitorResolver } from './competitor/competitor.resolver';
import { CompetitorForecastResolver, ForecastAccuracyResolver, ProductForecastResolver } from './forecast/forecast.resolver';
import { ImportResolver } from './import/import.resolver';
import { AnomalyResolver } from './intelligence/anomaly.resolver';
import { DealResolver, IntelligenceResolver, VelocityResolver } from './intelligence/intelligence.resolver';
import { LedgerResolver } from './ledger/ledger.resolver';
import { NodeResolver } from './node/node.resolver';
import {
  PlanningResolver,
  ProductPlanResolver,
  QuantityOptionsAliasResolver,
  SafetyStockOptionsAliasResolver,
  SavedScenarioResolver,
} from './planning/planning.resolver';
import { ProductResolver, PurchaseOrderResolver } from './product/product.resolver';
import { PromotionResolver } from './promotion/promotion.resolver';
import { SnapshotRollupResolver } from './retention/retention.resolver';
import { CompetitorSnapshotsResolver, SnapshotResolver } from './snapshot/snapshot.resolver';
import { SupplierResolver } from './supplier/supplier.resolver';
import { WebhookResolver } from './webhook/webhook.resolver';

export const RESOLVERS: NonEmptyArray<Function> = [
  CompetitorResolver,
  VelocityResolver,
  SnapshotResolver,
  CompetitorSnapshotsResolver,
  SupplierResolver,
  ProductResolver,
  PurchaseOrderResolver,
  PlanningResolver,
  ProductPlanResolver,
  SavedScenarioResolver,
  SafetyStockOptionsAliasResolver,
  QuantityOptionsAliasResolver,
  AlertResolver,
  WebhookResolver,
  AlertRuleResolver,
  IntelligenceResolver,
  AnomalyResolver,
  DealResolver,
  ImportResolver,
  ProductForecastResolver,
  CompetitorForecastResolver,
  ForecastAccuracyResolver,
  LedgerResolver,
  SnapshotRollupResolver,
  NodeResolver,
  PromotionResolver,
];
