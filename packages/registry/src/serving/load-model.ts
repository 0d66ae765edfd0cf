import {
  createEncoder,
  decodeModel,
  type Encoder,
  type EncoderSpec,
  type InputColumn,
  InvalidInputError,
  type Model,
  type ModelCodec,
  type ModelSignature,
  type ModelStore,
  type ModelVersion,
  PIPELINE_FORMAT,
  type PipelineModel,
  type RawInput,
  type VersionRef,
} from '@mlops/core';

/** A model loaded from a registry: raw records in, checked against the version's signature. */
export interface RegisteredModel {
  /** The version record it was loaded from. */
  readonly version: ModelVersion;
  /** The decoded model (a `PipelineModel` for versions trained on tables). */
  readonly model: Model;
  /** `classification` (the version has classes) or `regression`. */
  readonly task: 'classification' | 'regression';
  /**
   * What the version takes, in order: the raw input schema of a pipeline, or (for a bare estimator) one
   * non-nullable column per feature of its signature type.
   */
  readonly inputs: readonly InputColumn[];
  /** The input checks, as an `EncoderSpec` of `@mlops/core` (e.g. for `inputJsonSchema`). */
  readonly inputSpec: EncoderSpec;
  /**
   * One prediction per record or row: a class index into `classNames`, or a value for regression. Records are
   * keyed by column name (text categories, `null`/missing tokens for blanks where the column fills them);
   * positional rows hold one value per input (a category as its level or code).
   */
  predict(input: RawInput): number[];
  /** Class labels per record or row (classifiers); `InvalidInputError` for a regression. */
  predictLabels(input: RawInput): string[];
  /** Class probabilities per record or row, keyed by class label (classifiers whose model has `predictProba`). */
  predictProba(input: RawInput): Record<string, number>[];
}

/** True for a decoded `mlops-pipeline` (it encodes raw records itself). */
export function isPipelineModel(model: Model): model is PipelineModel {
  return model.format === PIPELINE_FORMAT && typeof (model as Partial<PipelineModel>).encode === 'function';
}

/** The inputs of a bare estimator's signature: one non-nullable numeric column per feature. */
function bareInputs(signature: ModelSignature): InputColumn[] {
  return signature.featureNames.map((name, j) => ({
    name,
    type: signature.featureTypes[j] ?? 'number',
    nullable: false,
    missingCount: 0,
  }));
}

/**
 * Loads a version (checksum verified, artifact validated, decoded by `codecs`) behind one raw-input contract.
 * A pipeline (`mlops-pipeline`) takes the raw records its training file had: text categories, blanks where
 * the column fills them, the target and dropped columns ignored. A bare estimator takes records keyed by
 * feature name or positional rows of numbers fitting its signature types. Either way, wrong types, unknown
 * columns and unseen categories are `InvalidInputError`s naming the row and column.
 */
export async function loadModel(
  store: ModelStore,
  name: string,
  ref: VersionRef,
  codecs: readonly ModelCodec[],
): Promise<RegisteredModel> {
  const { version, artifact } = await store.loadArtifact(name, ref);
  const model = decodeModel(artifact, codecs);
  const pipeline = isPipelineModel(model) ? model : undefined;
  const estimator = pipeline ? pipeline.estimator : model;
  const inputSpec: EncoderSpec = pipeline
    ? pipeline.preprocessing
    : { inputs: bareInputs(version.signature), missingValues: [], unseenCategory: 'error' };
  const label = `${name} v${version.version}`;
  const encoder: Encoder = createEncoder(inputSpec);
  const encode = (input: RawInput) => encoder(input, { what: `predict input for ${label}` });
  // No rows, no predictions (estimators refuse an empty matrix).
  const predictRows = (input: RawInput): number[] => {
    const rows = encode(input);
    return rows.length === 0 ? [] : estimator.predict(rows);
  };
  const classNames = version.signature.classNames ?? model.classNames;
  const needClasses = (what: string) => {
    if (!classNames)
      throw new InvalidInputError(`${what} needs a classifier, and ${label} is a regression model`, {
        name,
        version: version.version,
      });
    return classNames;
  };
  return {
    version,
    model,
    task: classNames ? 'classification' : 'regression',
    inputs: inputSpec.inputs,
    inputSpec,
    predict: predictRows,
    predictLabels(input) {
      const classes = needClasses('predictLabels');
      return predictRows(input).map((k) => classes[k]!);
    },
    predictProba(input) {
      const classes = needClasses('predictProba');
      if (!estimator.predictProba)
        throw new InvalidInputError(`predictProba: ${label} (${estimator.format}) gives no probabilities`, {
          name,
          version: version.version,
        });
      const rows = encode(input);
      if (rows.length === 0) return [];
      return estimator.predictProba(rows).map((p) => Object.fromEntries(classes.map((c, k) => [c, p[k]!])));
    },
  };
}
