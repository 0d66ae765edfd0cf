// @mlops/core/internal: plumbing shared by the @mlops packages (not a stable API for applications).
export { type Listening, listen } from './listen';
export { lazyModule } from './lazy-module';
export { appendNdjsonLines, type NdjsonLineProblem, parseNdjsonLines } from './ndjson';
