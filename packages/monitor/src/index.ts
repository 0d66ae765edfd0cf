export { ksTest, type KsTestOptions, type KsTestResult } from './stats/ks-test';
export {
  chooseDriftMethod,
  detectDrift,
  type DetectDriftOptions,
  type ColumnDrift,
  type ColumnDriftReport,
  type DriftInput,
  type DriftMethod,
  type LevelCount,
} from './drift/detect-drift';
export type { ColumnarData, TabularInput } from './drift/columns';
export {
  createAccuracyMonitor,
  type AccuracyMonitor,
  type AccuracyMonitorOptions,
} from './performance/accuracy-monitor';
export { chiSquareTest, zTestProportions, type TestResult } from './stats/categorical';
export {
  jensenShannonDistance,
  populationStabilityIndex,
  wassersteinDistance,
  type PsiOptions,
} from './stats/distances';
export { chiSquareSurvival, normalSurvival } from './stats/special';
export {
  FeatureSketch,
  type FeatureSketchJson,
  type FeatureSketchOptions,
  type SketchPoint,
} from './sketch/feature-sketch';
export { DatasetSketch, sketchDataset, type DatasetSketchJson } from './sketch/dataset-sketch';
export { sketchKsStatistic, sketchWassersteinDistance } from './sketch/sketch-stats';
export { DriftLog, type DriftEntry, type DriftLogOptions, type DriftRecord } from './log/drift-log';
export {
  PredictionLog,
  type LabelEntry,
  type PredictionEntry,
  type PredictionLogOptions,
  type PredictionQuery,
  type PredictionRecord,
} from './log/prediction-log';
export {
  rollingMetrics,
  rollingRegressionMetrics,
  windowedMetrics,
  windowedRegressionMetrics,
  type PerformanceWindow,
  type RegressionWindowMetrics,
  type WindowMetrics,
  type WindowSpec,
} from './performance/windows';
export { confusionMatrix, macroF1, regressionScores, type RegressionScores } from './performance/scores';
export {
  accuracyAlert,
  createAlerter,
  driftAlert,
  type Alert,
  type AlertChannel,
  type AlertContext,
  type Alerter,
  type Delivery,
} from './alerts/alerts';
export { redactUrl, webhookChannel, type WebhookChannel, type WebhookOptions } from './alerts/webhook';
export {
  createMonitorMetrics,
  type MetricsServer,
  type MonitorMetrics,
  type MonitorMetricsOptions,
  type ServeOptions,
} from './metrics/create-monitor-metrics';
export { renderDriftReport, type DriftReportOptions } from './report/render-drift-report';
export type { ClassificationQuality, ModelQuality, RegressionQuality } from './report/quality-section';
