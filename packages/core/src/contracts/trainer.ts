import type { Dataset } from './dataset';
import type { JsonObject } from './json';
import type { Model } from './model';

/** Something that fits a model (of type `M`) to a dataset, with hyperparameters of type `Params`. */
export interface Trainer<Params extends JsonObject = JsonObject, M extends Model = Model> {
  /** Short name of the algorithm, e.g. `random-forest`. */
  readonly name: string;
  /** Fits a model. Missing params take the trainer's defaults; the model reports the effective ones. */
  fit(dataset: Dataset, params?: Partial<Params>): Promise<M>;
}
