export { randomForestTrainer } from './forest/trainer';
export { RandomForestModel, ML_RANDOM_FOREST_FORMAT } from './forest/forest-model';
export { mlRandomForestCodec, fromMlRandomForestJSON, type MlRandomForestImport } from './forest/codec';
export {
  DEFAULT_RANDOM_FOREST_PARAMS,
  featuresPerTree,
  type MaxFeatures,
  type RandomForestParams,
} from './forest/params';
export {
  accuracy,
  classificationReport,
  confusionMatrix,
  type ClassificationReport,
  type ClassScores,
} from './metrics/classification';
