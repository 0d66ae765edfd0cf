import { InvalidInputError, type Registry, type VersionRef } from '@mlops/core';
import { TableEncoding } from '@mlops/data';
import { loadModel, type RegisteredModel } from '@mlops/registry';
import { codecs } from '@mlops/train';
import { parseJson } from './safe-json';

/** Tag under which `mlops train` keeps the table encoding of a model version. */
export const ENCODING_TAG = 'mlops.encoding';

/** A registered model ready to predict records (objects by column name) or positional rows. */
export interface ServedModel {
  readonly registered: RegisteredModel;
  readonly encoding: TableEncoding | undefined;
  /** Predictions for positional rows or records; records go through the training-time encoding when there is one. */
  predict(rows: readonly unknown[]): number[];
  /** Class name of each prediction, for classifiers. */
  classNames: readonly string[] | undefined;
}

/** Loads `name@ref` with its encoding (from the version's tags), checked against its signature on every predict. */
export async function loadServedModel(store: Registry, name: string, ref: VersionRef): Promise<ServedModel> {
  const registered = await loadModel(store, name, ref, codecs);
  const tag = registered.version.tags[ENCODING_TAG];
  const encoding =
    tag === undefined
      ? undefined
      : TableEncoding.fromJSON(parseJson(tag, `the encoding of ${name} v${registered.version.version}`) as never);
  return {
    registered,
    encoding,
    classNames: registered.version.signature.classNames,
    predict(rows) {
      if (!Array.isArray(rows)) throw new InvalidInputError('rows must be an array');
      if (rows.length === 0) return [];
      const records = !Array.isArray(rows[0]);
      if (records && encoding) return registered.predict(encoding.encode(rows as Record<string, unknown>[]));
      return registered.predict(rows as never);
    },
  };
}
