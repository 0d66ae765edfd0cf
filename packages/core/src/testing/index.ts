// @mlops/core/testing: small, real implementations of the contracts for tests of code built on @mlops.
export { blobs } from './blobs';
export { type CentroidParams, centroidCodec, centroidTrainer } from './centroid-trainer';
export { MemoryDatasetStore, MemoryDecisionLog, MemoryModelStore, MemoryRegistry } from './memory-store';
export { describeRegistryConformance, type RegistryConformanceSubject } from './registry-conformance';
