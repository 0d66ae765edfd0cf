export { createUi, type UiOptions } from './app';
export { type ServeUiOptions, serveUi, type UiServer } from './serve';
export type { DriftCheck, MonitoringWindow, UiMonitoring } from './monitoring';
