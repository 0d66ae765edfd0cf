export { runRetrainStep, type RetrainDecision, type RetrainStepOptions } from './retrain-step';
export {
  createLifecycle,
  type Lifecycle,
  type LifecycleDecision,
  type LifecycleEvent,
  type LifecycleOptions,
  type LifecyclePolicy,
  type WatchOptions,
} from './controller';
