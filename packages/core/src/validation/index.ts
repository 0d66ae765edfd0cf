export { assertFeatureRows, type AssertRowsOptions } from './rows';
export { alignDataset, concatDatasets, createDataset, type DatasetInput } from './dataset';
export { accuracyScore } from './metrics';
export { decodeModel } from './decode-model';
export { encodeLabels, type EncodedLabels } from './labels';
export { assertFeatureTypes, checkFeatureTypes, isFeatureType } from './feature-types';
export { FORBIDDEN_KEYS, parseJsonSafely, type ParseResult } from './safe-json';
