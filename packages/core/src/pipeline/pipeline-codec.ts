import type { ModelArtifact, ModelCodec } from '../contracts/model';
import type { Preprocessing } from '../contracts/pipeline';
import { InvalidArtifactError } from '../errors/errors';
import { decodeModel } from '../validation/decode-model';
import { createPipeline, PIPELINE_FORMAT, type PipelineModel } from './pipeline-model';
import { describePreprocessingProblem } from './validate-preprocessing';

/** A codec that reads pipeline artifacts, decoding their estimator with `estimatorCodecs`. */
export interface PipelineCodec extends ModelCodec {
  /** Rebuilds a pipeline; `InvalidArtifactError` when either part is malformed. */
  decode(artifact: ModelArtifact): PipelineModel;
}

/**
 * The codec of `mlops-pipeline` artifacts: validates the preprocessing (column types, levels, fills, target)
 * and decodes the estimator with one of `estimatorCodecs` (never another pipeline). Loading never runs code.
 */
export function pipelineCodec(estimatorCodecs: readonly ModelCodec[]): PipelineCodec {
  const inner = estimatorCodecs.filter((c) => c.format !== PIPELINE_FORMAT);
  return {
    format: PIPELINE_FORMAT,
    formatVersions: [1],
    decode(artifact) {
      const bad = (why: string) => new InvalidArtifactError(`invalid ${PIPELINE_FORMAT} artifact: ${why}`);
      const payload = artifact.payload as Record<string, unknown> | null;
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
        throw bad('payload must be an object');
      const { estimator, target, dropped, missingValues, unseenCategory } = payload;
      const preprocessing = {
        inputs: artifact.inputs,
        target,
        dropped,
        missingValues,
        unseenCategory,
      } as unknown as Preprocessing;
      const problem = describePreprocessingProblem(preprocessing);
      if (problem) throw bad(problem);
      if (typeof estimator !== 'object' || estimator === null) throw bad('payload.estimator must be an artifact');
      const model = decodeModel(estimator as ModelArtifact, inner);
      const pipeline = createPipeline(preprocessing, model);
      if (JSON.stringify(artifact.featureNames) !== JSON.stringify(pipeline.featureNames))
        throw bad('featureNames differ from the inputs');
      if (JSON.stringify(artifact.classNames ?? null) !== JSON.stringify(pipeline.classNames ?? null))
        throw bad("classNames differ from the target's");
      return pipeline;
    },
  };
}
