import type { Dataset } from '../contracts/dataset';
import type { JsonObject } from '../contracts/json';
import type { Model } from '../contracts/model';
import type { Preprocessing } from '../contracts/pipeline';
import type { Trainer } from '../contracts/trainer';
import { InvalidInputError } from '../errors/errors';
import { createPipeline, type PipelineModel } from './pipeline-model';

/**
 * The preprocessing refitted to the data a pipeline is trained on: category levels and classes are the dataset's
 * own (`levels`, `classNames`: codes index them), so a retrain on rows with a new level or class serves it. Fill
 * values are kept from `pre` (stored rows hold filled cells, not blanks).
 */
export function refitPreprocessing(pre: Preprocessing, dataset: Dataset): Preprocessing {
  const names = pre.inputs.map((c) => c.name);
  if (JSON.stringify(dataset.featureNames) !== JSON.stringify(names))
    throw new InvalidInputError(
      `the pipeline takes ${names.join(', ')} but the dataset has ${dataset.featureNames.join(', ')}`,
    );
  const inputs = pre.inputs.map((column, j) => {
    const levels = dataset.levels?.[j];
    if (column.type !== 'category' || !levels) return column;
    if (column.fill && column.fill.strategy !== 'keep' && !levels.includes(String(column.fill.value)))
      throw new InvalidInputError(
        `column "${column.name}" fills blanks with ${JSON.stringify(column.fill.value)}, which the dataset's levels lack`,
        { columnName: column.name },
      );
    return { ...column, levels: [...levels] };
  });
  const { target } = pre;
  const classNames = target.task === 'classification' ? dataset.classNames : undefined;
  return { ...pre, inputs, target: classNames ? { ...target, classNames: [...classNames] } : target };
}

/**
 * A trainer of pipelines: fits `trainer` on encoded datasets and returns the pipeline of both, so whatever trains
 * through it — the lifecycle's retrains included — registers versions that take raw records. The preprocessing is
 * `preprocessing` refitted to each dataset ({@link refitPreprocessing}): levels and classes follow the data.
 */
export function pipelineTrainer<Params extends JsonObject, M extends Model>(
  trainer: Trainer<Params, M>,
  preprocessing: Preprocessing,
): Trainer<Params, PipelineModel> {
  return {
    name: trainer.name,
    fit: async (dataset, params) =>
      createPipeline(refitPreprocessing(preprocessing, dataset), await trainer.fit(dataset, params)),
  };
}
