export {
  createLifecycle,
  type Lifecycle,
  type LifecycleDecision,
  type LifecycleEvent,
  type LifecycleOptions,
  type LifecyclePolicy,
  type LifecycleRegistry,
  type WatchOptions,
} from './create-lifecycle';
