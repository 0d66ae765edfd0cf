export { createLifecycle } from './create-lifecycle';
export type {
  Lifecycle,
  LifecycleDecision,
  LifecycleEvent,
  LifecycleOptions,
  LifecyclePolicy,
  LifecycleRegistry,
} from './types';
