import { InvalidInputError, RandomState, type InputColumn } from '@mlops/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DatasetSketch, sketchDataset } from '../sketch/dataset-sketch';
import { chiSquareTest } from '../stats/categorical';
import { jensenShannonDistance } from '../stats/distances';
import { ksTest } from '../stats/ks-test';
import { detectDrift } from './detect-drift';

/** rows × 3 columns of seeded uniforms; column 1 shifted by `shift`. */
function batch(seed: number, rows: number, shift: number): number[][] {
  const random = new RandomState(seed);
  return Array.from({ length: rows }, () => [random.random(), random.random() + shift, random.random()]);
}

describe('detectDrift', () => {
  const featureNames = ['a', 'b', 'c'];
  it('flags exactly the shifted column, with the KS numbers of that column', () => {
    const reference = batch(1, 300, 0);
    const current = batch(2, 200, 0.3);
    const report = detectDrift(reference, current, { featureNames });
    expect(report.features.map((f) => [f.feature, f.drifted])).toEqual([
      ['a', false],
      ['b', true],
      ['c', false],
    ]);
    const b = ksTest(
      reference.map((r) => r[1]!),
      current.map((r) => r[1]!),
    );
    expect(report.features[1]).toEqual({
      feature: 'b',
      test: 'ks',
      statistic: b.statistic,
      pValue: b.pValue,
      threshold: 0.05,
      drifted: true,
    });
    expect(report).toMatchObject({
      driftedCount: 1,
      referenceRows: 300,
      currentRows: 200,
      datasetDrift: false,
      mode: 'exact',
    });
    expect(report.driftedShare).toBeCloseTo(1 / 3, 15);
    expect(detectDrift(reference, current, { featureNames, driftShare: 0.3 }).datasetDrift).toBe(true);
  });

  it('reports no drift between two samples of one distribution', () => {
    const report = detectDrift(batch(3, 400, 0), batch(4, 400, 0), { featureNames });
    expect(report.driftedCount).toBe(0);
    expect(report.datasetDrift).toBe(false);
  });

  it('chooses tests as Evidently does, and distances for large references', () => {
    const random = new RandomState(9);
    const rows = (n: number, shift: number) =>
      Array.from({ length: n }, () => [
        random.random() + shift,
        Math.floor(random.random() * 4),
        random.random() < 0.5 ? 0 : 1,
      ]);
    const names = ['numeric', 'category', 'binary'];
    const small = detectDrift(rows(300, 0), rows(300, 0), { featureNames: names });
    expect(small.features.map((f) => f.test)).toEqual(['ks', 'chisquare', 'z']);
    small.features.forEach((f) => {
      expect(f.pValue).toBeGreaterThan(0.001);
    });
    const large = detectDrift(rows(2000, 0), rows(2000, 0.5), { featureNames: names });
    expect(large.features.map((f) => [f.test, f.drifted])).toEqual([
      ['wasserstein', true],
      ['jensenshannon', false],
      ['jensenshannon', false],
    ]);
    expect(large.features[0]).not.toHaveProperty('pValue');
    expect(large.features[0]!.threshold).toBe(0.1);
    const forced = detectDrift(rows(50, 0), rows(50, 0), { featureNames: names, methods: { numeric: 'wasserstein' } });
    expect(forced.features[0]!.test).toBe('wasserstein');
    expect(() => detectDrift(rows(5, 0), rows(5, 0), { featureNames: names, methods: { other: 'ks' } })).toThrow(
      'methods names "other"',
    );
  });

  it('corrects p-values for many columns (Bonferroni, Benjamini–Hochberg)', () => {
    const reference = batch(1, 300, 0);
    const current = batch(2, 200, 0.3);
    const plain = detectDrift(reference, current, { featureNames }).features.map((f) => f.pValue!);
    const bonferroni = detectDrift(reference, current, { featureNames, correction: 'bonferroni' }).features.map(
      (f) => f.pValue!,
    );
    expect(bonferroni).toEqual(plain.map((p) => Math.min(1, p * 3)));
    const bh = detectDrift(reference, current, { featureNames, correction: 'benjamini-hochberg' }).features.map(
      (f) => f.pValue!,
    );
    const order = [...plain].sort((a, b) => a - b);
    // The smallest p-value is multiplied by 3/1 unless a larger rank gives less; every adjusted value ≥ the raw one.
    bh.forEach((p, i) => {
      expect(p).toBeGreaterThanOrEqual(plain[i]!);
    });
    expect(Math.min(...bh)).toBe(Math.min(order[0]! * 3, order[1]! * 1.5, order[2]!));
  });

  it('false-alarm rate: 1,000 seeded no-drift simulations flag about α = 0.05 of them', () => {
    // 500 vs 500 rows from one distribution each time. The binomial noise of 1,000 trials is ±0.007 (1 sd).
    const random = new RandomState(9);
    const sample = () => Array.from({ length: 500 }, () => [random.random()]);
    let flagged = 0;
    for (let s = 0; s < 1000; s++)
      if (detectDrift(sample(), sample(), { featureNames: ['x'] }).features[0]!.drifted) flagged++;
    expect(flagged / 1000).toBeGreaterThanOrEqual(0.04);
    expect(flagged / 1000).toBeLessThanOrEqual(0.06);
    expect(flagged).toBe(50);
  });

  it('names the bad row and column, and checks options', () => {
    const good = batch(5, 10, 0);
    expect(() => detectDrift(good, [[1, 2]], { featureNames })).toThrow('current row 0 has 2 values, expected 3');
    expect(() => detectDrift([[1, Infinity, 3]], good, { featureNames })).toThrow(
      'reference row 0, column 1 (b) is Infinity: expected a finite number or NaN (missing)',
    );
    // NaN is a missing value: left out of its column; a column with no value at all is refused, naming it.
    expect(() => detectDrift([[1, NaN, 3]], good, { featureNames })).toThrow(
      'reference column "b" has no values (every row misses it)',
    );
    const gaps = good.map((row, i) => (i % 3 === 0 ? [row[0]!, NaN, row[2]!] : row));
    const kept = good.filter((_, i) => i % 3 !== 0);
    expect(detectDrift(gaps, good, { featureNames }).features[1]).toEqual(
      detectDrift(kept, good, { featureNames }).features[1],
    );
    expect(() => detectDrift(good, good, { featureNames, alpha: 0 })).toThrow(InvalidInputError);
    expect(() => detectDrift(good, good, { featureNames, driftShare: 1.5 })).toThrow(
      'driftShare must be in (0, 1], got 1.5',
    );
  });

  it('accepts columns keyed by feature name (typed arrays) and gives the same report as rows', () => {
    const reference = batch(1, 300, 0);
    const current = batch(2, 200, 0.3);
    const columns = (rows: number[][]) =>
      Object.fromEntries(featureNames.map((name, j) => [name, Float64Array.from(rows, (r) => r[j]!)]));
    expect(detectDrift(columns(reference), columns(current), { featureNames })).toEqual(
      detectDrift(reference, current, { featureNames }),
    );
    expect(detectDrift(columns(reference), current, { featureNames })).toEqual(
      detectDrift(reference, current, { featureNames }),
    );
    expect(() => detectDrift({ a: [1], b: [2] }, current, { featureNames })).toThrow(
      'reference lacks column "c" (an array of numbers)',
    );
    expect(() => detectDrift({ a: [1], b: [2, 3], c: [1] }, current, { featureNames })).toThrow(
      'reference column "b" has 2 values, expected 1',
    );
    expect(() => detectDrift({ a: [1], b: [Number.NaN], c: [1] }, current, { featureNames })).toThrow(
      'reference row 0, column 1 (b) is NaN: expected a finite number',
    );
    expect(() => detectDrift({ ...columns(reference), d: [1] }, current, { featureNames })).toThrow(
      'reference has column "d", which is not a feature',
    );
  });

  it('runs on mergeable sketches: same verdicts, KS statistics at most the exact ones', () => {
    const reference = batch(11, 3000, 0);
    const current = batch(12, 2000, 0.05);
    const methods = { a: 'ks', b: 'ks', c: 'ks' } as const;
    const exact = detectDrift(reference, current, { featureNames, methods });
    // Sketch the reference in three parts, as three days of logs, and merge them.
    const days = [reference.slice(0, 1000), reference.slice(1000, 2500), reference.slice(2500)].map((rows) =>
      sketchDataset(rows, { featureNames }),
    );
    const merged = days.reduce((a, b) => a.merge(b));
    const stored = DatasetSketch.fromJSON(JSON.parse(JSON.stringify(merged.toJSON())));
    const sketched = detectDrift(stored, current, { featureNames, methods });
    expect(sketched).toMatchObject({ mode: 'sketch', referenceRows: 3000, currentRows: 2000 });
    expect(sketched.features.map((f) => f.drifted)).toEqual(exact.features.map((f) => f.drifted));
    sketched.features.forEach((f, j) => {
      expect(f.statistic).toBeLessThanOrEqual(exact.features[j]!.statistic);
      expect(exact.features[j]!.statistic - f.statistic).toBeLessThan(2e-3);
    });
    const auto = detectDrift(
      sketchDataset(batch(13, 2000, 0), { featureNames }),
      sketchDataset(batch(14, 2000, 0.5), { featureNames }),
      { featureNames },
    );
    expect(auto.features.map((f) => [f.test, f.drifted])).toEqual([
      ['wasserstein', false],
      ['wasserstein', true],
      ['wasserstein', false],
    ]);
  });

  it('uses exact value counts for categorical columns in sketch mode, and says when it cannot', () => {
    const random = new RandomState(5);
    const rows = (n: number, p: number) =>
      Array.from({ length: n }, () => [random.random() < p ? 1 : 0, Math.floor(random.random() * 4), random.random()]);
    const names = ['flag', 'level', 'score'];
    const reference = rows(500, 0.3);
    const current = rows(400, 0.5);
    const exact = detectDrift(reference, current, { featureNames: names });
    const sketched = detectDrift(sketchDataset(reference, { featureNames: names }), current, { featureNames: names });
    expect(sketched.features.slice(0, 2)).toEqual(exact.features.slice(0, 2)); // z-test and chi-square: identical
    expect(() =>
      detectDrift(sketchDataset(reference, { featureNames: names }), current, {
        featureNames: names,
        methods: { score: 'chisquare' },
      }),
    ).toThrow(
      'chisquare needs the value counts of "score"; a sketch keeps them only for columns with at most 6 distinct values',
    );
    expect(() =>
      detectDrift(sketchDataset(reference, { featureNames: ['x', 'y', 'z'] }), current, { featureNames: names }),
    ).toThrow('the reference sketch has features [x,y,z], expected [flag,level,score]');
  });
});

/** Rows of one column: `counts[k]` rows holding code k, in code order. */
function coded(counts: readonly number[]): number[] {
  return counts.flatMap((n, k) => Array.from({ length: n }, () => k));
}

describe('detectDrift with typed columns', () => {
  const color: InputColumn = {
    name: 'color',
    type: 'category',
    levels: ['red', 'green', 'blue', 'purple'],
    nullable: false,
    missingCount: 0,
  };
  const flag: InputColumn = { name: 'flag', type: 'boolean', nullable: false, missingCount: 0 };
  const size: InputColumn = { name: 'size', type: 'number', nullable: false, missingCount: 0 };

  it('compares a category by level counts with chi-square, and names each level with its counts', () => {
    // red 20 → 10, green 20 → 10, blue 10 → 30, purple never seen. Expected counts 15, 15, 20 on both sides:
    // χ² = 2·(25/15 + 25/15 + 100/20) = 50/3 with 2 degrees of freedom, p = exp(−χ²/2) = exp(−25/3).
    const reference = { color: coded([20, 20, 10]) };
    const current = { color: coded([10, 10, 30]) };
    const report = detectDrift(reference, current, { featureNames: ['color'], columns: [color] });
    expect(report.features[0]).toEqual({
      feature: 'color',
      test: 'chisquare',
      statistic: expect.closeTo(50 / 3, 12),
      pValue: expect.closeTo(Math.exp(-25 / 3), 12),
      threshold: 0.05,
      drifted: true,
      levels: [
        { level: 'red', reference: 20, current: 10 },
        { level: 'green', reference: 20, current: 10 },
        { level: 'blue', reference: 10, current: 30 },
        { level: 'purple', reference: 0, current: 0 },
      ],
    });
    // Untyped, the same codes would be tested as numbers (and with more than 5 codes, by KS).
    expect(detectDrift(reference, current, { featureNames: ['color'] }).features[0]).not.toHaveProperty('levels');
  });

  it('never uses KS or Wasserstein on codes: chi-square on small references, Jensen–Shannon on large ones', () => {
    const many: InputColumn = { ...color, name: 'many', levels: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] };
    const names = ['many', 'flag', 'size'];
    const columns = [many, flag, size];
    const rows = (counts: number[], flags: number[], n: number) => {
      const codes = coded(counts);
      const bits = coded(flags);
      return codes.map((code, i) => [code, bits[i]!, (i * 7919) % n]);
    };
    const small = detectDrift(
      rows([5, 5, 5, 5, 5, 5, 5, 5], [20, 20], 40),
      rows([5, 5, 5, 5, 5, 5, 5, 5], [10, 30], 40),
      {
        featureNames: names,
        columns,
      },
    );
    expect(small.features.map((f) => f.test)).toEqual(['chisquare', 'z', 'ks']);
    expect(small.features[1]!.levels).toEqual([
      { level: 'false', reference: 20, current: 10 },
      { level: 'true', reference: 20, current: 30 },
    ]);
    expect(small.features[2]).not.toHaveProperty('levels');
    const refCounts = [300, 300, 200, 100, 100, 100, 0, 0]; // 1,100 rows: above Evidently's 1,000
    const curCounts = [100, 300, 200, 100, 100, 100, 100, 100];
    const large = detectDrift(rows(refCounts, [550, 550], 1100), rows(curCounts, [550, 550], 1100), {
      featureNames: names,
      columns,
    });
    expect(large.features.map((f) => f.test)).toEqual(['jensenshannon', 'jensenshannon', 'wasserstein']);
    expect(large.features[0]!.statistic).toBe(jensenShannonDistance(refCounts, curCounts));
    expect(large.features[0]!.drifted).toBe(true);
    expect(() =>
      detectDrift(rows(refCounts, [550, 550], 1100), rows(curCounts, [550, 550], 1100), {
        featureNames: names,
        columns,
        methods: { many: 'ks' },
      }),
    ).toThrow(
      'ks would compare the level codes of category column "many" as numbers; use chisquare, z or jensenshannon',
    );
  });

  it('gives the same numbers from sketches as from rows', () => {
    const reference = coded([20, 20, 10]).map((code, i) => [code, i % 2]);
    const current = coded([10, 10, 30]).map((code, i) => [code, i % 3 === 0 ? 1 : 0]);
    const featureNames = ['color', 'flag'];
    const exact = detectDrift(reference, current, { featureNames, columns: [color, flag] });
    const sketched = detectDrift(sketchDataset(reference, { featureNames }), current, {
      featureNames,
      columns: [color, flag],
    });
    expect(sketched.mode).toBe('sketch');
    expect(sketched.features).toEqual(exact.features);
  });

  it('names a value that is no level code, and checks the columns', () => {
    expect(() =>
      detectDrift({ color: [0, 1, 2] }, { color: [0, 4] }, { featureNames: ['color'], columns: [color] }),
    ).toThrow('current row 1, column 0 (color) is 4: expected the code of one of its 4 levels (0 to 3)');
    expect(() =>
      detectDrift({ color: [0, 1.5] }, { color: [0] }, { featureNames: ['color'], columns: [color] }),
    ).toThrow('reference row 1, column 0 (color) is 1.5');
    expect(() =>
      detectDrift(
        sketchDataset({ color: [0, 9] }, { featureNames: ['color'] }),
        { color: [0] },
        {
          featureNames: ['color'],
          columns: [color],
        },
      ),
    ).toThrow('reference column 0 (color) holds 9');
    expect(() => detectDrift({ a: [0] }, { a: [0] }, { featureNames: ['a'], columns: [color] })).toThrow(
      'columns[0] is "color", expected "a" (featureNames order)',
    );
    expect(() => detectDrift({ a: [0] }, { a: [0] }, { featureNames: ['a'], columns: [] })).toThrow(
      'columns must list one input column per feature (1), got 0',
    );
    expect(() =>
      detectDrift({ color: [0] }, { color: [0] }, { featureNames: ['color'], columns: [{ ...color, levels: [] }] }),
    ).toThrow(new InvalidInputError('category column "color" has no levels', { column: 0, columnName: 'color' }));
  });

  it('property: level counts add up to the rows, and chi-square equals the test on the levels seen', () => {
    const counts = fc.array(fc.nat({ max: 30 }), { minLength: 4, maxLength: 4 });
    fc.assert(
      fc.property(counts, counts, (r, c) => {
        fc.pre(r.some((n) => n > 0) && c.some((n) => n > 0));
        const report = detectDrift(
          { color: coded(r) },
          { color: coded(c) },
          { featureNames: ['color'], columns: [color] },
        );
        const f = report.features[0]!;
        expect(f.levels!.map((l) => [l.reference, l.current])).toEqual(r.map((n, k) => [n, c[k]]));
        const seen = r.map((_, k) => k).filter((k) => r[k]! + c[k]! > 0);
        const expected =
          seen.length < 2
            ? { statistic: 0, pValue: 1 }
            : chiSquareTest(
                seen.map((k) => r[k]!),
                seen.map((k) => c[k]!),
              );
        expect([f.statistic, f.pValue]).toEqual([expected.statistic, expected.pValue]);
      }),
    );
  });
});
