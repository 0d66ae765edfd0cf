import type { FeatureRows, FeatureType } from '../contracts/dataset';
import type { JsonObject } from '../contracts/json';
import type { Model, ModelArtifact } from '../contracts/model';
import type { ColumnType, Preprocessing } from '../contracts/pipeline';
import { InvalidArtifactError, InvalidInputError } from '../errors/errors';
import { createEncoder, type Encoder, type RawInput } from './encoder';
import { describePreprocessingProblem } from './validate-preprocessing';

/** Artifact format of a pipeline (preprocessing + estimator). */
export const PIPELINE_FORMAT = 'mlops-pipeline';

/** How an input column reaches the estimator: category levels as integer codes. */
export function encodedFeatureType(type: ColumnType): FeatureType {
  return type === 'category' ? 'integer' : type;
}

function copyPreprocessing(pre: Preprocessing): Preprocessing {
  return JSON.parse(JSON.stringify(pre)) as Preprocessing;
}

/**
 * A pipeline: preprocessing learned from the training rows, then an estimator fitted on the encoded rows.
 * It is what gets versioned, loaded, served and retrained: it takes the raw records the training file had
 * (text categories, blanks) or positional rows, and its artifact (`mlops-pipeline`) holds both parts as data.
 */
export class PipelineModel implements Model {
  /** Always `mlops-pipeline`. */
  readonly format = PIPELINE_FORMAT;
  /** Raw input column names, in order. */
  readonly featureNames: readonly string[];
  /** Class labels, for classifiers. */
  readonly classNames?: readonly string[];
  /** The estimator's hyperparameters. */
  readonly params: JsonObject;
  /** The preprocessing, as data (a frozen copy). */
  readonly preprocessing: Preprocessing;
  private readonly encoder: Encoder;

  /** Use {@link createPipeline}, which validates both parts. @internal */
  constructor(
    preprocessing: Preprocessing,
    /** The fitted estimator; it takes one numeric column per input. */
    readonly estimator: Model,
  ) {
    this.preprocessing = deepFreeze(copyPreprocessing(preprocessing));
    this.featureNames = this.preprocessing.inputs.map((c) => c.name);
    if (this.preprocessing.target.classNames) this.classNames = this.preprocessing.target.classNames;
    this.params = estimator.params;
    this.encoder = createEncoder(this.preprocessing);
  }

  /** `classification` or `regression`. */
  get task(): 'classification' | 'regression' {
    return this.preprocessing.target.task;
  }

  /** Raw input as the numeric rows the estimator takes; `InvalidInputError` naming the row and column. */
  encode(input: RawInput): number[][] {
    return this.encoder(input);
  }

  /** One prediction per record or row: a class index into `classNames`, or a value for regression. */
  predict(input: RawInput | FeatureRows): number[] {
    return this.estimator.predict(this.encoder(input));
  }

  /** Class labels per record or row (classifiers only). */
  predictLabels(input: RawInput): string[] {
    const classNames = this.classNames;
    if (!classNames) throw new InvalidInputError('predictLabels needs a classifier: this pipeline is a regression');
    return this.predict(input).map((k) => classNames[k]!);
  }

  /** Class probabilities per record or row, columns following `classNames` (classifiers with `predictProba`). */
  predictProba(input: RawInput | FeatureRows): number[][] {
    if (!this.classNames || !this.estimator.predictProba)
      throw new InvalidInputError(`predictProba needs a classifier whose estimator (${this.estimator.format}) has it`);
    return this.estimator.predictProba(this.encoder(input));
  }

  /** Both parts as one JSON-safe artifact (`mlops-pipeline`, `formatVersion` 1). */
  toArtifact(): ModelArtifact {
    const { inputs, ...rest } = copyPreprocessing(this.preprocessing);
    return {
      format: PIPELINE_FORMAT,
      formatVersion: 1,
      featureNames: [...this.featureNames],
      ...(this.classNames ? { classNames: [...this.classNames] } : {}),
      params: this.params,
      inputs,
      payload: { ...rest, estimator: this.estimator.toArtifact() } as unknown as JsonObject,
    };
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Joins preprocessing and a fitted estimator into a {@link PipelineModel}. The estimator must take one column per
 * input, in order, and (for classification) have the target's classes; anything else is an `InvalidArtifactError`.
 */
export function createPipeline(preprocessing: Preprocessing, estimator: Model): PipelineModel {
  const problem = describePreprocessingProblem(preprocessing);
  if (problem) throw new InvalidArtifactError(`invalid preprocessing: ${problem}`);
  if (estimator?.format === PIPELINE_FORMAT) throw new InvalidArtifactError('a pipeline cannot hold another pipeline');
  const names = preprocessing.inputs.map((c) => c.name);
  if (JSON.stringify(estimator.featureNames) !== JSON.stringify(names))
    throw new InvalidArtifactError(
      `the estimator takes ${estimator.featureNames.join(', ')} but the preprocessing gives ${names.join(', ')}`,
    );
  const classes = preprocessing.target.classNames;
  if (JSON.stringify(estimator.classNames ?? null) !== JSON.stringify(classes ?? null))
    throw new InvalidArtifactError(
      classes
        ? `the estimator's classes (${(estimator.classNames ?? []).join(', ') || 'none'}) differ from the target's (${classes.join(', ')})`
        : 'a regression pipeline needs an estimator without classes',
    );
  return new PipelineModel(preprocessing, estimator);
}
