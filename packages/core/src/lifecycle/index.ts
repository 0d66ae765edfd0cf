export { runRetrainStep, type RetrainDecision, type RetrainStepOptions } from './retrain-step';
