export { startPredictionServer, type PredictionServer, type PredictionServerOptions } from './serve/server';
export { loadServedModel, ENCODING_TAG, type ServedModel } from './shared/served-model';
export { parseModelRef } from './shared/open-cli-registry';
