/**
 * The DateTime scalar's shortcut for canonical UTC strings (server/graphql/schema.ts) must accept
 * exactly what graphql-scalars accepts, with the same instant, and refuse what it refuses.
 */
import fc from 'fast-check';
import { DateTimeResolver } from 'graphql-scalars';
import { describe, expect, it } from 'vitest';
import { DateTimeScalar } from '../../server/graphql/schema';

const outcome = (parse: (v: unknown) => unknown, v: unknown) => {
  try {
    return { ok: (parse(v) as Date).getTime() };
  } catch (e) {
    return { error: (e as Error).message };
  }
};
const same = (v: unknown): void =>
  void expect(outcome((x) => DateTimeScalar.parseValue(x), v)).toEqual(outcome((x) => DateTimeResolver.parseValue(x), v));

describe('DateTime scalar parseValue', () => {
  it('agrees with graphql-scalars on hand-picked edge cases', () => {
    for (const v of [
      '2026-01-01T08:00:00.000Z',
      '2026-01-01T08:00:00Z',
      '2026-01-01t08:00:00z',
      '2024-02-29T00:00:00.000Z',
      '2026-02-29T00:00:00.000Z',
      '2026-02-30T00:00:00Z',
      '2026-04-31T00:00:00.000Z',
      '2026-13-01T00:00:00.000Z',
      '2026-01-01T24:00:00.000Z',
      '2026-01-01T23:59:60Z',
      '2026-01-01 08:00:00.000Z',
      '2026-01-01T08:00:00.00Z',
      '2026-01-01T08:00:00.0000Z',
      '2026-01-01T08:00:00+02:00',
      '0000-01-01T00:00:00.000Z',
      '+02026-01-01T00:00:00Z',
      '0099-12-31T23:59:59Z',
      '0100-01-01T00:00:00.000Z',
      '1900-02-29T00:00:00Z',
      '2000-02-29T00:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-01-00T00:00:00Z',
      '2026-01-01T08:00:00.-01Z',
      '2026-1-01T08:00:00.000Z',
      ' 2026-01-01T08:00:00Z',
      'yesterday',
      '',
      42,
      null,
      new Date(0),
      new Date(NaN),
    ])
      same(v);
  });

  it('agrees with graphql-scalars on generated instants and mutated strings', () => {
    const iso = fc
      .date({ min: new Date(-62_167_219_200_000), max: new Date(253_402_300_799_999), noInvalidDate: true })
      .map((d) => d.toISOString());
    const variant = fc
      .tuple(iso, fc.nat(23), fc.constantFrom('0', '9', '3', ':', 'T', 'Z', ' ', '.', '-', '6'), fc.boolean())
      .map(([s, i, c, cut]) => (cut && s.endsWith('.000Z') ? `${s.slice(0, 19)}Z` : s.slice(0, i) + c + s.slice(i + 1)));
    fc.assert(
      fc.property(fc.oneof(iso, variant), (s) => {
        same(s);
      }),
      { numRuns: 20_000 },
    );
  });
});
