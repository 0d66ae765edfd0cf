import {
  decodeModel,
  InvalidInputError,
  type FeatureRows,
  type Model,
  type ModelCodec,
  type ModelStore,
  type ModelVersion,
  type VersionRef,
} from '@mlops/core';

/** One input row by feature name, e.g. `{ 'petal length (cm)': 1.4, … }`. */
export type NamedRow = Readonly<Record<string, number>>;

/** A model loaded from a registry, whose predictions are checked against the version's signature. */
export interface RegisteredModel {
  /** The version record it was loaded from. */
  readonly version: ModelVersion;
  /** The decoded model. */
  readonly model: Model;
  /** Predicts positional rows (columns in signature order) or rows keyed by feature name. */
  predict(rows: FeatureRows | readonly NamedRow[]): number[];
}

function toPositional(rows: readonly NamedRow[], featureNames: readonly string[], label: string): number[][] {
  const known = new Set(featureNames);
  return rows.map((row, i) => {
    for (const key of Object.keys(row)) {
      if (!known.has(key)) throw new InvalidInputError(`row ${i} has feature "${key}", which ${label} does not take`, { row: i, columnName: key });
    }
    return featureNames.map((feature, j) => {
      if (!(feature in row)) throw new InvalidInputError(`row ${i} lacks feature "${feature}" that ${label} needs`, { row: i, column: j, columnName: feature });
      return row[feature]!;
    });
  });
}

/**
 * Loads a version (checksum verified, artifact validated, decoded by `codecs`) and returns it with a
 * `predict` that rejects input not matching the registered signature: wrong column count, non-finite
 * values, and — for rows keyed by name — missing or unknown features, each named in the error.
 */
export async function loadModel(store: ModelStore, name: string, ref: VersionRef, codecs: readonly ModelCodec[]): Promise<RegisteredModel> {
  const { version, artifact } = await store.loadArtifact(name, ref);
  const model = decodeModel(artifact, codecs);
  const { featureNames } = version.signature;
  const label = `${name} v${version.version}`;
  return {
    version,
    model,
    predict(rows) {
      if (!Array.isArray(rows)) throw new InvalidInputError(`predict input for ${label} must be an array of rows`);
      const positional = rows.length > 0 && !Array.isArray(rows[0]) ? toPositional(rows as readonly NamedRow[], featureNames, label) : (rows as FeatureRows);
      positional.forEach((row, i) => {
        if (!Array.isArray(row) || row.length !== featureNames.length) {
          throw new InvalidInputError(
            `row ${i} has ${Array.isArray(row) ? row.length : 'no'} values but ${label} takes ${featureNames.length} (${featureNames.join(', ')})`,
            { row: i },
          );
        }
      });
      return model.predict(positional);
    },
  };
}
