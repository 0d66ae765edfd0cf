export { startPredictionServer, type PredictionServer, type PredictionServerOptions } from './serve/server';
export { parseModelRef } from './shared/open-cli-registry';
