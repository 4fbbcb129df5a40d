import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { AlertRuleRow } from '../../server/modules/alert-eval/alert-rule.entity';
import { emptyParams, PERIOD_MS, type RuleParams, toCoreRule } from '../../server/modules/alert-eval/alert-rule.params';
import { AlertEvaluator } from '../../server/modules/alert-eval/alert.evaluator';

let n = 0;
const rule = (kind: AlertRuleRow['kind'], over: Partial<AlertRuleRow> = {}, params: Partial<RuleParams> = {}): AlertRuleRow =>
  Object.assign(new AlertRuleRow(), {
    id: `r${++n}`,
    workspaceId: 'w',
    name: 'r',
    kind,
    subjectType: null,
    subjectId: null,
    enabled: true,
    createdAt: new Date(n),
    ...over,
    params: { ...emptyParams(), ...params },
  });

describe('rule selection (AlertEvaluator.pickRule)', () => {
  const all = rule('COMPETITOR_RESTOCK');
  const core = rule('COMPETITOR_RESTOCK', {}, { scope: { type: 'TIER', tier: 'CORE', abcClass: null } });
  const one = rule('COMPETITOR_RESTOCK', { subjectType: 'COMPETITOR', subjectId: 'c1' });
  const off = rule('COMPETITOR_RESTOCK', { subjectType: 'COMPETITOR', subjectId: 'c2', enabled: false });
  const classA = rule('SAFETY_STOCK_BREACH', {}, { scope: { type: 'ABC_CLASS', tier: null, abcClass: 'A' } });
  const rules = [all, core, one, off, classA];

  it('prefers one subject over a tier or class over all; disabled rules do not count', () => {
    expect(AlertEvaluator.pickRule(rules, 'COMPETITOR_RESTOCK', { id: 'c1', type: 'COMPETITOR', tier: 'CORE' })?.id).toBe(one.id);
    expect(AlertEvaluator.pickRule(rules, 'COMPETITOR_RESTOCK', { id: 'c3', type: 'COMPETITOR', tier: 'CORE' })?.id).toBe(core.id);
    expect(AlertEvaluator.pickRule(rules, 'COMPETITOR_RESTOCK', { id: 'c2', type: 'COMPETITOR', tier: 'GENERAL' })?.id).toBe(all.id);
    expect(AlertEvaluator.pickRule([core, one], 'COMPETITOR_RESTOCK', { id: 'c4', type: 'COMPETITOR', tier: 'GENERAL' })).toBeNull();
  });

  it('never applies a kind to a subject type it does not cover', () => {
    expect(AlertEvaluator.pickRule(rules, 'SAFETY_STOCK_BREACH', { id: 'c1', type: 'COMPETITOR', tier: 'CORE' })).toBeNull();
    expect(AlertEvaluator.pickRule(rules, 'COMPETITOR_RESTOCK', { id: 'SKU', type: 'PRODUCT', abcClass: 'A' })).toBeNull();
    expect(AlertEvaluator.pickRule(rules, 'SAFETY_STOCK_BREACH', { id: 'SKU', type: 'PRODUCT', abcClass: 'A' })?.id).toBe(classA.id);
    expect(AlertEvaluator.pickRule(rules, 'SAFETY_STOCK_BREACH', { id: 'SKU', type: 'PRODUCT', abcClass: 'B' })).toBeNull();
  });

  it('ties go to the oldest rule', () => {
    const older = rule('DATA_STALE');
    const newer = rule('DATA_STALE');
    expect(AlertEvaluator.pickRule([older, newer], 'DATA_STALE', { id: 'c', type: 'COMPETITOR' })?.id).toBe(older.id);
  });
});

describe('stored rule → core rule (toCoreRule)', () => {
  it('maps only the thresholds that are set, with the kind’s period', () => {
    expect(toCoreRule('r', 'CONSUMPTION_DEVIATION', emptyParams())).toEqual({
      id: 'r',
      kind: 'CONSUMPTION_DEVIATION',
      periodMs: 86_400_000,
    });
    const r = toCoreRule('r', 'SELLOUT_IMMINENT', {
      ...emptyParams(),
      selloutWithinHours: 24,
      escalateAfterPeriods: 2,
      quietHours: { startMinute: 1320, endMinute: 420, utcOffsetMinutes: 60 },
      exclusions: [{ id: 'X1', subjectId: 'c1', from: 1, to: 2, reason: 'Prime Day', knownEvent: true }],
    });
    expect(r).toEqual({
      id: 'r',
      kind: 'SELLOUT_IMMINENT',
      periodMs: PERIOD_MS.SELLOUT_IMMINENT,
      selloutHorizonHours: 24,
      escalateAfterPeriods: 2,
      quietHours: { startMinute: 1320, endMinute: 420, utcOffsetMinutes: 60 },
      exclusions: [{ id: 'X1', subjectId: 'c1', from: 1, to: 2, reason: 'known event: Prime Day' }],
    });
  });
});
