import { describe, expect, it } from 'vitest';
import { changeInstant } from '../../../core/restock/stockout';
import { DEFAULT_MAX_GAP_MS } from '../../../core/series/intervals';
import { HOUR_MS } from '../../../core/series/types';

describe('stockout steps', () => {
  it('a stock change is placed midway between the readings, or at the later one across a capture gap', () => {
    expect(changeInstant(0, 4 * HOUR_MS)).toBe(2 * HOUR_MS);
    expect(changeInstant(0, DEFAULT_MAX_GAP_MS)).toBe(DEFAULT_MAX_GAP_MS / 2);
    expect(changeInstant(0, DEFAULT_MAX_GAP_MS + 1)).toBe(DEFAULT_MAX_GAP_MS + 1);
  });
});
