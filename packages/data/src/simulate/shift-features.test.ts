import { describe, expect, it } from 'vitest';
import { loadIris } from '../iris/load-iris';
import { shiftFeatures } from './shift-features';

describe('shiftFeatures', () => {
  const iris = loadIris();
  it('offsets and jitters only the named features, deterministically, keeping labels', () => {
    const shifted = shiftFeatures(iris, { seed: 7, offsets: { 'petal length (cm)': 1.2 } });
    expect(shifted.target).toEqual(iris.target);
    expect(shifted.features.map((r) => r[0])).toEqual(iris.features.map((r) => r[0]));
    for (const [i, row] of shifted.features.entries()) {
      expect(Math.abs(row[2]! - iris.features[i]![2]! - 1.2)).toBeLessThanOrEqual(0.1);
    }
    expect(shiftFeatures(iris, { seed: 7, offsets: { 'petal length (cm)': 1.2 } })).toEqual(shifted);
    expect(() => shiftFeatures(iris, { seed: 1, offsets: { petal: 1 } })).toThrow(
      'shiftFeatures: "petal" is not a feature',
    );
  });
});
