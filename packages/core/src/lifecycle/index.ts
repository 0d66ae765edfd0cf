export {
  createLifecycle,
  type Lifecycle,
  type LifecycleDecision,
  type LifecycleEvent,
  type LifecycleOptions,
  type LifecyclePolicy,
  type WatchOptions,
} from './create-lifecycle';
