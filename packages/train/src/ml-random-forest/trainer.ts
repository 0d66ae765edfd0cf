import type { Dataset, Trainer } from '@mlops/core';
import { classificationData } from '../shared/classification-data';
import { loadMlRandomForest } from './load';
import { MlRandomForestModel } from './model';
import { resolveMaxFeatures } from '../params/max-features';
import { resolveParams, type MlRandomForestParams } from './params';

/**
 * A seeded random-forest classifier trainer on ml-random-forest: `nEstimators` trees, each grown on a
 * bootstrap sample (with replacement) of the rows. Note: ml-random-forest draws each tree's feature
 * subset once per tree (without replacement here), not at every split as scikit-learn does.
 * ml-random-forest's own `replacement` option is about those feature draws, so it is set to `false`;
 * `bootstrap` maps to `useSampleBagging`, which always samples rows with replacement.
 */
export function mlRandomForestTrainer(
  defaults: Partial<MlRandomForestParams> = {},
): Trainer<MlRandomForestParams, MlRandomForestModel> {
  resolveParams(defaults);
  return {
    name: 'ml-random-forest',
    async fit(dataset: Dataset, overrides: Partial<MlRandomForestParams> = {}) {
      const params = resolveParams({ ...defaults, ...overrides });
      const { dataset: data } = classificationData(dataset);
      const perTree = resolveMaxFeatures(params.maxFeatures, data.featureNames.length);
      const forest = new (loadMlRandomForest().RandomForestClassifier)({
        nEstimators: params.nEstimators,
        maxFeatures: perTree,
        replacement: false,
        useSampleBagging: params.bootstrap,
        seed: params.seed,
        noOOB: true,
        ...(params.maxDepth === null ? {} : { treeOptions: { maxDepth: params.maxDepth } }),
      });
      forest.train(
        data.features.map((row) => [...row]),
        [...data.target],
      );
      const payload = JSON.parse(JSON.stringify(forest.toJSON()));
      return new MlRandomForestModel(forest, payload, data.featureNames, data.classNames, {
        ...params,
        featuresPerTree: perTree,
      });
    },
  };
}
