export { irisRecords, loadIris, IRIS_FEATURE_NAMES } from './iris/load-iris';
export { trainTestSplit, type TrainTestSplit, type TrainTestSplitOptions } from './split/train-test-split';
export type { SplitSize } from './split/split-sizes';
export { selectRows } from './rows/select-rows';
export * from './tabular/index';
export { shiftFeatures, type ShiftOptions } from './simulate/shift-features';
export { watchDirectory, type WatchDirectoryOptions } from './watch/watch-directory';
