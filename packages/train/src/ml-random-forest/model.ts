import { assertFeatureRows, type FeatureRows, type JsonObject, type Model, type ModelArtifact } from '@mlops/core';

/**
 * The part of a trained ml-random-forest classifier this model uses (structural, so the published types
 * do not depend on ml-random-forest's own declarations).
 */
export interface MlForestPredictor {
  /** Each tree's predicted class per row. */
  predictionValues(rows: number[][]): TreeVotes;
}

/** A matrix of votes: one row per input row, one column per tree. */
export interface TreeVotes {
  /** Number of input rows. */
  readonly rows: number;
  /** The trees' predicted classes for input row `index`. */
  getRow(index: number): number[];
}

/** Artifact format of ml-random-forest classifiers wrapped by this package ({@link MlRandomForestModel}). */
export const ML_RANDOM_FOREST_FORMAT = 'ml-random-forest';

/** A trained ml-random-forest classifier behind the core `Model` contract. */
export class MlRandomForestModel implements Model {
  /** Always `ml-random-forest`. */
  readonly format = ML_RANDOM_FOREST_FORMAT;

  /** Wraps a trained forest; `payload` is its JSON (kept so artifacts round-trip byte for byte). */
  constructor(
    private readonly forest: MlForestPredictor,
    private readonly payload: JsonObject,
    /** Feature names in column order. */
    readonly featureNames: readonly string[],
    /** Class labels; predictions index into them. */
    readonly classNames: readonly string[],
    /** Effective hyperparameters. */
    readonly params: JsonObject,
  ) {}

  private votes(rows: FeatureRows): number[][] {
    assertFeatureRows(rows, {
      columns: this.featureNames.length,
      featureNames: this.featureNames,
      what: 'predict input',
    });
    const values = this.forest.predictionValues(rows as number[][]);
    const k = this.classNames.length;
    const out: number[][] = [];
    for (let i = 0; i < values.rows; i++) {
      const counts = new Array<number>(k).fill(0);
      for (const label of values.getRow(i)) counts[label]!++;
      out.push(counts);
    }
    return out;
  }

  /** Class index per row: the majority vote of the trees (ties go to the lower class index). */
  predict(rows: FeatureRows): number[] {
    return this.votes(rows).map((counts) => counts.indexOf(Math.max(...counts)));
  }

  /** Share of trees voting for each class, per row (columns follow `classNames`). */
  predictProba(rows: FeatureRows): number[][] {
    return this.votes(rows).map((counts) => {
      const total = counts.reduce((a, b) => a + b, 0);
      return counts.map((c) => c / total);
    });
  }

  /** The model as JSON data: `{ format, formatVersion: 1, featureNames, classNames, params, payload }`. */
  toArtifact(): ModelArtifact {
    return {
      format: ML_RANDOM_FOREST_FORMAT,
      formatVersion: 1,
      featureNames: [...this.featureNames],
      classNames: [...this.classNames],
      params: this.params,
      payload: this.payload,
    };
  }
}
