import fc from 'fast-check';
import { RandomState } from '@mlops/core';
import { describe, expect, it } from 'vitest';
import { binFeatures } from './binning';
import { TreeGrower, type TreeLimits } from './tree-builder';

describe('TreeGrower', () => {
  it('grows the same trees with the WebAssembly split search as with the JavaScript one, bit for bit', () => {
    const table = fc.record({
      rows: fc.integer({ min: 2, max: 400 }),
      cols: fc.integer({ min: 1, max: 6 }),
      classes: fc.integer({ min: 2, max: 4 }),
      distinct: fc.integer({ min: 2, max: 300 }), // few values: ties and one bin each; many: quantile bins
      minSamplesLeaf: fc.integer({ min: 1, max: 3 }),
      maxDepth: fc.oneof(fc.constant(Infinity), fc.integer({ min: 1, max: 6 })),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    });
    fc.assert(
      fc.property(table, ({ rows, cols, classes, distinct, minSamplesLeaf, maxDepth, seed }) => {
        const random = new RandomState(seed);
        const x = Float64Array.from({ length: rows * cols }, () => random.randomInterval(distinct - 1) / 7 - 3);
        const y = Int32Array.from({ length: rows }, () => random.randomInterval(classes - 1));
        // Bootstrap-like weights: some rows left out, some counted twice or more.
        const weights = Float64Array.from({ length: rows }, () => random.randomInterval(3));
        const binned = binFeatures(x, rows, cols);
        const limits: TreeLimits = {
          maxDepth,
          minSamplesSplit: 2,
          minSamplesLeaf,
          maxFeatures: 1 + random.randomInterval(cols - 1),
          criterion: 'gini',
        };
        const target = { kind: 'classification' as const, y, classes };
        const grow = (kernels: boolean) => {
          // Two trees a grower: the second one starts from what the first left in its arrays.
          const grower = new TreeGrower(binned, target, limits, kernels);
          return [1, 2].map((k) => grower.grow(weights, new RandomState(seed + k)));
        };
        expect(grow(true)).toEqual(grow(false));
      }),
      { numRuns: 200 },
    );
  });
});
