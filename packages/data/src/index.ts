export { loadIris, IRIS_FEATURE_NAMES } from './iris/load-iris';
export { trainTestSplit, type TrainTestSplit, type TrainTestSplitOptions } from './split/train-test-split';
export type { SplitSize } from './split/split-sizes';
export { selectRows } from './rows/select-rows';
/** Content fingerprint of a dataset (defined in `@mlops/core`, re-exported for convenience). */
export { fingerprint } from '@mlops/core';
export * from './tabular/index';
export { shiftFeatures, type ShiftOptions } from './simulate/shift-features';
