import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ALERT_LEVELS, type AlertKind } from '../../../core/alerts/types';
import { RATE_DEFAULTS } from '../../../core/alerts/rate';
import type { Clock } from '../../clock';
import type { Db } from '../../db/db';
import { instantKey, isText, keysetPage, type Page } from '../../graphql/connection';
import { badInput, notFound } from '../../graphql/errors';
import * as v from '../../graphql/validate';
import { Competitor, CompetitorTier } from '../competitor/competitor.entity';
import { AbcClass, Product } from '../product/product.entity';
import { AlertRuleRow, AlertRuleScopeType } from './alert-rule.entity';
import type { AlertRuleFields, AlertRuleScopeInput, AlertRulesArgs, CreateAlertRuleInput, UpdateAlertRuleInput } from './alert-rule.inputs';
import { DEFAULT_RULES, emptyParams, EVALUATED_KINDS, KIND_SUBJECTS, type RuleParams, type StoredExclusion } from './alert-rule.params';

export const MAX_EXCLUSIONS = 100;
const MIN_TIME = Date.UTC(2000, 0, 1);
const MAX_TIME = Date.UTC(2100, 0, 1);

/** Deterministic id of a default rule, so two processes seeding at once insert the same rows. */
function defaultRuleId(workspaceId: string, kind: AlertKind): string {
  const h = createHash('sha1').update(`default-rule|${workspaceId}|${kind}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

type Subject = Pick<AlertRuleRow, 'subjectType' | 'subjectId'>;

/** The numeric settings: each within its range, and only on the kind it applies to (when it names one). */
function applyNumbers(kind: AlertKind, p: RuleParams, input: AlertRuleFields): void {
  const num = (
    field: keyof AlertRuleFields & keyof RuleParams,
    opts: { min: number; max: number; integer?: boolean },
    only?: AlertKind,
  ) => {
    const val = input[field] as number | null | undefined;
    if (val === undefined) return;
    if (val !== null && only && kind !== only) throw badInput(`input.${field}`, `applies to ${only} rules only, not ${kind}`);
    (p[field] as number | null) = v.optionalFinite(`input.${field}`, val, opts);
  };
  num('k', { min: 0.5, max: 6 }, 'CONSUMPTION_DEVIATION');
  num('debouncePeriods', { min: 1, max: 30, integer: true });
  num('escalateAfterPeriods', { min: 1, max: 30, integer: true });
  num('selloutWithinHours', { min: 0.5, max: 720 }, 'SELLOUT_IMMINENT');
  num('minStockoutHours', { min: 1, max: 720 }, 'COMPETITOR_STOCKOUT');
  num('staleFactor', { min: 1, max: 100 }, 'DATA_STALE');
  num('toleranceAbsolute', { min: 0, max: 1_000_000 }, 'RECONCILIATION_MISMATCH');
  num('toleranceRelative', { min: 0, max: 1 }, 'RECONCILIATION_MISMATCH');
  num('reconcileWindowHours', { min: 1, max: 744, integer: true }, 'RECONCILIATION_MISMATCH');
  num('settleHours', { min: 0, max: 168 }, 'RECONCILIATION_MISMATCH');
  applyRateNumbers(kind, p, input, num);
}

/**
 * CONSUMPTION_RATE: window 5 min–24 h, ORANGE and RED edges as % of the expected units (RED above
 * ORANGE, the stored or default value of the other counting), minimum units.
 */
function applyRateNumbers(
  kind: AlertKind,
  p: RuleParams,
  input: AlertRuleFields,
  num: (field: keyof AlertRuleFields & keyof RuleParams, opts: { min: number; max: number; integer?: boolean }, only?: AlertKind) => void,
): void {
  num('rateWindowMinutes', { min: 5, max: 1440, integer: true }, 'CONSUMPTION_RATE');
  num('rateOrangePercent', { min: 100, max: 100_000 }, 'CONSUMPTION_RATE');
  num('rateRedPercent', { min: 100, max: 100_000 }, 'CONSUMPTION_RATE');
  num('rateMinUnits', { min: 1, max: 100_000, integer: true }, 'CONSUMPTION_RATE');
  if (kind !== 'CONSUMPTION_RATE') return;
  const orange = p.rateOrangePercent ?? RATE_DEFAULTS.orange * 100;
  const red = p.rateRedPercent ?? RATE_DEFAULTS.red * 100;
  if (!(red > orange)) {
    const field = input.rateRedPercent !== undefined ? 'rateRedPercent' : 'rateOrangePercent';
    throw badInput(`input.${field}`, `RED (${red} %) must be above ORANGE (${orange} %)`);
  }
}

/** The event level override: competitor deal, restock and stockout rules only. */
function applyEventLevel(kind: AlertKind, p: RuleParams, input: AlertRuleFields): void {
  if (input.eventLevel === undefined) return;
  if (input.eventLevel !== null && !['COMPETITOR_DEAL_STARTED', 'COMPETITOR_RESTOCK', 'COMPETITOR_STOCKOUT'].includes(kind)) {
    throw badInput('input.eventLevel', `applies to competitor deal, restock and stockout rules only, not ${kind}`);
  }
  if (input.eventLevel !== null && !ALERT_LEVELS.includes(input.eventLevel))
    throw badInput('input.eventLevel', `must be one of ${ALERT_LEVELS.join(', ')}`);
  p.eventLevel = input.eventLevel;
}

/** Quiet hours: a non-empty window of minutes of the day at a UTC offset of at most ±14 h; null clears them. */
function quietHours(q: AlertRuleFields['quietHours']): RuleParams['quietHours'] {
  if (q === null || q === undefined) return null;
  const startMinute = v.finite('input.quietHours.startMinute', q.startMinute, { min: 0, max: 1439, integer: true });
  const endMinute = v.finite('input.quietHours.endMinute', q.endMinute, { min: 0, max: 1439, integer: true });
  if (startMinute === endMinute) throw badInput('input.quietHours.endMinute', 'must differ from startMinute (an empty window)');
  const utcOffsetMinutes = v.finite('input.quietHours.utcOffsetMinutes', q.utcOffsetMinutes ?? 0, {
    min: -840,
    max: 840,
    integer: true,
  });
  return { startMinute, endMinute, utcOffsetMinutes };
}

/** Exclusion windows (at most MAX_EXCLUSIONS), numbered X1, X2, … in the order given. */
function exclusions(list: NonNullable<AlertRuleFields['exclusions']>): StoredExclusion[] {
  if (list.length > MAX_EXCLUSIONS) throw badInput('input.exclusions', `at most ${MAX_EXCLUSIONS}, got ${list.length}`);
  return list.map((x, i): StoredExclusion => {
    const f = (n: string) => `input.exclusions[${i}].${n}`;
    const time = (n: 'from' | 'to') => {
      const d = x[n];
      if (d === null || d === undefined) return null;
      const t = d instanceof Date ? d.getTime() : NaN;
      // Omitted is open-ended; a year like 9999 is a typo or a unit mix-up, not "forever".
      if (!Number.isFinite(t) || t < MIN_TIME || t >= MAX_TIME)
        throw badInput(f(n), 'must be an ISO 8601 date-time from 2000-01-01 to 2099-12-31 (omit it for open-ended)');
      return t;
    };
    const from = time('from');
    const to = time('to');
    if (from !== null && to !== null && to < from) throw badInput(f('to'), 'must not be before from');
    return {
      id: `X${i + 1}`,
      // Blank must not silently widen a one-subject exclusion to every subject.
      subjectId: x.subjectId === null || x.subjectId === undefined ? null : v.text(f('subjectId'), x.subjectId, { max: 64 }),
      from,
      to,
      reason: v.text(f('reason'), x.reason, { max: 200 }),
      knownEvent: Boolean(x.knownEvent),
    };
  });
}

/** Which scope fields each scope type takes (each of them required). */
const SCOPE_FIELDS: Record<string, ('tier' | 'abcClass' | 'competitorId' | 'sku')[]> = {
  ALL: [],
  TIER: ['tier'],
  ABC_CLASS: ['abcClass'],
  COMPETITOR: ['competitorId'],
  PRODUCT: ['sku'],
};

/** Rejects scope fields the scope type does not take and requires the ones it does. */
function checkScopeFields(s: AlertRuleScopeInput): void {
  const given = { tier: s.tier ?? null, abcClass: s.abcClass ?? null, competitorId: s.competitorId ?? null, sku: s.sku ?? null };
  const allowed = SCOPE_FIELDS[s.type];
  for (const k of Object.keys(given) as (keyof typeof given)[]) {
    if (given[k] !== null && !allowed.includes(k)) throw badInput(`input.scope.${k}`, `does not apply to scope ${s.type}`);
  }
  for (const k of allowed) if (given[k] === null) throw badInput(`input.scope.${k}`, `is required for scope ${s.type}`);
}

/**
 * Applies a scope: ALL, a competitor tier or product ABC class (stored in params), or one
 * competitor or product (stored as the rule's subject, which must exist in the workspace).
 */
async function applyScope(m: EntityManager, workspaceId: string, kind: AlertKind, p: RuleParams, s: AlertRuleScopeInput): Promise<Subject> {
  checkScopeFields(s);
  const subjects = KIND_SUBJECTS[kind] ?? [];
  const needs = (t: 'PRODUCT' | 'COMPETITOR') => {
    if (!subjects.includes(t))
      throw badInput(
        'input.scope.type',
        `${s.type} scope covers ${t === 'PRODUCT' ? 'own products' : 'competitors'}, but ${kind} applies to ${subjects.join(' and ').toLowerCase()}s only`,
      );
  };
  p.scope = { type: s.type, tier: null, abcClass: null };
  switch (s.type) {
    case 'ALL':
      return { subjectType: null, subjectId: null };
    case 'TIER':
      needs('COMPETITOR');
      if (!Object.values(CompetitorTier).includes(s.tier!)) throw badInput('input.scope.tier', 'must be CORE, GENERAL or POTENTIAL');
      p.scope.tier = s.tier!;
      return { subjectType: null, subjectId: null };
    case 'ABC_CLASS':
      needs('PRODUCT');
      if (!Object.values(AbcClass).includes(s.abcClass!)) throw badInput('input.scope.abcClass', 'must be A, B or C');
      p.scope.abcClass = s.abcClass!;
      return { subjectType: null, subjectId: null };
    case 'COMPETITOR': {
      needs('COMPETITOR');
      const c = await m.findOne(Competitor, { where: { workspaceId, id: s.competitorId! } });
      if (!c) throw badInput('input.scope.competitorId', 'no competitor with this id in this workspace');
      return { subjectType: 'COMPETITOR', subjectId: c.id };
    }
    case 'PRODUCT': {
      needs('PRODUCT');
      const prod = await m.findOne(Product, { where: { workspaceId, sku: s.sku!.trim() } });
      if (!prod) throw badInput('input.scope.sku', 'no product with this SKU in this workspace');
      return { subjectType: 'PRODUCT', subjectId: prod.sku };
    }
    default:
      throw badInput('input.scope.type', 'must be ALL, TIER, ABC_CLASS, COMPETITOR or PRODUCT');
  }
}

export class AlertRuleService {
  /** Workspaces whose defaults are known to exist (saves a count per evaluation). */
  private seeded = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Creates the default rules (alert-rule.params DEFAULT_RULES) when the workspace has none. */
  async ensureDefaults(workspaceId: string): Promise<void> {
    if (this.seeded.has(workspaceId)) return;
    const count = await this.db.manager.count(AlertRuleRow, { where: { workspaceId } });
    if (count === 0) {
      await this.db.write(async (m) => {
        if ((await m.count(AlertRuleRow, { where: { workspaceId } })) > 0) return;
        const base = this.clock.now();
        for (const [i, d] of DEFAULT_RULES.entries()) {
          // Distinct created_at keeps the listing order (and its cursor) stable.
          await m
            .createQueryBuilder()
            .insert()
            .into(AlertRuleRow)
            .values({
              id: defaultRuleId(workspaceId, d.kind),
              workspaceId,
              name: d.name,
              kind: d.kind,
              subjectType: null,
              subjectId: null,
              params: emptyParams(),
              enabled: true,
              createdAt: new Date(base + i),
            })
            .orIgnore()
            .execute();
        }
      });
    }
    this.seeded.add(workspaceId);
  }

  async list(workspaceId: string, args: AlertRulesArgs): Promise<Page<AlertRuleRow>> {
    await this.ensureDefaults(workspaceId);
    const base = () => {
      const qb = this.db.manager.createQueryBuilder(AlertRuleRow, 'r').where('r.workspaceId = :ws', { ws: workspaceId });
      if (args.kind) qb.andWhere('r.kind = :kind', { kind: args.kind });
      return qb;
    };
    return keysetPage('alertRules', args, base, [
      instantKey('r.createdAt', 'ASC', (r) => r.createdAt),
      { column: 'r.id', dir: 'ASC', value: (r) => r.id, check: isText },
    ]);
  }

  /** Enabled rules of the workspace, oldest first (the evaluator picks the most specific per subject). */
  async enabledRules(workspaceId: string): Promise<AlertRuleRow[]> {
    await this.ensureDefaults(workspaceId);
    return this.db.manager.find(AlertRuleRow, { where: { workspaceId, enabled: true }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async create(workspaceId: string, input: CreateAlertRuleInput): Promise<AlertRuleRow> {
    const name = v.text('input.name', input.name, { max: 200 });
    if (!EVALUATED_KINDS.includes(input.kind))
      throw badInput('input.kind', `must be one of ${EVALUATED_KINDS.join(', ')}, got ${input.kind}`);
    await this.ensureDefaults(workspaceId);
    return this.db.write(async (m) => {
      const params = emptyParams();
      const subject = await this.applyFields(m, workspaceId, input.kind, params, input, { subjectType: null, subjectId: null });
      const row = m.create(AlertRuleRow, {
        id: randomUUID(),
        workspaceId,
        name,
        kind: input.kind,
        ...subject,
        params,
        enabled: input.enabled ?? true,
      });
      return m.save(row);
    });
  }

  async update(workspaceId: string, input: UpdateAlertRuleInput): Promise<AlertRuleRow> {
    return this.db.write(async (m) => {
      const row = await m.findOne(AlertRuleRow, { where: { workspaceId, id: v.id('input.id', input.id) } });
      if (!row) throw notFound('AlertRule', input.id);
      if (input.name !== undefined && input.name !== null) row.name = v.text('input.name', input.name, { max: 200 });
      const params: RuleParams = { ...emptyParams(), ...row.params };
      const subject = await this.applyFields(m, workspaceId, row.kind, params, input, {
        subjectType: row.subjectType,
        subjectId: row.subjectId,
      });
      Object.assign(row, subject, { params });
      if (input.enabled !== undefined && input.enabled !== null) row.enabled = input.enabled;
      return m.save(row);
    });
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    return this.db.write(async (m) => {
      const row = await m.findOne(AlertRuleRow, { where: { workspaceId, id } });
      if (!row) throw notFound('AlertRule', id);
      await m.delete(AlertRuleRow, { workspaceId, id });
      // A workspace left without any rule gets the defaults again on next use.
      this.seeded.delete(workspaceId);
      return true;
    });
  }

  /**
   * Validates the given fields (errors name `input.<field>`) and writes them into `params`.
   * Omitted (undefined) keeps the stored value; null resets it to the kind's default.
   */
  private async applyFields(
    m: EntityManager,
    workspaceId: string,
    kind: AlertKind,
    p: RuleParams,
    input: AlertRuleFields,
    subject: Subject,
  ): Promise<Subject> {
    applyNumbers(kind, p, input);
    applyEventLevel(kind, p, input);
    if (input.quietHours !== undefined) p.quietHours = quietHours(input.quietHours);
    if (input.exclusions !== undefined) p.exclusions = exclusions(input.exclusions ?? []);
    if (input.scope === undefined) return subject;
    return applyScope(m, workspaceId, kind, p, input.scope ?? { type: AlertRuleScopeType.ALL });
  }
}
