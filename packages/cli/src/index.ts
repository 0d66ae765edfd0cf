export { startPredictionServer, type PredictionServer, type PredictionServerOptions } from './serve/server';
export { parseModelRef } from './shared/open-cli-registry';
export { directoryMonitoring } from './shared/ui-monitoring';
