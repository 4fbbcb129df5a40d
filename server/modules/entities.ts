/**
 * Every TypeORM entity, a leaf list: it imports entity classes only, and only the data source
 * imports it. A new module adds its entities here (docs/architecture.md, "Adding a module").
 */
import { AlertRuleRow, AlertStateRow } from './alert-eval/alert-rule.entity';
import { Alert } from './alert/alert.entity';
import { Competitor } from './competitor/competitor.entity';
import { ForecastRun } from './forecast/forecast.entity';
import { OrderSaleRow, StockMovementRow, StockReadingRow } from './ledger/ledger.entity';
import { SavedProfitabilityScenario } from './planning/scenario.entity';
import { Product, PurchaseOrder, SalesDayRow } from './product/product.entity';
import { PromotionRow } from './promotion/promotion.entity';
import { Snapshot } from './snapshot/snapshot.entity';
import { Supplier, SupplierPriceTier } from './supplier/supplier.entity';
import { OutboxEntry, Webhook, WebhookDelivery } from './webhook/webhook.entity';
import { ApiKey } from './workspace/api-key.entity';
import { Workspace } from './workspace/workspace.entity';

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
  PromotionRow,
];
