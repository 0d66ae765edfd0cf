import type { JsonObject } from '../contracts/json';
import type { Model } from '../contracts/model';
import type { Preprocessing } from '../contracts/pipeline';
import type { Trainer } from '../contracts/trainer';
import { createPipeline, type PipelineModel } from './pipeline-model';

/**
 * A trainer of pipelines: fits `trainer` on datasets encoded with `preprocessing` (a loaded table's) and returns
 * the pipeline of both, so whatever trains through it — the lifecycle's retrains included — registers versions
 * that take raw records. The preprocessing stays the one given: retrains reuse its levels and fill values.
 */
export function pipelineTrainer<Params extends JsonObject, M extends Model>(
  trainer: Trainer<Params, M>,
  preprocessing: Preprocessing,
): Trainer<Params, PipelineModel> {
  return {
    name: trainer.name,
    fit: async (dataset, params) => createPipeline(preprocessing, await trainer.fit(dataset, params)),
  };
}
