import {
  assertFeatureRows,
  InvalidArtifactError,
  type FeatureRows,
  type JsonObject,
  type Model,
  type ModelArtifact,
  type ModelCodec,
} from '@mlops/core';
import { artifactNames, artifactParams } from '../shared/artifact-fields';
import { classProbabilities, mostProbable } from '../shared/class-probabilities';

/** Artifact format of {@link LogisticRegressionModel}. */
export const LOGISTIC_REGRESSION_FORMAT = 'mlops-logistic-regression';

/** A fitted linear model: the feature scaling it applies, then one coefficient row and intercept per output. */
export interface LinearWeights {
  /** Per feature, subtracted before scaling (0 without standardisation). */
  readonly mean: readonly number[];
  /** Per feature, divided by after centring (1 without standardisation). */
  readonly scale: readonly number[];
  /** One row per output (1 for two classes: the positive class, the second; else one per class), one value per feature. */
  readonly coefficients: readonly (readonly number[])[];
  readonly intercepts: readonly number[];
  /** L-BFGS iterations the fit took. */
  readonly iterations: number;
}

/**
 * Logistic regression behind the core `Model` contract: probabilities by sigmoid (two classes) or softmax, the
 * class of highest probability (ties to the lower index). `coefficients`/`intercepts` are scikit-learn's `coef_` /
 * `intercept_` (of the scaled features when trained with `standardize`).
 */
export class LogisticRegressionModel implements Model {
  /** Always `mlops-logistic-regression`. */
  readonly format = LOGISTIC_REGRESSION_FORMAT;

  /** Models come from {@link logisticRegression} and the codec. @internal */
  constructor(
    private readonly weights: LinearWeights,
    /** Feature names in column order. */
    readonly featureNames: readonly string[],
    /** Class labels; predictions index into them. */
    readonly classNames: readonly string[],
    /** Effective hyperparameters. */
    readonly params: JsonObject,
  ) {}

  /** Coefficients per output row (one row for two classes), per feature. */
  get coefficients(): readonly (readonly number[])[] {
    return this.weights.coefficients;
  }

  /** Intercept per output row. */
  get intercepts(): readonly number[] {
    return this.weights.intercepts;
  }

  /** L-BFGS iterations the fit took (scikit-learn's `n_iter_`). */
  get iterations(): number {
    return this.weights.iterations;
  }

  /** Class probabilities per row, columns following `classNames`. */
  predictProba(rows: FeatureRows): number[][] {
    assertFeatureRows(rows, {
      columns: this.featureNames.length,
      featureNames: this.featureNames,
      what: 'predict input',
    });
    const { mean, scale, coefficients, intercepts } = this.weights;
    return rows.map((row) => {
      const z = coefficients.map((w, k) => {
        let s = intercepts[k]!;
        for (let j = 0; j < w.length; j++) s += (w[j]! * (row[j]! - mean[j]!)) / scale[j]!;
        return s;
      });
      return classProbabilities(z);
    });
  }

  /** The class of highest probability per row (ties to the lower index). */
  predict(rows: FeatureRows): number[] {
    return this.predictProba(rows).map(mostProbable);
  }

  /** Scaling, coefficients and intercepts as JSON data (`mlops-logistic-regression`, `formatVersion` 1). */
  toArtifact(): ModelArtifact {
    const { mean, scale, coefficients, intercepts, iterations } = this.weights;
    return {
      format: LOGISTIC_REGRESSION_FORMAT,
      formatVersion: 1,
      featureNames: [...this.featureNames],
      classNames: [...this.classNames],
      params: this.params,
      payload: {
        mean: [...mean],
        scale: [...scale],
        coefficients: coefficients.map((row) => [...row]),
        intercepts: [...intercepts],
        iterations,
      },
    };
  }
}

const finiteList = (value: unknown, length: number): value is number[] =>
  Array.isArray(value) && value.length === length && value.every((v) => typeof v === 'number' && Number.isFinite(v));

/** Reads `mlops-logistic-regression` artifacts (format version 1); every list is checked for shape and finite values. */
export const logisticRegressionCodec: ModelCodec = {
  format: LOGISTIC_REGRESSION_FORMAT,
  formatVersions: [1],
  decode(artifact: ModelArtifact): Model {
    const featureNames = artifactNames(artifact.featureNames, 'featureNames', LOGISTIC_REGRESSION_FORMAT);
    const classNames = artifactNames(artifact.classNames, 'classNames', LOGISTIC_REGRESSION_FORMAT);
    const params = artifactParams(artifact.params, LOGISTIC_REGRESSION_FORMAT);
    const payload = artifact.payload as Record<string, unknown> | null;
    const d = featureNames.length;
    const outputs = classNames.length === 2 ? 1 : classNames.length;
    const fail = (what: string) => new InvalidArtifactError(`invalid ${LOGISTIC_REGRESSION_FORMAT} artifact: ${what}`);
    if (classNames.length < 2) throw fail('it needs at least 2 classNames');
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
      throw fail('payload must be an object');
    if (!finiteList(payload.mean, d)) throw fail(`mean must hold ${d} finite numbers`);
    if (!finiteList(payload.scale, d) || payload.scale.some((v) => v <= 0))
      throw fail(`scale must hold ${d} positive numbers`);
    const rows = payload.coefficients;
    if (!Array.isArray(rows) || rows.length !== outputs || !rows.every((row) => finiteList(row, d)))
      throw fail(`coefficients must be ${outputs} rows of ${d} finite numbers`);
    if (!finiteList(payload.intercepts, outputs)) throw fail(`intercepts must hold ${outputs} finite numbers`);
    const iterations = payload.iterations;
    if (!(Number.isInteger(iterations) && (iterations as number) >= 0)) throw fail('iterations must be a whole number');
    return new LogisticRegressionModel(
      {
        mean: payload.mean,
        scale: payload.scale,
        coefficients: rows as number[][],
        intercepts: payload.intercepts,
        iterations: iterations as number,
      },
      featureNames,
      classNames,
      params,
    );
  },
};
