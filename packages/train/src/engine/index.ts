export {
  fitForest,
  forestImportances,
  predictForest,
  predictForestValues,
  type ForestData,
  type ForestParams,
} from './forest';
export { encodeForest, decodeForest, type EncodedForest } from './serialize';
export { binFeatures, MAX_BINS, type BinnedFeatures } from './binning';
export type { FlatTree, TreeLimits } from './tree-builder';
export { fitForestAsync, predictForestValuesAsync, type FitRunOptions } from './parallel';
