import type { ForecastLoaders } from '../modules/forecast/forecast.loaders';
import type { IntelligenceRequest } from '../modules/intelligence/intelligence.request';
import type { ProductLoaders } from '../modules/product/product.loaders';
import type { SnapshotLoaders } from '../modules/snapshot/snapshot.loaders';
import type { PointsLoader } from '../modules/snapshot/snapshot.points';
import type { SupplierLoaders } from '../modules/supplier/supplier.loaders';
import type { RequestBudget } from '../workers/budget';

/** Batching loaders of one request (built by the composition root): their caches die with it. */
export interface RequestLoaders {
  snapshots: SnapshotLoaders;
  points: PointsLoader;
  intelligence: IntelligenceRequest;
  products: ProductLoaders;
  suppliers: SupplierLoaders;
  forecasts: ForecastLoaders;
  /** The request's time budget (started by the timeBudget plugin); its signal cancels pool work. */
  budget: RequestBudget;
}

/** What a resolver knows of its request: who asks, the request id, and the request's loaders. */
export interface Context {
  workspaceId: string;
  requestId: string;
  loaders: RequestLoaders;
}
