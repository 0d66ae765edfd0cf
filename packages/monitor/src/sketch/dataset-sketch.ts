import { InvalidInputError } from '@mlops/core';
import { columnsOf, type TabularInput } from '../drift/columns';
import { FeatureSketch, type FeatureSketchJson, type FeatureSketchOptions } from './feature-sketch';

/** The JSON form of a {@link DatasetSketch}. */
export interface DatasetSketchJson {
  readonly format: 'mlops-dataset-sketch';
  readonly formatVersion: 1;
  readonly featureNames: readonly string[];
  readonly features: readonly FeatureSketchJson[];
}

/**
 * One {@link FeatureSketch} per feature: a mergeable summary of a table for drift detection on logs that do
 * not fit in memory. Sketch each day's (or each file's) rows, store `toJSON()`, merge the ones you need, and
 * pass the result to `detectDrift` as the reference or the current data.
 */
export class DatasetSketch {
  /** Feature names, in column order. */
  readonly featureNames: readonly string[];
  /** One sketch per feature, in column order. */
  readonly features: readonly FeatureSketch[];

  constructor(featureNames: readonly string[], options: FeatureSketchOptions = {}) {
    if (!Array.isArray(featureNames) || featureNames.length === 0)
      throw new InvalidInputError('a dataset sketch needs feature names');
    this.featureNames = Object.freeze([...featureNames]);
    this.features = featureNames.map(() => new FeatureSketch(options));
  }

  /** Rows sketched so far. */
  get rows(): number {
    return this.features[0]!.count;
  }

  /** Bytes held by all bucket counts. */
  get bytes(): number {
    return this.features.reduce((sum, f) => sum + f.bytes, 0);
  }

  /** Adds rows, or columns keyed by feature name (typed arrays welcome). */
  add(data: TabularInput): this {
    const columns = columnsOf(data, this.featureNames, 'sketched data');
    columns.forEach((values, j) => {
      this.features[j]!.add(values, `column "${this.featureNames[j]}"`);
    });
    return this;
  }

  /** Adds another sketch of the same features; the result is as if built from both. */
  merge(other: DatasetSketch): this {
    if (JSON.stringify(other.featureNames) !== JSON.stringify(this.featureNames)) {
      throw new InvalidInputError(
        `cannot merge sketches of different features: [${other.featureNames}] into [${this.featureNames}]`,
      );
    }
    other.features.forEach((sketch, j) => {
      this.features[j]!.merge(sketch);
    });
    return this;
  }

  /** The sketch as JSON-safe data. */
  toJSON(): DatasetSketchJson {
    return {
      format: 'mlops-dataset-sketch',
      formatVersion: 1,
      featureNames: this.featureNames,
      features: this.features.map((f) => f.toJSON()),
    };
  }

  /** Rebuilds a sketch from {@link DatasetSketch.toJSON} output, validating it. */
  static fromJSON(json: DatasetSketchJson): DatasetSketch {
    if (
      typeof json !== 'object' ||
      json === null ||
      json.format !== 'mlops-dataset-sketch' ||
      json.formatVersion !== 1
    ) {
      throw new InvalidInputError('invalid dataset sketch: not an mlops-dataset-sketch v1');
    }
    if (
      !Array.isArray(json.featureNames) ||
      !Array.isArray(json.features) ||
      json.features.length !== json.featureNames.length
    ) {
      throw new InvalidInputError('invalid dataset sketch: one feature sketch per feature name is needed');
    }
    const sketch = new DatasetSketch(json.featureNames);
    const features = json.features.map((f) => FeatureSketch.fromJSON(f));
    if (new Set(features.map((f) => f.count)).size > 1)
      throw new InvalidInputError('invalid dataset sketch: features hold different row counts');
    return Object.assign(sketch, { features });
  }
}

/** Sketches a table in one call: `new DatasetSketch(featureNames, options).add(data)`. */
export function sketchDataset(
  data: TabularInput,
  options: FeatureSketchOptions & { readonly featureNames: readonly string[] },
): DatasetSketch {
  const { featureNames, ...sketchOptions } = options;
  return new DatasetSketch(featureNames, sketchOptions).add(data);
}
