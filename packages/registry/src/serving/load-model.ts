import {
  assertFeatureRows,
  assertFeatureTypes,
  decodeModel,
  InvalidInputError,
  type FeatureType,
  type FeatureRows,
  type Model,
  type ModelCodec,
  type ModelStore,
  type ModelVersion,
  type VersionRef,
} from '@mlops/core';

/** One input row by feature name, e.g. `{ 'petal length (cm)': 1.4, … }`; boolean features also take `true`/`false`. */
export type NamedRow = Readonly<Record<string, number | boolean>>;

/** A model loaded from a registry, whose predictions are checked against the version's signature. */
export interface RegisteredModel {
  /** The version record it was loaded from. */
  readonly version: ModelVersion;
  /** The decoded model. */
  readonly model: Model;
  /** Predicts positional rows (columns in signature order) or rows keyed by feature name. */
  predict(rows: FeatureRows | readonly NamedRow[]): number[];
}

function toPositional(
  rows: readonly NamedRow[],
  featureNames: readonly string[],
  featureTypes: readonly FeatureType[],
  label: string,
): number[][] {
  const known = new Set(featureNames);
  return rows.map((row, i) => {
    if (typeof row !== 'object' || row === null)
      throw new InvalidInputError(`row ${i} of the predict input for ${label} is not an object`, { row: i });
    for (const key of Object.keys(row)) {
      if (!known.has(key))
        throw new InvalidInputError(`row ${i} has feature "${key}", which ${label} does not take`, {
          row: i,
          columnName: key,
        });
    }
    return featureNames.map((feature, j) => {
      if (!Object.hasOwn(row, feature))
        throw new InvalidInputError(`row ${i} lacks feature "${feature}" that ${label} needs`, {
          row: i,
          column: j,
          columnName: feature,
        });
      const value = row[feature];
      if (typeof value !== 'boolean') return value as number;
      if (featureTypes[j] !== 'boolean') {
        throw new InvalidInputError(
          `row ${i}, feature "${feature}" is ${value} but ${label} takes ${featureTypes[j]} values there`,
          { row: i, column: j, columnName: feature },
        );
      }
      return value ? 1 : 0;
    });
  });
}

/**
 * Loads a version (checksum verified, artifact validated, decoded by `codecs`) and returns it with a
 * `predict` that rejects input not matching the registered signature: wrong column count, non-finite
 * values, values that do not fit a feature's type (an `integer` must be whole, a `boolean` 0 or 1), and —
 * for rows keyed by name — missing or unknown features; each error names the row and feature.
 */
export async function loadModel(
  store: ModelStore,
  name: string,
  ref: VersionRef,
  codecs: readonly ModelCodec[],
): Promise<RegisteredModel> {
  const { version, artifact } = await store.loadArtifact(name, ref);
  const model = decodeModel(artifact, codecs);
  const { featureNames, featureTypes } = version.signature;
  const label = `${name} v${version.version}`;
  return {
    version,
    model,
    predict(rows) {
      if (!Array.isArray(rows)) throw new InvalidInputError(`predict input for ${label} must be an array of rows`);
      const named = rows.length > 0 && !Array.isArray(rows[0]);
      const positional = named
        ? toPositional(rows as readonly NamedRow[], featureNames, featureTypes, label)
        : (rows as FeatureRows);
      positional.forEach((row, i) => {
        if (!Array.isArray(row) || row.length !== featureNames.length) {
          throw new InvalidInputError(
            `row ${i} has ${Array.isArray(row) ? row.length : 'no'} values but ${label} takes ${featureNames.length} (${featureNames.join(', ')})`,
            { row: i },
          );
        }
      });
      assertFeatureRows(positional, {
        columns: featureNames.length,
        featureNames,
        what: `predict input for ${label}`,
        allowEmpty: true,
      });
      assertFeatureTypes(positional, featureTypes, { featureNames, what: `predict input for ${label}` });
      return model.predict(positional);
    },
  };
}
