/**
 * Runs the core alert state machine (core/alerts) over what the server stores and hands its
 * decisions to the alert store (AlertService.apply). Entry points:
 * - onSnapshots / onProducts / onLedger: after an ingest committed (post-commit hooks; never fails the ingest),
 * - runOnce(now): the scheduled pass for time-based kinds (SELLOUT_IMMINENT, DATA_STALE) and
 *   raises that quiet hours held back,
 * - acknowledged / resolvedManually: lifecycle feedback from the alert mutations.
 * Evaluator state per (subject, kind) lives in alert_state. Work is serialized per workspace: in
 * this process by a promise chain, across processes on one database by a lease (alert.lease.ts),
 * so two passes over one subject never race on its state.
 */
import {
  acknowledgeAlert as coreAcknowledge,
  createAlertState,
  evaluate,
  PROFILE_COEFFICIENTS,
  profileFor,
  releaseHeld as coreReleaseHeld,
  resolveAlert as coreResolve,
  resolveSettings,
  TIER_CAPTURE_INTERVAL_MS,
  orderSeries,
} from '../../../core/alerts';
import type { AlertEvent, AlertKind, AlertObservation, AlertState, AlertSubject, CauseLabel } from '../../../core/alerts/types';
import { anomalyForPeriod, flagReading, type ReconciliationReport, type SnapshotFlag, stockReadingFlags } from '../../../core/anomalies';
import { activeDeal, detectDeals } from '../../../core/deals';
import { detectRestocks, stockoutWindows } from '../../../core/restock';
import { RESTOCK_OPTIONS } from '../facts/restocks.facts';
import { captureIntervalMs, medianIntervalMs } from '../../../core/series';
import { DAY_MS, HOUR_MS, type SnapshotPoint } from '../../../core/series/types';
import type { Clock } from '../../clock';
import type { Db } from '../../db/db';
import { log } from '../../http/log';
import type { Alert, SubjectType } from '../alert/alert.entity';
import type { AlertChange } from '../alert/alert.inputs';
import type { AlertService } from '../alert/alert.service';
import { Competitor } from '../competitor/competitor.entity';
import type { PlanningService } from '../planning/planning.service';
import { OrderQuantityMethod, SafetyStockMethod } from '../planning/planning.types';
import type { ReplenishmentPlanArgs } from '../planning/planning.inputs';
import { createProductLoaders } from '../product/product.loaders';
import { Product } from '../product/product.entity';
import { createSupplierLoaders } from '../supplier/supplier.loaders';
import type { SupplierService } from '../supplier/supplier.service';
import { createPointsLoader } from '../snapshot/snapshot.points';
import { createTailLoader } from '../intelligence/intelligence.loaders';
import {
  type Ledger,
  type LedgerWindow,
  ledgerWindows,
  loadLedgers,
  readableDetail,
  type ReconcileSettings,
  reconcileWindow,
} from '../ledger/ledger.service';
import { type AlertRuleRow, AlertStateRow } from './alert-rule.entity';
import { FACT_KINDS, FactObservations, RATE_HISTORY_DAYS, windowRateObservation } from './alert.facts';
import { type LeaseOptions, WorkspaceLease } from './alert.lease';
import {
  DEFAULT_MIN_STOCKOUT_HOURS,
  emptyParams,
  KIND_SUBJECTS,
  PERIOD_MS,
  rateWindowMs,
  reconcileSettings,
  toCoreRule,
} from './alert-rule.params';
import type { AlertRuleService } from './alert-rule.service';

/** Competitor history the evaluator looks at: enough for the restock threshold and a 14-day baseline. */
export const HISTORY_DAYS = 21;
/** Own sales days replayed into the consumption baseline at most (older days were evaluated before or never matter). */
export const SALES_DAYS = 60;
/** A restock alerts at this detection confidence or above (FLAP 0.2, a held trickle 0.3: below). */
export const MIN_RESTOCK_CONFIDENCE = 0.5;
/** Own-SKU ledger history the evaluator reconciles (deal windows opening earlier are not judged). */
export const LEDGER_DAYS = 35;
/** Events observed longer ago than this (or two periods) are not delivered when they come in late. */
export const RECENT_MS = DAY_MS;
/** How long after it is first seen a restock counts as under way (at least 2.5 capture intervals). */
export const RESTOCK_ACTIVE_MS = 6 * HOUR_MS;
/** Replenishment plan arguments the safety-stock and reorder-point rules use (the API defaults). */
const PLAN_ARGS: ReplenishmentPlanArgs = {
  serviceLevel: 0.95,
  method: SafetyStockMethod.SERVICE_LEVEL,
  quantityMethod: OrderQuantityMethod.PEAK_COVERAGE,
  reviewPeriodDays: 14,
  holdingRate: 0.25,
  windowDays: 90,
  horizonDays: 365,
} as ReplenishmentPlanArgs;

const KIND_TITLE: Record<AlertKind, string> = {
  CONSUMPTION_DEVIATION: 'Consumption deviates from its baseline',
  SAFETY_STOCK_BREACH: 'Below safety stock',
  REORDER_POINT_REACHED: 'Reorder point reached',
  SELLOUT_IMMINENT: 'Deal about to sell out',
  COMPETITOR_DEAL_STARTED: 'Competitor deal started',
  COMPETITOR_RESTOCK: 'Competitor restocked',
  COMPETITOR_STOCKOUT: 'Competitor out of stock',
  DATA_STALE: 'Captures stopped',
  RECONCILIATION_MISMATCH: 'Ledger mismatch',
  CONSUMPTION_RATE: 'Consumption rate spike',
};

interface Subject {
  core: AlertSubject;
  label: string;
}

/** One evaluation call's working set: states read once, written once, changes applied once. */
class Batch {
  readonly changes: AlertChange[] = [];
  readonly dirty = new Map<string, AlertStateRow>();
  constructor(readonly workspaceId: string) {}
}

const stateKey = (t: SubjectType, id: string, kind: AlertKind) => `${t}|${id}|${kind}`;

export class AlertEvaluator {
  private chains = new Map<string, Promise<unknown>>();
  readonly lease: WorkspaceLease;
  /** A snapshot evaluation per workspace that is queued and not started yet (see onSnapshots). */
  private queuedCompetitors = new Map<string, { ids: Set<string>; now: number | undefined; run: Promise<void> }>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly rules: AlertRuleService,
    private readonly alerts: AlertService,
    private readonly planning: PlanningService,
    private readonly suppliers: SupplierService,
    leaseOptions: LeaseOptions = {},
  ) {
    this.lease = new WorkspaceLease(db, leaseOptions);
  }

  /** Runs `fn` after the workspace's previous evaluation finished; errors are logged, not thrown. */
  private serial(workspaceId: string, what: string, fn: () => Promise<void>): Promise<void> {
    const prev = this.chains.get(workspaceId) ?? Promise.resolve();
    const next = prev
      .then(() => this.lease.hold(workspaceId, fn))
      .catch((e: unknown) => {
        log('error', 'alert evaluation failed', { workspaceId, what, error: String(e), stack: (e as Error)?.stack });
      });
    this.chains.set(workspaceId, next);
    void next.then(() => {
      if (this.chains.get(workspaceId) === next) this.chains.delete(workspaceId);
    });
    return next;
  }

  /** Resolves when every evaluation queued so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.chains.size) await Promise.all([...this.chains.values()]);
  }

  // ——— rules and state ———

  /** The most specific enabled rule of `kind` covering the subject (one subject > tier/class > all; ties: oldest). */
  static pickRule(rules: readonly AlertRuleRow[], kind: AlertKind, s: AlertSubject): AlertRuleRow | null {
    if (!(KIND_SUBJECTS[kind] ?? []).includes(s.type)) return null;
    let best: AlertRuleRow | null = null;
    let bestScore = 0;
    for (const r of rules) {
      if (r.kind !== kind || !r.enabled) continue;
      let score: number;
      if (r.subjectType) score = r.subjectType === s.type && r.subjectId === s.id ? 3 : 0;
      else if (r.params.scope?.type === 'TIER') score = s.type === 'COMPETITOR' && s.tier === r.params.scope.tier ? 2 : 0;
      else if (r.params.scope?.type === 'ABC_CLASS') score = s.type === 'PRODUCT' && s.abcClass === r.params.scope.abcClass ? 2 : 0;
      else score = 1;
      if (score > bestScore) {
        best = r;
        bestScore = score;
      }
    }
    return best;
  }

  private async loadStates(workspaceId: string, subjectType: SubjectType, ids: string[]): Promise<Map<string, AlertStateRow>> {
    const out = new Map<string, AlertStateRow>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db.manager
        .createQueryBuilder(AlertStateRow, 's')
        .where('s.workspaceId = :ws AND s.subjectType = :t AND s.subjectId IN (:...ids)', {
          ws: workspaceId,
          t: subjectType,
          ids: ids.slice(i, i + 500),
        })
        .getMany();
      for (const r of rows) out.set(stateKey(r.subjectType, r.subjectId, r.kind), r);
    }
    return out;
  }

  /**
   * Feeds observations (in time order; those not newer than the state's last are skipped) to the
   * state machine and collects the store changes of the events that notify.
   *
   * A backfill (history sent late, or a subject's first evaluation over weeks of data) must not
   * flood planners and webhooks with alerts that began and ended long ago: events observed before
   * the recency horizon are held back, except the resolution of an alert that was open before
   * this call; an alert still open at the end is stored at its current level.
   */
  private run(
    batch: Batch,
    states: Map<string, AlertStateRow>,
    subject: Subject,
    kind: AlertKind,
    rule: AlertRuleRow,
    observations: AlertObservation[],
    now: number,
    /** Rewrites a change before it is stored (kinds whose message says more than the level rule). */
    decorate: (e: AlertEvent, c: AlertChange) => AlertChange = (_e, c) => c,
  ): void {
    const key = stateKey(subject.core.type, subject.core.id, kind);
    const row =
      states.get(key) ??
      Object.assign(new AlertStateRow(), {
        workspaceId: batch.workspaceId,
        subjectType: subject.core.type,
        subjectId: subject.core.id,
        kind,
        state: createAlertState(subject.core, kind),
        updatedAt: new Date(now),
      });
    let state: AlertState = { ...row.state, subject: { ...subject.core } };
    const coreRule = toCoreRule(rule.id, kind, rule.params);
    const recentFrom = now - Math.max(RECENT_MS, 2 * PERIOD_MS[kind]);
    const openAtStart = state.open?.id ?? null;
    const heldBack = new Map<string, AlertEvent>();
    let changed = false;
    for (const obs of observations) {
      if (state.lastAt !== null && obs.at <= state.lastAt) continue;
      const r = evaluate(state, obs, coreRule, now);
      state = r.state;
      changed = true;
      for (const e of r.events) {
        if (!e.notify) continue;
        if (e.observedAt >= recentFrom || (e.type === 'RESOLVE' && e.alertId === openAtStart)) {
          batch.changes.push(decorate(e, this.toChange(e, subject)));
          if (e.alertId) heldBack.delete(e.alertId);
        } else if (e.alertId) heldBack.set(e.alertId, e);
      }
    }
    const open = state.open;
    const held = open ? heldBack.get(open.id) : undefined;
    if (open && held) batch.changes.push(decorate(held, this.toChange({ ...held, type: 'RAISE', level: open.level }, subject)));
    if (!changed) return;
    row.state = state;
    row.updatedAt = new Date(now);
    states.set(key, row);
    batch.dirty.set(key, row);
  }

  private toChange(e: AlertEvent, subject: Subject): AlertChange {
    const rule = e.explanation.steps.find((s) => s.label === 'level rule')?.value;
    const detail = e.type === 'RESOLVE' ? `resolved after ${e.consecutive} clear period(s)` : String(rule ?? `${e.level} confirmed`);
    return {
      action: e.type === 'RESOLVE' ? 'RESOLVE' : 'RAISE',
      kind: e.kind,
      level: e.level ?? 'YELLOW',
      subjectType: subject.core.type,
      subjectId: subject.core.id,
      subjectLabel: subject.label,
      title: `${KIND_TITLE[e.kind]}: ${subject.label}`.slice(0, 300),
      message: detail,
      // The evaluator's own alert id travels with the stored alert, so a label given later (even
      // to an alert that opened and resolved in one pass) reaches the alert it was given to.
      explanation: e.alertId ? { ...e.explanation, inputs: { ...e.explanation.inputs, [EVALUATOR_ALERT_ID]: e.alertId } } : e.explanation,
      at: new Date(e.at),
    };
  }

  /** Applies the batch's alert changes, then persists the states (a crash in between re-raises into the same open alert). */
  private async commit(batch: Batch): Promise<void> {
    if (!batch.changes.length && !batch.dirty.size) return;
    await this.lease.assertHeld(batch.workspaceId);
    if (batch.changes.length) await this.alerts.apply(batch.workspaceId, batch.changes);
    if (!batch.dirty.size) return;
    const rows = [...batch.dirty.values()];
    await this.db.write(async (m) => {
      for (let i = 0; i < rows.length; i += 200) await m.save(AlertStateRow, rows.slice(i, i + 200));
    });
  }

  // ——— competitors ———

  private async loadPoints(ids: string[], from: number, to: number): Promise<Map<string, SnapshotPoint[]>> {
    const loader = createPointsLoader(this.db);
    const res = await loader.loadMany(ids.map((competitorId) => ({ competitorId, from, to })));
    const out = new Map<string, SnapshotPoint[]>();
    ids.forEach((id, i) => {
      const r = res[i];
      if (r instanceof Error) throw r;
      out.set(id, r);
    });
    return out;
  }

  private async competitors(workspaceId: string, ids: string[]): Promise<Competitor[]> {
    const out: Competitor[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      out.push(
        ...(await this.db.manager
          .createQueryBuilder(Competitor, 'c')
          .where('c.workspaceId = :ws AND c.id IN (:...ids)', { ws: workspaceId, ids: ids.slice(i, i + 500) })
          .getMany()),
      );
    }
    return out;
  }

  private static competitorSubject(c: Competitor): Subject {
    return { core: { id: c.id, type: 'COMPETITOR', tier: c.tier }, label: `${c.asin}${c.title ? ` — ${c.title}` : ''}`.slice(0, 300) };
  }

  private static productSubject(p: Product): Subject {
    return { core: { id: p.sku, type: 'PRODUCT', abcClass: p.abcClass }, label: `${p.sku}${p.name ? ` — ${p.name}` : ''}`.slice(0, 300) };
  }

  /**
   * Post-commit hook of recordSnapshots: event and consumption kinds of the competitors touched.
   * Batches arriving while an evaluation of the workspace is queued join it (one pass over their
   * union), so sustained ingest costs a pass per evaluation, not per batch.
   */
  onSnapshots(workspaceId: string, competitorIds: string[], now?: number): Promise<void> {
    if (!competitorIds.length) return Promise.resolve();
    const queued = this.queuedCompetitors.get(workspaceId);
    if (queued && queued.now === now) {
      for (const id of competitorIds) queued.ids.add(id);
      return queued.run;
    }
    const entry = { ids: new Set(competitorIds), now, run: Promise.resolve() };
    this.queuedCompetitors.set(workspaceId, entry);
    entry.run = this.serial(workspaceId, 'snapshots', () => {
      if (this.queuedCompetitors.get(workspaceId) === entry) this.queuedCompetitors.delete(workspaceId);
      return this.evaluateCompetitors(workspaceId, [...entry.ids], now ?? this.clock.now(), 'INGEST');
    });
    return entry.run;
  }

  private async evaluateCompetitors(workspaceId: string, ids: string[], now: number, mode: 'INGEST' | 'SCHEDULE'): Promise<void> {
    const rules = await this.rules.enabledRules(workspaceId);
    const comps = await this.competitors(workspaceId, ids);
    if (!comps.length) return;
    const batch = new Batch(workspaceId);
    const states = await this.loadStates(
      workspaceId,
      'COMPETITOR',
      comps.map((c) => c.id),
    );
    const rawKinds: AlertKind[] =
      mode === 'INGEST' ? ['COMPETITOR_RESTOCK', 'COMPETITOR_STOCKOUT', 'DATA_STALE'] : ['SELLOUT_IMMINENT', 'DATA_STALE'];
    const factKinds: AlertKind[] = mode === 'INGEST' ? [...FACT_KINDS] : [];
    // The raw history only for the kinds that still need it; the consumption and deal kinds read facts (alert.facts.ts).
    const needRaw = comps.some((c) => rawKinds.some((k) => AlertEvaluator.pickRule(rules, k, AlertEvaluator.competitorSubject(c).core)));
    const points = needRaw
      ? await this.loadPoints(
          comps.map((c) => c.id),
          now - HISTORY_DAYS * DAY_MS,
          now + 1,
        )
      : new Map<string, SnapshotPoint[]>();
    // When each listing's newest capture arrived: DATA_STALE is judged on arrival (core/series captureStaleness).
    const tails = rules.some((r) => r.kind === 'DATA_STALE' && r.enabled) ? createTailLoader(this.db, now) : null;
    for (const c of comps) {
      const subject = AlertEvaluator.competitorSubject(c);
      const rule = (k: AlertKind) => AlertEvaluator.pickRule(rules, k, subject.core);
      const lastAt = (k: AlertKind) => states.get(stateKey('COMPETITOR', c.id, k))?.state.lastAt ?? null;
      const pts = points.get(c.id) ?? [];
      const active = rawKinds.filter((k) => rule(k));
      if (active.length && pts.length) {
        const obs = new CompetitorObservations(
          c,
          pts,
          now,
          active.includes('DATA_STALE') ? ((await tails?.load(c.id))?.arrivedAt ?? null) : null,
        );
        for (const k of active) {
          const r = rule(k)!;
          const list = obs.forKind(
            k,
            r.params.minStockoutHours ?? DEFAULT_MIN_STOCKOUT_HOURS,
            lastAt(k),
            states.has(stateKey('COMPETITOR', c.id, k)),
          );
          this.run(batch, states, subject, k, r, list, now);
        }
      }
      await this.evaluateFactKinds(
        batch,
        states,
        subject,
        factKinds.filter((k) => rule(k)),
        now,
        rules,
      );
    }
    await this.commit(batch);
  }

  /**
   * The consumption and deal kinds of one competitor from the facts (alert.facts.ts): the rate N
   * and μ and the daily rate from the consumption facts, deal starts from the deal episodes.
   */
  private async evaluateFactKinds(
    batch: Batch,
    states: Map<string, AlertStateRow>,
    subject: Subject,
    kinds: AlertKind[],
    now: number,
    rules: AlertRuleRow[],
  ): Promise<void> {
    if (!kinds.length) return;
    const id = subject.core.id;
    const rule = (k: AlertKind) => AlertEvaluator.pickRule(rules, k, subject.core)!;
    const lastAt = (k: AlertKind) => states.get(stateKey('COMPETITOR', id, k))?.state.lastAt ?? null;
    const historyFrom = now - HISTORY_DAYS * DAY_MS;
    const judgeFrom = Math.min(
      ...kinds.map((k) => {
        const after = lastAt(k);
        if (k === 'CONSUMPTION_RATE') return Math.max(after ?? -Infinity, now - RECENT_MS) - rateWindowMs(rule(k).params);
        return after ?? historyFrom;
      }),
    );
    const obs = await FactObservations.load(this.db, id, now, { historyFrom, judgeFrom, recentMs: RECENT_MS });
    if (!obs) return;
    for (const k of kinds) {
      const r = rule(k);
      const list =
        k === 'CONSUMPTION_RATE'
          ? await obs.rate(lastAt(k), rateWindowMs(r.params))
          : k === 'CONSUMPTION_DEVIATION'
            ? await obs.consumption(lastAt(k))
            : await obs.dealStarted(lastAt(k));
      this.run(batch, states, subject, k, r, list, now);
    }
  }

  // ——— own products ———

  /** Post-commit hook of recordSales / upsertProduct: consumption, safety stock and reorder point. */
  onProducts(workspaceId: string, productIds: string[], now = this.clock.now()): Promise<void> {
    const ids = [...new Set(productIds)];
    if (!ids.length) return Promise.resolve();
    return this.serial(workspaceId, 'products', () => this.evaluateProducts(workspaceId, ids, now));
  }

  private async evaluateProducts(workspaceId: string, ids: string[], now: number): Promise<void> {
    const rules = await this.rules.enabledRules(workspaceId);
    const products: Product[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      products.push(
        ...(await this.db.manager
          .createQueryBuilder(Product, 'p')
          .where('p.workspaceId = :ws AND p.id IN (:...ids)', { ws: workspaceId, ids: ids.slice(i, i + 500) })
          .getMany()),
      );
    }
    if (!products.length) return;
    const batch = new Batch(workspaceId);
    const states = await this.loadStates(
      workspaceId,
      'PRODUCT',
      products.map((p) => p.sku),
    );
    const loaders = { products: createProductLoaders(this.db), suppliers: createSupplierLoaders(this.db, this.suppliers) };
    const today = this.planning.today();
    for (const p of products) {
      const subject = AlertEvaluator.productSubject(p);
      const consumption = AlertEvaluator.pickRule(rules, 'CONSUMPTION_DEVIATION', subject.core);
      if (consumption) {
        const sales = await loaders.products.sales.load({ productId: p.id, from: today - SALES_DAYS, to: today + 1 });
        // One observation per recorded day, at the end of the day; a stockout day has no usable rate.
        const list: AlertObservation[] = sales.map((d) => ({
          at: (d.day + 1) * DAY_MS,
          signal: { type: 'RATE', value: d.inStock ? d.units : null, onHand: null, safetyStock: null },
          source: 'recordSales',
          capturedAt: (d.day + 1) * DAY_MS,
        }));
        this.run(batch, states, subject, 'CONSUMPTION_DEVIATION', consumption, list, now);
      }
      const ss = AlertEvaluator.pickRule(rules, 'SAFETY_STOCK_BREACH', subject.core);
      const rop = AlertEvaluator.pickRule(rules, 'REORDER_POINT_REACHED', subject.core);
      if (!ss && !rop) continue;
      let plan;
      try {
        plan = await this.planning.plan(p, PLAN_ARGS, loaders);
      } catch (e) {
        // No supplier and no lead time: there is no safety stock to compare with.
        log('debug', 'no replenishment plan for stock alerts', { workspaceId, sku: p.sku, error: String(e) });
        continue;
      }
      // The plan's figures already carry the class-A buffer; the evaluator's STRICT profile would
      // apply it again, so hand it the figures divided by that buffer (thresholds = the plan's).
      const buffer = PROFILE_COEFFICIENTS[profileFor(subject.core).profile].safetyStockBuffer;
      const ssBase = plan.safetyStock / buffer;
      const obs = (): AlertObservation => ({
        at: now,
        signal: {
          type: 'STOCK',
          onHand: plan.onHand,
          inTransit: plan.inTransit,
          safetyStock: ssBase,
          reorderPoint: plan.reorderPoint - (buffer - 1) * ssBase,
        },
        source: 'replenishmentPlan',
        capturedAt: now,
      });
      if (ss) this.run(batch, states, subject, 'SAFETY_STOCK_BREACH', ss, [obs()], now);
      if (rop) this.run(batch, states, subject, 'REORDER_POINT_REACHED', rop, [obs()], now);
    }
    await this.commit(batch);
  }

  // ——— own-SKU ledgers ———

  /** The reconciliation settings of the rule covering a product (defaults when none is enabled). */
  async reconcileSettingsFor(workspaceId: string, p: Product): Promise<ReconcileSettings> {
    const rule = AlertEvaluator.pickRule(
      await this.rules.enabledRules(workspaceId),
      'RECONCILIATION_MISMATCH',
      AlertEvaluator.productSubject(p).core,
    );
    return reconcileSettings(rule?.params ?? emptyParams());
  }

  /** Post-commit hook of recordLedger: reconciles the ended own deals and rolling windows not judged yet. */
  onLedger(workspaceId: string, productIds: string[], now = this.clock.now()): Promise<void> {
    const ids = [...new Set(productIds)];
    if (!ids.length) return Promise.resolve();
    return this.serial(workspaceId, 'ledger', async () => {
      await this.evaluateLedgers(workspaceId, ids, now);
      await this.evaluateOrderRates(workspaceId, ids, now);
    });
  }

  /**
   * CONSUMPTION_RATE of own SKUs from their order streams (recordLedger order sales): one
   * observation per new order minute in the last RECENT_MS, the units of the rolling window
   * against the hour-of-day baseline of the RATE_HISTORY_DAYS before it.
   */
  private async evaluateOrderRates(workspaceId: string, ids: string[], now: number): Promise<void> {
    const rules = await this.rules.enabledRules(workspaceId);
    const products = await this.products(workspaceId, ids);
    const todo = products
      .map((p) => ({ p, subject: AlertEvaluator.productSubject(p) }))
      .map((x) => ({ ...x, rule: AlertEvaluator.pickRule(rules, 'CONSUMPTION_RATE', x.subject.core) }))
      .filter((x) => x.rule);
    if (!todo.length) return;
    const batch = new Batch(workspaceId);
    const states = await this.loadStates(
      workspaceId,
      'PRODUCT',
      todo.map((x) => x.p.sku),
    );
    const from = now - (RATE_HISTORY_DAYS + 1) * DAY_MS;
    const ledgers = await loadLedgers(
      this.db,
      todo.map((x) => x.p.id),
      from,
      now,
    );
    for (const { p, subject, rule } of todo) {
      const ledger = ledgers.get(p.id)!;
      const last = states.get(stateKey('PRODUCT', p.sku, 'CONSUMPTION_RATE'))?.state.lastAt ?? null;
      const obs = orderRateObservations(ledger, rateWindowMs(rule!.params), last, now);
      if (obs.length) this.run(batch, states, subject, 'CONSUMPTION_RATE', rule!, obs, now);
    }
    await this.commit(batch);
  }

  private async products(workspaceId: string, ids: string[]): Promise<Product[]> {
    const out: Product[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      out.push(
        ...(await this.db.manager
          .createQueryBuilder(Product, 'p')
          .where('p.workspaceId = :ws AND p.id IN (:...ids)', { ws: workspaceId, ids: ids.slice(i, i + 500) })
          .getMany()),
      );
    }
    return out;
  }

  private async evaluateLedgers(workspaceId: string, ids: string[], now: number): Promise<void> {
    const rules = await this.rules.enabledRules(workspaceId);
    const products: Product[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      products.push(
        ...(await this.db.manager
          .createQueryBuilder(Product, 'p')
          .where('p.workspaceId = :ws AND p.id IN (:...ids)', { ws: workspaceId, ids: ids.slice(i, i + 500) })
          .getMany()),
      );
    }
    const covered = products
      .map((p) => ({ p, subject: AlertEvaluator.productSubject(p) }))
      .map((x) => ({ ...x, rule: AlertEvaluator.pickRule(rules, 'RECONCILIATION_MISMATCH', x.subject.core) }));
    const todo = covered.filter((x) => x.rule);
    if (!todo.length) return;
    const batch = new Batch(workspaceId);
    const states = await this.loadStates(
      workspaceId,
      'PRODUCT',
      todo.map((x) => x.p.sku),
    );
    const ledgers = await loadLedgers(
      this.db,
      todo.map((x) => x.p.id),
      now - LEDGER_DAYS * DAY_MS,
      now + DAY_MS,
    );
    for (const { p, subject, rule } of todo) {
      const settings = reconcileSettings(rule!.params);
      const ledger = ledgers.get(p.id)!;
      const last = states.get(stateKey('PRODUCT', p.sku, 'RECONCILIATION_MISMATCH'))?.state.lastAt ?? -Infinity;
      // One observation per judged moment; when a deal window and a rolling window close together, the worse report counts.
      const byAt = new Map<number, { w: LedgerWindow; report: ReconciliationReport }>();
      for (const w of ledgerWindows(ledger, settings, now, last)) {
        const report = reconcileWindow(ledger, w, settings.tolerance);
        const prev = byAt.get(w.at);
        if (!prev || (prev.report.ok && !report.ok)) byAt.set(w.at, { w, report });
      }
      if (!byAt.size) continue;
      const obs: AlertObservation[] = [...byAt.values()].map(({ w, report }) => ({
        at: w.at,
        signal: { type: 'RECONCILIATION', report },
        source: 'recordLedger',
        capturedAt: w.to,
      }));
      this.run(batch, states, subject, 'RECONCILIATION_MISMATCH', rule!, obs, now, (e, c) => {
        const hit = byAt.get(e.observedAt);
        if (!hit || c.action !== 'RAISE' || !c.explanation) return c;
        const { w, report } = hit;
        const found = report.findings.map((f) => `${f.code}: ${readableDetail(f.detail)}`).join('; ');
        return {
          ...c,
          message: `${w.label}. ${found}. Expected closing stock ${report.figures.expectedClosingStock} (opening ${report.figures.openingStock} + net movements ${report.figures.netMovementUnits}), order system ${report.figures.recordedSalesUnits} units sold, SALE movements ${report.figures.saleMovementUnits}.`,
          explanation: {
            ...c.explanation,
            steps: [...c.explanation.steps, ...report.explanation.steps.map((st) => ({ ...st, label: `reconciliation: ${st.label}` }))],
            notes: [...c.explanation.notes, w.label, ...report.explanation.notes],
          },
        };
      });
    }
    await this.commit(batch);
  }

  // ——— schedule ———

  /**
   * The scheduled pass: SELLOUT_IMMINENT for competitors with a deal in the last two days (or an
   * open sell-out state) and DATA_STALE for every competitor captured in the last HISTORY_DAYS.
   */
  async runOnce(now = this.clock.now()): Promise<void> {
    const q = this.db.params();
    const rows: { workspace_id: string; competitor_id: string }[] = await this.db.manager.query(
      `SELECT c.workspace_id, s.competitor_id FROM snapshot s JOIN competitor c ON c.id = s.competitor_id
        WHERE s.captured_at >= ${q.add(new Date(now - HISTORY_DAYS * DAY_MS))} GROUP BY c.workspace_id, s.competitor_id`,
      q.values,
    );
    const byWs = new Map<string, string[]>();
    for (const r of rows) byWs.set(r.workspace_id, [...(byWs.get(r.workspace_id) ?? []), r.competitor_id]);
    await Promise.all([...byWs].map(([ws, ids]) => this.serial(ws, 'schedule', () => this.evaluateCompetitors(ws, ids, now, 'SCHEDULE'))));
    await this.releaseHeld(now);
  }

  /** Raises what quiet hours held back, once they are over (core releaseHeld: only if still confirmed). */
  private async releaseHeld(now: number): Promise<void> {
    const rows = await this.db.manager.createQueryBuilder(AlertStateRow, 's').where('s.state LIKE :held', { held: '%"held":{%' }).getMany();
    const byWs = new Map<string, AlertStateRow[]>();
    for (const r of rows) if (r.state.held) byWs.set(r.workspaceId, [...(byWs.get(r.workspaceId) ?? []), r]);
    await Promise.all(
      [...byWs].map(([ws, list]) =>
        this.serial(ws, 'release', async () => {
          const rules = await this.rules.enabledRules(ws);
          const batch = new Batch(ws);
          for (const row of list) {
            const subject = await this.subjectOf(ws, row.subjectType, row.subjectId);
            const rule = subject ? AlertEvaluator.pickRule(rules, row.kind, subject.core) : null;
            if (!subject || !rule) continue;
            const r = coreReleaseHeld(row.state, toCoreRule(rule.id, row.kind, rule.params), now);
            if (r.state === row.state) continue;
            for (const e of r.events) if (e.notify) batch.changes.push(this.toChange(e, subject));
            row.state = r.state;
            row.updatedAt = new Date(now);
            batch.dirty.set(stateKey(row.subjectType, row.subjectId, row.kind), row);
          }
          await this.commit(batch);
        }),
      ),
    );
  }

  // ——— lifecycle feedback ———

  private async subjectOf(workspaceId: string, type: SubjectType, id: string): Promise<Subject | null> {
    if (type === 'COMPETITOR') {
      const c = await this.db.manager.findOne(Competitor, { where: { workspaceId, id } });
      return c ? AlertEvaluator.competitorSubject(c) : null;
    }
    const p = await this.db.manager.findOne(Product, { where: { workspaceId, sku: id } });
    return p ? AlertEvaluator.productSubject(p) : null;
  }

  private async withState(
    workspaceId: string,
    alert: Alert,
    what: string,
    fn: (state: AlertState, rule: AlertRuleRow) => AlertState | null,
  ): Promise<void> {
    await this.serial(workspaceId, what, async () => {
      const row = await this.db.manager.findOne(AlertStateRow, {
        where: { workspaceId, subjectType: alert.subjectType, subjectId: alert.subjectId, kind: alert.kind },
      });
      if (!row) return;
      const subject = await this.subjectOf(workspaceId, alert.subjectType, alert.subjectId);
      const rule = subject ? AlertEvaluator.pickRule(await this.rules.enabledRules(workspaceId), alert.kind, subject.core) : null;
      if (!rule) return;
      const next = fn(row.state, rule);
      if (!next) return;
      row.state = next;
      row.updatedAt = new Date();
      await this.db.write((m) => m.save(row));
    });
  }

  /**
   * acknowledgeAlert hook: the cause label goes to the evaluator (DATA_ERROR twice widens the band
   * by 0.5σ, MARKETING registers a known event). The store holds one open alert per subject and
   * kind, so it is the evaluator's open alert, or its latest resolved one when labelled late.
   */
  acknowledged(workspaceId: string, alert: Alert, now = this.clock.now()): Promise<void> {
    const cause = alert.cause as CauseLabel | null;
    if (!cause) return Promise.resolve();
    return this.withState(workspaceId, alert, 'acknowledge', (state, rule) => {
      const id = evaluatorAlertIdOf(alert, state);
      if (!id) return null;
      const r = coreAcknowledge(state, toCoreRule(rule.id, alert.kind, rule.params), id, cause, now);
      if (r.adjustment)
        log('info', 'alert feedback adjusted a threshold', {
          workspaceId,
          subject: alert.subjectId,
          kind: alert.kind,
          parameter: r.adjustment.parameter,
          before: r.adjustment.before,
          after: r.adjustment.after,
        });
      return r.state;
    });
  }

  /** resolveAlert hook: closes the evaluator's open alert too, so a breach still under way re-arms normally. */
  resolvedManually(workspaceId: string, alert: Alert, now = this.clock.now()): Promise<void> {
    return this.withState(workspaceId, alert, 'resolve', (state, rule) =>
      state.open ? coreResolve(state, toCoreRule(rule.id, alert.kind, rule.params), state.open.id, now).state : null,
    );
  }

  // ——— read side ———

  async subjectStates(workspaceId: string, subjectType: SubjectType, subjectId: string, kind?: AlertKind | null) {
    const where = { workspaceId, subjectType, subjectId, ...(kind ? { kind } : {}) };
    const rows = await this.db.manager.find(AlertStateRow, { where, order: { kind: 'ASC' } });
    if (!rows.length) return [];
    const subject = await this.subjectOf(workspaceId, subjectType, subjectId);
    const rules = await this.rules.enabledRules(workspaceId);
    return rows.map((row) => {
      const core: AlertSubject = subject?.core ?? row.state.subject;
      const rule = AlertEvaluator.pickRule(rules, row.kind, core);
      const s = resolveSettings(toCoreRule(rule?.id ?? 'none', row.kind, rule?.params ?? emptyParams()), core, row.state.feedback);
      return { row, rule, settings: s };
    });
  }
}

/** Explanation input naming the evaluator's alert id behind a stored alert (see toChange). */
export const EVALUATOR_ALERT_ID = 'evaluatorAlertId';

/**
 * The evaluator's alert a stored alert stands for: the id it was stored with when the state still
 * knows it (open, or among the recently resolved), else the open alert, else the latest resolved
 * one (alerts stored before the id travelled with them).
 */
export function evaluatorAlertIdOf(alert: Alert, state: AlertState): string | null {
  const stored = alert.explanationData?.inputs?.[EVALUATOR_ALERT_ID];
  if (typeof stored === 'string' && (state.open?.id === stored || state.recent.some((r) => r.id === stored))) return stored;
  return state.open?.id ?? state.recent[state.recent.length - 1]?.id ?? null;
}

/**
 * Observations of one competitor from its recent snapshots. Derived events (restocks, deals,
 * stockout windows) are detected on the whole window, so a capture is judged with everything
 * known at evaluation time (a 0 → 1 that went back to 0 is a flap, not a restock).
 */
class CompetitorObservations {
  private readonly flagCache = new Map<number, SnapshotFlag>();
  private stockFlagsCache: SnapshotFlag[] | null = null;

  constructor(
    private readonly c: Competitor,
    private readonly pts: SnapshotPoint[],
    private readonly now: number,
    /** When the newest capture arrived (its ingest time); null: unknown, its capture time counts. */
    private readonly arrivedAt: number | null = null,
  ) {}

  /**
   * The shared per-reading anomaly flags (core/anomalies/flags.ts), the verdicts the API shows:
   * judged only for the readings a period asks about (flagReading, memoized per reading).
   */
  private flagAt(i: number): SnapshotFlag {
    let f = this.flagCache.get(i);
    if (!f) this.flagCache.set(i, (f = flagReading(this.pts, i)));
    return f;
  }

  /** Their wrong-stock verdicts for restocks, stockouts and velocity (stockReadingFlags: the same verdicts, cheaply). */
  private get stockFlags(): SnapshotFlag[] {
    this.stockFlagsCache ??= stockReadingFlags(this.pts);
    return this.stockFlagsCache;
  }

  private anomaly(from: number, to: number): { reasons: string[] } | null {
    const judged = this.pts.flatMap((p, i) => (p.at >= from && p.at <= to ? [this.flagAt(i)] : []));
    return anomalyForPeriod(judged, from, to, ['stock']);
  }

  /**
   * One observation per capture: `active` says whether the event covers it, and may name the
   * interval the event rests on (a restock's rise), whose readings must be clean as well.
   */
  private perCapture(
    after: number | null,
    active: (p: SnapshotPoint) => { detail: string; evidence?: [number, number] } | null,
    withAnomaly: boolean,
  ): AlertObservation[] {
    const out: AlertObservation[] = [];
    let prev: SnapshotPoint | null = null;
    for (const p of this.pts) {
      if (after !== null && p.at <= after) {
        prev = p;
        continue;
      }
      const a = active(p);
      let anomaly: { reasons: string[] } | null = null;
      if (withAnomaly && a) {
        const reasons = [
          ...(prev ? (this.anomaly(prev.at, p.at)?.reasons ?? []) : []),
          ...(a.evidence ? (this.anomaly(a.evidence[0], a.evidence[1])?.reasons ?? []) : []),
        ];
        anomaly = reasons.length ? { reasons: [...new Set(reasons)] } : null;
      }
      out.push({
        at: p.at,
        signal: { type: 'EVENT', active: a !== null, detail: a?.detail ?? null },
        anomaly,
        source: p.source ?? null,
        capturedAt: p.at,
      });
      prev = p;
    }
    return out;
  }

  /**
   * Observations of `kind` newer than `after` (the state's last). Detection runs on the whole
   * window, but only when there is something new to judge: an ingest of one capture per listing
   * stays cheap.
   */
  forKind(kind: AlertKind, minStockoutHours: number, after: number | null, hasState: boolean): AlertObservation[] {
    const pts = this.pts;
    const last = pts[pts.length - 1].at;
    const isNew = (at: number) => after === null || at > after;
    if (kind !== 'DATA_STALE' && kind !== 'SELLOUT_IMMINENT' && !isNew(last)) return [];
    switch (kind) {
      case 'COMPETITOR_RESTOCK':
        return this.restockObservations(after);
      case 'COMPETITOR_STOCKOUT':
        return this.stockoutObservations(after, minStockoutHours);
      case 'DATA_STALE':
        return this.staleObservations();
      case 'SELLOUT_IMMINENT':
        return this.selloutObservations(hasState);
      default:
        return [];
    }
  }

  /**
   * COMPETITOR_RESTOCK: a capture is active while a confident restock (no flap) began at most
   * max(RESTOCK_ACTIVE_MS, 2.5 × the median capture interval) before it; the rise must be clean.
   */
  private restockObservations(after: number | null): AlertObservation[] {
    const pts = this.pts;
    // The API's rules (RESTOCK_OPTIONS: T from the 14 days before each rise), so both report the same restocks.
    const events = detectRestocks(pts, { now: this.now, anomalies: this.stockFlags, ...RESTOCK_OPTIONS }).filter(
      (e) => e.kind !== 'FLAP' && e.confidence >= MIN_RESTOCK_CONFIDENCE,
    );
    // A restock stays "active" for a while after its first capture, so a profile that wants
    // one more confirming period (LENIENT) sees it on the next capture(s) too.
    const activeMs = Math.max(RESTOCK_ACTIVE_MS, 2.5 * (medianIntervalMs(pts) ?? HOUR_MS));
    return this.perCapture(
      after,
      (p) => {
        const e = events.find((x) => x.at <= p.at && p.at < x.at + activeMs);
        if (!e) return null;
        // The rise itself (previous reading → first raised one) must be clean, however many captures later.
        return {
          detail: `+${e.quantity} units (${e.fromLevel} → ${e.toLevel}${e.toLevelIsLowerBound ? '+' : ''}), confidence ${e.confidence.toFixed(2)}`,
          evidence: [e.earliestAt, e.at],
        };
      },
      true,
    );
  }

  /** COMPETITOR_STOCKOUT: a capture is active inside a stockout window that has lasted at least `minStockoutHours`. */
  private stockoutObservations(after: number | null, minStockoutHours: number): AlertObservation[] {
    const minMs = minStockoutHours * HOUR_MS;
    const windows = stockoutWindows(this.pts, {
      now: this.now,
      minDurationHours: minStockoutHours,
      anomalies: this.stockFlags,
      restock: RESTOCK_OPTIONS,
    });
    return this.perCapture(
      after,
      (p) => {
        const w = windows.find((x) => x.start <= p.at && (x.end === null || p.at < x.end) && p.at - x.start >= minMs);
        return w
          ? {
              detail: `out of stock since ${new Date(w.start).toISOString()}${w.opportunityUnits !== null ? `, ~${Math.round(w.opportunityUnits)} units of demand open` : ''}`,
            }
          : null;
      },
      true,
    );
  }

  /**
   * DATA_STALE: one CAPTURE observation now, with when the newest capture arrived, against the
   * capture interval of the newest captures (or the tier's); the rule is core/series captureStaleness.
   */
  private staleObservations(): AlertObservation[] {
    const pts = this.pts;
    return [
      {
        at: this.now,
        signal: {
          type: 'CAPTURE',
          lastCaptureAt: pts[pts.length - 1].at,
          lastArrivedAt: this.arrivedAt,
          expectedIntervalMs: captureIntervalMs(pts) ?? TIER_CAPTURE_INTERVAL_MS[this.c.tier],
        },
        capturedAt: pts[pts.length - 1].at,
      },
    ];
  }

  /**
   * SELLOUT_IMMINENT: one SELLOUT_ETA observation now, hours to the live deal's median sell-out
   * (null without one); nothing when no deal is live and no alert state is open.
   */
  private selloutObservations(hasState: boolean): AlertObservation[] {
    const pts = this.pts;
    const now = this.now;
    const live = activeDeal(detectDeals(pts, { now }));
    if (!live && !hasState) return [];
    const p50 = live?.sellOutEta?.p50 ?? null;
    return [
      {
        at: now,
        signal: { type: 'SELLOUT_ETA', etaHours: p50 === null ? null : Math.max(0, (p50 - now) / HOUR_MS) },
        source: pts[pts.length - 1].source ?? null,
        capturedAt: pts[pts.length - 1].at,
      },
    ];
  }
}

/**
 * CONSUMPTION_RATE observations of an own SKU's order stream: one per distinct order minute after
 * `after` in the last RECENT_MS. The stream counts as complete from its first ledger entry (order,
 * movement or reading) to now: a minute without an order sold nothing.
 */
export function orderRateObservations(ledger: Ledger, windowMs: number, after: number | null, now: number): AlertObservation[] {
  const firsts = [ledger.sales[0]?.at, ledger.movements[0]?.at, ledger.readings[0]?.at].filter((t): t is number => t !== undefined);
  if (!ledger.sales.length || !firsts.length) return [];
  const coveredFrom = Math.min(...firsts);
  const series = orderSeries(ledger.sales, coveredFrom, now);
  const from = Math.max(after ?? -Infinity, now - RECENT_MS);
  const minutes = [...new Set(ledger.sales.map((x) => Math.ceil(x.at / 60_000) * 60_000))].filter((t) => t > from && t <= now);
  return minutes.map((at) => ({
    ...windowRateObservation(series, at, windowMs, coveredFrom, 'order sales'),
    source: 'recordLedger',
    capturedAt: at,
  }));
}
