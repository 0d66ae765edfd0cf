export { ksTest, type KsTestOptions, type KsTestResult } from './stats/ks-test';
export { chooseDriftMethod, detectDrift, type DetectDriftOptions, type DriftMethod } from './drift/detect-drift';
export { createAccuracyMonitor, type AccuracyMonitor, type AccuracyMonitorOptions } from './performance/accuracy-monitor';
export { chiSquareTest, zTestProportions, type TestResult } from './stats/categorical';
export { jensenShannonDistance, populationStabilityIndex, wassersteinDistance, type PsiOptions } from './stats/distances';
export { chiSquareSurvival, normalSurvival } from './stats/special';
