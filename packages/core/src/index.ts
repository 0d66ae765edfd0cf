export * from './contracts/index';
export * from './errors/index';
export * from './validation/index';
export * from './lifecycle/index';
export * from './random/index';
export * from './fingerprint/index';
export * from './schedule/index';
export * from './pipeline/index';
