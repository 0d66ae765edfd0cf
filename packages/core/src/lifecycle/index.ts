export {
  createLifecycle,
  type Lifecycle,
  type LifecycleDecision,
  type LifecycleEvent,
  type LifecycleOptions,
  type LifecyclePolicy,
  type LifecycleRegistry,
} from './create-lifecycle';
