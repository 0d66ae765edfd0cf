import fc from 'fast-check';
import { InvalidArtifactError, InvalidInputError, RandomState } from '@mlops/core';
import { describe, expect, it } from 'vitest';
import { irisTest, irisTrain } from '../__fixtures__/iris-split';
import { binFeatures } from './binning';
import { fitForest, predictForest, predictForestValues } from './forest';
import { decodeForest, encodeForest } from './serialize';

const flat = (rows: readonly (readonly number[])[]) => Float64Array.from(rows.flat());

/** Three Gaussian classes in `cols` dimensions (Box–Muller on a seeded MT19937). */
function blobs(rows: number, cols: number, seed: number) {
  const random = new RandomState(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random.random())) * Math.cos(2 * Math.PI * random.random());
  const x = new Float64Array(rows * cols);
  const y = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    y[r] = r % 3;
    for (let c = 0; c < cols; c++) x[r * cols + c] = (c % 3 === y[r] ? 2 : 0) + gauss();
  }
  return { x, y };
}

describe('binning', () => {
  it('gives one bin per distinct value with midpoint edges when values are few', () => {
    const b = binFeatures(Float64Array.from([3, 1, 2, 2, 1]), 5, 1);
    expect([...b.edges[0]!]).toEqual([1.5, 2.5]);
    expect([...b.codes]).toEqual([2, 0, 1, 1, 0]);
  });
  it('caps at 255 bins with increasing edges', () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    const b = binFeatures(values, 1000, 1);
    expect(b.edges[0]!.length).toBe(254);
    expect(Math.max(...b.codes)).toBe(254);
    for (let i = 1; i < b.edges[0]!.length; i++) expect(b.edges[0]![i]!).toBeGreaterThan(b.edges[0]![i - 1]!);
  });
});

describe('fitForest', () => {
  it('grows the exact tree a tiny dataset calls for', () => {
    const forest = fitForest(
      Float64Array.from([0, 1, 2, 3]),
      4,
      1,
      { kind: 'classification', y: Int32Array.from([0, 0, 1, 1]), classes: 2 },
      {
        nEstimators: 1,
        bootstrap: false,
        maxFeatures: 'all',
      },
    );
    const tree = forest.trees[0]!;
    expect(tree.nodeCount).toBe(3);
    expect([...tree.feature]).toEqual([0, -1, -1]);
    expect(tree.threshold[0]).toBe(1.5);
    expect(tree.left[0]).toBe(1);
    expect([...tree.value.subarray(2, 6)]).toEqual([1, 0, 0, 1]);
    expect([...predictForest(forest, Float64Array.from([1.5, 1.6, -9]), 3)]).toEqual([0, 1, 0]);
  });

  it("puts an exact split where scikit-learn's exact splitter does", () => {
    const random = new RandomState(3);
    const x = Float64Array.from({ length: 1000 }, () => random.random());
    const y = Int32Array.from(x, (v, i) => (v > 0.5 ? 1 : 0) ^ (i % 7 === 0 ? 1 : 0));
    const stump = (splitter: 'hist' | 'exact') =>
      fitForest(
        x,
        1000,
        1,
        { kind: 'classification', y, classes: 2 },
        { nEstimators: 1, bootstrap: false, maxDepth: 1, splitter },
      ).trees[0]!;
    // scikit-learn 1.2's DecisionTreeClassifier(max_depth=1) splits between the same neighbours,
    // 0.49778283101845744 and 0.498805218379999 (its threshold 0.49829402565956116 is the midpoint of their
    // float32 roundings: scikit-learn's trees work in float32; this engine keeps float64).
    const exact = stump('exact').threshold[0]!;
    expect(exact).toBe(0.49778283101845744 / 2 + 0.498805218379999 / 2);
    const sides = (t: number) => Array.from(x, (v) => v <= t);
    expect(sides(exact)).toEqual(sides(0.49829402565956116));
    expect(stump('hist').threshold[0]).not.toBe(exact); // 255 quantile bins cannot land between these two
  });

  it('learns iris and separable blobs', () => {
    const forest = fitForest(
      flat(irisTrain.features),
      120,
      4,
      { kind: 'classification', y: Int32Array.from(irisTrain.target), classes: 3 },
      { seed: 42 },
    );
    const predicted = predictForest(forest, flat(irisTest.features), 30);
    expect(predicted.filter((p, i) => p === irisTest.target[i]).length).toBeGreaterThanOrEqual(29);
    const train = blobs(600, 6, 1);
    const test = blobs(300, 6, 2);
    const blobForest = fitForest(
      train.x,
      600,
      6,
      { kind: 'classification', y: train.y, classes: 3 },
      { seed: 3, nEstimators: 30 },
    );
    const hits = predictForest(blobForest, test.x, 300).filter((p, i) => p === test.y[i]).length;
    expect(hits / 300).toBeGreaterThanOrEqual(0.9);
  });

  it('is deterministic per seed', () => {
    const { x, y } = blobs(200, 5, 4);
    const a = encodeForest(
      fitForest(x, 200, 5, { kind: 'classification', y, classes: 3 }, { seed: 9, nEstimators: 10 }),
    );
    const b = encodeForest(
      fitForest(x, 200, 5, { kind: 'classification', y, classes: 3 }, { seed: 9, nEstimators: 10 }),
    );
    const c = encodeForest(
      fitForest(x, 200, 5, { kind: 'classification', y, classes: 3 }, { seed: 10, nEstimators: 10 }),
    );
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(c)).not.toBe(JSON.stringify(a));
  });

  it('honours maxDepth and minSamplesLeaf', () => {
    const { x, y } = blobs(300, 4, 5);
    const stumps = fitForest(
      x,
      300,
      4,
      { kind: 'classification', y, classes: 3 },
      { nEstimators: 5, maxDepth: 1, seed: 1 },
    );
    stumps.trees.forEach((t) => {
      expect(t.nodeCount).toBe(3);
    });
    const bushy = fitForest(
      x,
      300,
      4,
      { kind: 'classification', y, classes: 3 },
      { nEstimators: 3, minSamplesLeaf: 40, bootstrap: false, seed: 1 },
    );
    // No leaf may hold fewer than 40 rows: count rows per leaf by routing the training data.
    for (const tree of bushy.trees) {
      const perLeaf = new Map<number, number>();
      for (let r = 0; r < 300; r++) {
        let node = 0;
        while (tree.feature[node]! >= 0)
          node = x[r * 4 + tree.feature[node]!]! <= tree.threshold[node]! ? tree.left[node]! : tree.left[node]! + 1;
        perLeaf.set(node, (perLeaf.get(node) ?? 0) + 1);
      }
      expect(Math.min(...perLeaf.values())).toBeGreaterThanOrEqual(40);
    }
  });

  it('names bad input', () => {
    const y = Int32Array.from([0, 1]);
    expect(() => fitForest(Float64Array.from([1, NaN, 3, 4]), 2, 2, { kind: 'classification', y, classes: 2 })).toThrow(
      'features row 0, column 1 is NaN',
    );
    expect(() => fitForest(Float64Array.from([1, 2, 3]), 2, 2, { kind: 'classification', y, classes: 2 })).toThrow(
      'features has 3 values, expected 2 × 2',
    );
    expect(() =>
      fitForest(new Float64Array(0), 0, 2, { kind: 'classification', y: new Int32Array(0), classes: 2 }),
    ).toThrow('features has no rows');
    expect(() =>
      fitForest(Float64Array.from([1, 2]), 2, 1, { kind: 'classification', y: Int32Array.from([1, 1]), classes: 2 }),
    ).toThrow('training data has 1 class');
    expect(() =>
      fitForest(Float64Array.from([1, 2]), 2, 1, { kind: 'classification', y: Int32Array.from([0, 2]), classes: 2 }),
    ).toThrow(InvalidInputError);
    const forest = fitForest(
      Float64Array.from([1, 2]),
      2,
      1,
      { kind: 'classification', y, classes: 2 },
      { nEstimators: 1 },
    );
    expect(() => predictForest(forest, Float64Array.from([1, 2]), 1)).toThrow(
      'predict input has 2 values, expected 1 × 1',
    );
  });
});

describe('serialisation', () => {
  const { x, y } = blobs(150, 4, 6);
  const forest = fitForest(x, 150, 4, { kind: 'classification', y, classes: 3 }, { nEstimators: 8, seed: 2 });
  const encoded = encodeForest(forest);

  it('round-trips to identical predictions and probabilities (property)', () => {
    const decoded = decodeForest(JSON.parse(JSON.stringify(encoded)));
    fc.assert(
      fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 4, maxLength: 40 }), (values) => {
        const rows = Math.floor(values.length / 4);
        const input = Float64Array.from(values.slice(0, rows * 4));
        expect([...predictForestValues(decoded, input, rows)]).toEqual([...predictForestValues(forest, input, rows)]);
        const proba = predictForestValues(forest, input, rows);
        for (let r = 0; r < rows; r++) expect(proba[r * 3]! + proba[r * 3 + 1]! + proba[r * 3 + 2]!).toBeCloseTo(1, 12);
      }),
      { numRuns: 50 },
    );
  });

  it('rejects structural damage with a named reason', () => {
    const broken = (patch: Partial<Record<keyof typeof encoded, unknown>>) => () =>
      decodeForest({ ...encoded, ...patch });
    expect(broken({ formatVersion: 2 })).toThrow('invalid forest: formatVersion 2 is not supported (supported: 1)');
    expect(broken({ cols: 0 })).toThrow('cols must be an integer in [1, 1048576]');
    expect(broken({ feature: 'AAAA' })).toThrow(/feature holds 0.75 values, expected \d+/);
    expect(broken({ threshold: '!!' })).toThrow('threshold must be base64');
    const left = new Int32Array(Uint8Array.from(Buffer.from(encoded.left, 'base64')).buffer);
    left[0] = 0;
    expect(broken({ left: Buffer.from(left.buffer).toString('base64') })).toThrow(
      'tree 0 node 0 has children 0, 1: they must come after it and inside the tree',
    );
    const feature = new Int32Array(Uint8Array.from(Buffer.from(encoded.feature, 'base64')).buffer);
    feature[0] = 4;
    expect(broken({ feature: Buffer.from(feature.buffer).toString('base64') })).toThrow(
      'tree 0 node 0 splits on feature 4, outside [0, 3]',
    );
    expect(() => decodeForest(null)).toThrow(InvalidArtifactError);
  });

  it('keeps the cover shares TreeSHAP needs: a decoded forest encodes to the same bytes', () => {
    expect(encoded.leftCoverShare).toBeDefined();
    const internal = new Int32Array(Uint8Array.from(Buffer.from(encoded.feature, 'base64')).buffer).filter(
      (f) => f >= 0,
    ).length;
    const shares = new Float64Array(Uint8Array.from(Buffer.from(encoded.leftCoverShare!, 'base64')).buffer);
    expect(shares).toHaveLength(internal);
    expect(shares.every((a) => a > 0 && a < 1)).toBe(true);
    const again = encodeForest(decodeForest(JSON.parse(JSON.stringify(encoded))));
    expect(JSON.stringify(again)).toBe(JSON.stringify(encoded));
  });

  it('reads artifacts written before cover shares, and writes them back without any', () => {
    const old = JSON.parse(JSON.stringify({ ...encoded, leftCoverShare: undefined }));
    expect(old).not.toHaveProperty('leftCoverShare');
    const decoded = decodeForest(old);
    expect([...predictForestValues(decoded, x, 150)]).toEqual([...predictForestValues(forest, x, 150)]);
    expect(JSON.stringify(encodeForest(decoded))).toBe(JSON.stringify(old));
  });

  it('rejects damaged cover shares with a named reason', () => {
    const shares = new Float64Array(Uint8Array.from(Buffer.from(encoded.leftCoverShare!, 'base64')).buffer);
    const patched = (at: number, v: number) => {
      const copy = Float64Array.from(shares);
      copy[at] = v;
      return { ...encoded, leftCoverShare: Buffer.from(copy.buffer).toString('base64') };
    };
    expect(() => decodeForest({ ...encoded, leftCoverShare: 'AAAA' })).toThrow(
      /leftCoverShare holds 0.375 values, expected \d+/,
    );
    expect(() => decodeForest({ ...encoded, leftCoverShare: 7 })).toThrow('leftCoverShare must be base64');
    for (const v of [1.5, -0.1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => decodeForest(patched(3, v))).toThrow('leftCoverShare must hold numbers in [0, 1]');
  });
});
