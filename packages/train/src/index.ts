export { randomForestClassifier } from './random-forest/random-forest-classifier';
export type { FitRunOptions } from './engine/parallel';
export { RandomForestClassifierModel, RANDOM_FOREST_FORMAT } from './random-forest/model';
export { randomForestCodec } from './random-forest/codec';
export { codecs } from './codecs';
export { randomForestRegressor, RandomForestRegressorModel } from './random-forest/random-forest-regressor';
export {
  DEFAULT_RANDOM_FOREST_PARAMS,
  DEFAULT_RANDOM_FOREST_REGRESSOR_PARAMS,
  type RandomForestParams,
  type RandomForestRegressorParams,
} from './random-forest/params';
export { resolveMaxFeatures, type MaxFeatures } from './params/max-features';

export { mlRandomForestTrainer } from './ml-random-forest/trainer';
export {
  MlRandomForestModel,
  ML_RANDOM_FOREST_FORMAT,
  type MlForestPredictor,
  type TreeVotes,
} from './ml-random-forest/model';
export { mlRandomForestCodec, fromMlRandomForestJSON, type MlRandomForestImport } from './ml-random-forest/codec';
export { DEFAULT_ML_RANDOM_FOREST_PARAMS, type MlRandomForestParams } from './ml-random-forest/params';

export {
  balancedAccuracy,
  classificationReport,
  confusionMatrix,
  type ClassificationReport,
  type ClassScores,
} from './metrics/classification';
export { binaryRocAuc, logLoss, rocAuc } from './metrics/probabilistic';
export { meanAbsoluteError, r2Score, rootMeanSquaredError } from './metrics/regression';
export { kFold, stratifiedKFold, type Fold, type FoldOptions } from './model-selection/folds';
export { crossValidate, type CrossValidateOptions, type CrossValidation } from './model-selection/cross-validate';
export {
  decisionTreeClassifier,
  decisionTreeRegressor,
  type DecisionTreeParams,
  type DecisionTreeRegressorParams,
} from './random-forest/decision-tree';
export {
  permutationImportance,
  type FeaturePermutationImportance,
  type PermutationImportanceOptions,
} from './inspection/permutation-importance';
export { logisticRegression } from './linear/logistic-regression';
export {
  LogisticRegressionModel,
  LOGISTIC_REGRESSION_FORMAT,
  logisticRegressionCodec,
  type LinearWeights,
} from './linear/model';
export { DEFAULT_LOGISTIC_REGRESSION_PARAMS, type LogisticRegressionParams } from './linear/params';
export {
  type BoostingRunOptions,
  gradientBoostingClassifier,
  gradientBoostingRegressor,
} from './boosting/gradient-boosting';
export {
  GradientBoostingClassifierModel,
  GradientBoostingRegressorModel,
  GRADIENT_BOOSTING_FORMAT,
  gradientBoostingCodec,
} from './boosting/model';
export { DEFAULT_GRADIENT_BOOSTING_PARAMS, type GradientBoostingParams } from './boosting/params';
export {
  gridSearch,
  parameterGrid,
  randomSearch,
  type SearchCandidate,
  type SearchDistribution,
  type SearchOptions,
  type SearchResult,
} from './model-selection/search';
