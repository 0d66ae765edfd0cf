import fc from 'fast-check';
import { RandomState } from '@mlops/core';
import { describe, expect, it } from 'vitest';
import { ksTest } from '../stats/ks-test';
import { wassersteinDistance } from '../stats/distances';
import { FeatureSketch } from './feature-sketch';
import { sketchKsStatistic, sketchWassersteinDistance } from './sketch-stats';

/** Seeded standard normals (Box–Muller over numpy's MT19937 uniforms). */
function normals(seed: number, n: number, shift = 0): Float64Array {
  const random = new RandomState(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++)
    out[i] = Math.sqrt(-2 * Math.log(1 - random.random())) * Math.cos(2 * Math.PI * random.random()) + shift;
  return out;
}

const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });

describe('FeatureSketch', () => {
  it('represents every value within its relative accuracy, keeping sign and zero', () => {
    for (const x of [1, -1, 0.001, -123456.789, 3e-200, -7e250, 0, 1e-301]) {
      const [point] = new FeatureSketch({ relativeAccuracy: 0.01 }).add([x]).points();
      expect(point!.count).toBe(1);
      if (Math.abs(x) < 1e-300) expect(point!.value).toBe(0);
      else expect(Math.abs(point!.value - x)).toBeLessThanOrEqual(0.01 * Math.abs(x) * (1 + 1e-12));
    }
  });

  it('keeps exact count, mean, variance, min, max and small value counts', () => {
    const sketch = new FeatureSketch().add([3, 1, 2, 2, 5]);
    expect(sketch).toMatchObject({ count: 5, mean: 2.6, min: 1, max: 5 });
    expect(sketch.variance).toBeCloseTo(1.84, 14);
    expect([...sketch.valueCounts!.entries()].sort()).toEqual([
      [1, 1],
      [2, 2],
      [3, 1],
      [5, 1],
    ]);
    sketch.add([6, 7, 8]);
    expect(sketch.valueCounts).toBeUndefined(); // more than 6 distinct values: numeric
  });

  it('merges exactly: sketch(A) merged with sketch(B) equals sketch(A then B) (property)', () => {
    fc.assert(
      fc.property(
        fc.array(finite, { minLength: 1, maxLength: 200 }),
        fc.array(finite, { minLength: 1, maxLength: 200 }),
        (a, b) => {
          const merged = new FeatureSketch().add(a).merge(new FeatureSketch().add(b)).toJSON();
          const whole = new FeatureSketch().add([...a, ...b]).toJSON();
          expect({ ...merged, mean: 0, m2: 0 }).toEqual({ ...whole, mean: 0, m2: 0 });
          expect(Math.abs(merged.mean - whole.mean)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(whole.mean)));
          expect(Math.abs(merged.m2 - whole.m2)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(whole.m2)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never reports a larger KS statistic than the exact one (property)', () => {
    fc.assert(
      fc.property(
        fc.array(finite, { minLength: 1, maxLength: 100 }),
        fc.array(finite, { minLength: 1, maxLength: 100 }),
        (a, b) => {
          const sketched = sketchKsStatistic(new FeatureSketch().add(a), new FeatureSketch().add(b));
          expect(sketched).toBeLessThanOrEqual(ksTest(a, b).statistic + 1e-15);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is close to the exact KS statistic and Wasserstein distance on 200,000 normal values', () => {
    const a = normals(1, 200_000);
    const b = normals(2, 200_000, 0.01);
    const [sa, sb] = [new FeatureSketch().add(a), new FeatureSketch().add(b)];
    const exact = ksTest(a, b).statistic;
    const sketched = sketchKsStatistic(sa, sb);
    expect(sketched).toBeLessThanOrEqual(exact);
    expect(exact - sketched).toBeLessThan(2e-4);
    const w = wassersteinDistance(a, b);
    const bound = 0.001 * (2 * 0.8); // α·(E|A| + E|B|), E|N(0,1)| ≈ 0.8
    expect(Math.abs(sketchWassersteinDistance(sa, sb) - w)).toBeLessThanOrEqual(bound);
    expect(sa.bytes).toBeLessThanOrEqual(256 * 1024);
  });

  it('stays within its memory cap on any range, folding magnitudes closest to zero', () => {
    const random = new RandomState(3);
    const wide = Float64Array.from(
      { length: 50_000 },
      () => (random.random() < 0.5 ? -1 : 1) * 10 ** (random.random() * 400 - 200),
    );
    const sketch = new FeatureSketch().add(wide);
    expect(sketch.bytes).toBeLessThanOrEqual(2 * 8192 * 8);
    expect(sketch.collapsed).toBe(true);
    expect(sketch.points().reduce((sum, p) => sum + p.count, 0)).toBe(50_000);
    const big = wide.filter((x) => Math.abs(x) > 1e100 && Math.abs(x) < 1e103);
    // Large magnitudes keep full resolution: their share is exact at a bucket edge.
    const bigSketch = new FeatureSketch().add(big);
    expect(sketchKsStatistic(sketch, sketch)).toBe(0);
    expect(bigSketch.collapsed).toBe(false);
  });

  it('round-trips through JSON and rejects damaged JSON', () => {
    const sketch = new FeatureSketch({ relativeAccuracy: 0.01 }).add(normals(4, 1000));
    const json = JSON.parse(JSON.stringify(sketch.toJSON()));
    expect(FeatureSketch.fromJSON(json).toJSON()).toEqual(sketch.toJSON());
    expect(() => FeatureSketch.fromJSON({ ...json, count: 999 })).toThrow(
      'invalid feature sketch: bucket counts do not add up to count',
    );
    expect(() => FeatureSketch.fromJSON({ ...json, positive: [[1.5, 2]] })).toThrow('bucket indices must be integers');
    expect(() => FeatureSketch.fromJSON({ ...json, format: 'x' })).toThrow('not an mlops-feature-sketch v1');
    expect(() => new FeatureSketch().merge(new FeatureSketch({ relativeAccuracy: 0.01 }))).toThrow(
      'cannot merge sketches',
    );
    expect(() => new FeatureSketch().add([1, Number.NaN], 'column "x"')).toThrow(
      'column "x" row 1 is NaN: expected a finite number',
    );
  });
});
