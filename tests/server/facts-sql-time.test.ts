import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toSqliteDatetime } from '../../server/db/columns';
import { readTime } from '../../server/db/dialect';
import { sqliteTime } from '../../server/modules/facts/facts.sql';

describe('sqliteTime: the readings fact maintenance re-reads, parsed by their digits', () => {
  it('property: equals readTime (Date.parse) on the text toSqliteDatetime writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2200, 0, 1) }), (ms) => {
        const text = toSqliteDatetime(new Date(ms));
        expect(sqliteTime(text)).toBe(ms);
        expect(sqliteTime(text)).toBe(readTime(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('other forms go to readTime', () => {
    expect(sqliteTime('2026-01-05 10:00:00')).toBe(Date.UTC(2026, 0, 5, 10));
    expect(sqliteTime('2026-01-05T10:00:00.250')).toBe(Date.UTC(2026, 0, 5, 10, 0, 0, 250));
    expect(sqliteTime('0050-01-05 10:00:00.000')).toBe(readTime('0050-01-05 10:00:00.000'));
    expect(sqliteTime('not a time at all, 23ch')).toBeNaN();
  });
});
