import { describe, expect, it } from 'vitest';
import { accuracyScore } from './metrics';

describe('accuracyScore', () => {
  it('is the share of exact matches', () => {
    expect(accuracyScore([0, 1, 2, 2], [0, 2, 2, 2])).toBe(0.75);
  });
  it('rejects unequal or empty inputs', () => {
    expect(() => accuracyScore([0, 1], [0])).toThrow('accuracy needs equal lengths: 2 actual vs 1 predicted');
    expect(() => accuracyScore([], [])).toThrow('accuracy of zero rows is undefined');
  });
});
