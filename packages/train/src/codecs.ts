import { type ModelCodec, pipelineCodec } from '@mlops/core';
import { mlRandomForestCodec } from './ml-random-forest/codec';
import { gradientBoostingCodec } from './boosting/model';
import { logisticRegressionCodec } from './linear/model';
import { randomForestCodec } from './random-forest/codec';

const estimators: readonly ModelCodec[] = [
  randomForestCodec,
  mlRandomForestCodec,
  logisticRegressionCodec,
  gradientBoostingCodec,
];

/**
 * Every codec of this package — its own forests and trees, gradient-boosted trees, logistic regressions, wrapped ml-random-forest models, and pipelines
 * (`mlops-pipeline`: preprocessing + one of those estimators) — for `loadModel`/`decodeModel`.
 */
export const codecs: readonly ModelCodec[] = Object.freeze([...estimators, pipelineCodec(estimators)]);
