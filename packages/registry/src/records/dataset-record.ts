import { SHA256_HEX } from './shape';
import {
  checkFeatureTypes,
  createDataset,
  fingerprint,
  IntegrityError,
  InvalidInputError,
  isFeatureType,
  type Dataset,
  type DatasetVersion,
  type RegisterDatasetInput,
} from '@mlops/core';
import { findJsonProblem, findMapTextProblem, findTextProblem } from '../json/json-safety';
import { JsonBytesReader, readJsonBytes } from '../json/safe-parse';
import { assertValidName, NAME_PATTERN, quoteName } from '../names/names';
import { isPositiveInteger, isRecord, isStringArray, isStringMap, isTimestamp } from './shape';
import { describeChecksumMismatch, digestOf, type ArtifactDigest } from './version-record';

/** Name of the stored data format. */
const DATASET_FORMAT = 'mlops-dataset';
const FORMAT_VERSION = 1;

/** `dataset "iris"` or `dataset "iris" version 2`, as messages name them. */
export function datasetLabel(name: string, version?: number): string {
  return version === undefined ? `dataset ${quoteName(name)}` : `dataset ${quoteName(name)} version ${version}`;
}

function floatsToBase64(values: Iterable<number>, count: number): string {
  const buffer = Buffer.alloc(count * 8);
  let offset = 0;
  for (const value of values) offset = buffer.writeDoubleLE(value, offset); // little-endian, bit-exact (keeps -0)
  return buffer.toString('base64');
}

function base64ToFloats(text: unknown, count: number, what: string): Float64Array {
  if (typeof text !== 'string') throw new Error(`"${what}" must be a base64 string`);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== count * 8) throw new Error(`"${what}" holds ${bytes.length} bytes, expected ${count * 8}`);
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = bytes.readDoubleLE(i * 8);
  return values;
}

/**
 * The stored form of a dataset: JSON with names and types, and the feature matrix (row by row) and the
 * target as base64 float64 little-endian, so every value (even `-0`) comes back bit for bit.
 */
function encodeDataset(dataset: Dataset): Buffer {
  const rows = dataset.features.length;
  const columns = dataset.featureNames.length;
  return Buffer.from(
    JSON.stringify({
      format: DATASET_FORMAT,
      formatVersion: FORMAT_VERSION,
      rows,
      featureNames: dataset.featureNames,
      featureTypes: dataset.featureTypes ?? dataset.featureNames.map(() => 'number'),
      ...(dataset.classNames ? { classNames: dataset.classNames } : {}),
      ...(dataset.levels ? { levels: dataset.levels } : {}),
      features: floatsToBase64(dataset.features.flat(), rows * columns),
      target: floatsToBase64(dataset.target, rows),
    }),
    'utf8',
  );
}

/**
 * Validates a register call; returns the frozen dataset, its stored bytes, digest and fingerprint.
 * Description and tags follow the free-text rule of model versions (no U+0000, no control characters
 * but tab, line feed and carriage return); feature and class names may not hold U+0000.
 */
export function checkDatasetRequest(
  name: string,
  input: RegisterDatasetInput,
): { dataset: Dataset; bytes: Buffer; digest: ArtifactDigest; fingerprint: string } {
  assertValidName(name, 'dataset');
  const cannot = `cannot register ${datasetLabel(name)}`;
  if (!isRecord(input) || !isRecord(input.dataset))
    throw new InvalidInputError(`${cannot}: input must be an object with a "dataset"`, { name });
  for (const field of ['description', 'tags'] as const) {
    const problem = input[field] === undefined ? undefined : findJsonProblem(input[field], field);
    if (problem) throw new InvalidInputError(`${cannot}: ${problem}`, { name });
  }
  if (input.description !== undefined && typeof input.description !== 'string')
    throw new InvalidInputError(`${cannot}: description must be a string`, { name });
  if (input.tags !== undefined && !isStringMap(input.tags))
    throw new InvalidInputError(`${cannot}: tags must map names to strings`, { name });
  const textProblem = findTextProblem(input.description, 'description') ?? findMapTextProblem(input.tags, 'tags');
  if (textProblem) throw new InvalidInputError(`${cannot}: ${textProblem}`, { name });
  const dataset = createDataset(input.dataset, { allowMissing: true }); // NaN: a missing value kept for the estimator
  const namesProblem = findJsonProblem(
    { featureNames: dataset.featureNames, classNames: dataset.classNames, levels: dataset.levels },
    'dataset',
    0,
  );
  if (namesProblem) throw new InvalidInputError(`${cannot}: ${namesProblem}`, { name });
  const bytes = encodeDataset(dataset);
  const digest = digestOf(bytes);
  return { dataset, bytes, digest, fingerprint: fingerprint(dataset) };
}

/** The record stored as `dataset.json` for a validated registration. */
export function buildDatasetRecord(
  name: string,
  version: number,
  input: RegisterDatasetInput,
  checked: { dataset: Dataset; digest: ArtifactDigest; fingerprint: string },
  createdAt: string,
): DatasetVersion {
  const { dataset, digest } = checked;
  return {
    name,
    version,
    fingerprint: checked.fingerprint,
    createdAt,
    description: input.description ?? '',
    tags: { ...input.tags },
    rows: dataset.features.length,
    featureNames: [...dataset.featureNames],
    featureTypes: [...(dataset.featureTypes ?? dataset.featureNames.map(() => 'number' as const))],
    ...(dataset.classNames ? { classNames: [...dataset.classNames] } : {}),
    ...(dataset.levels ? { levels: dataset.levels.map((names) => (names ? [...names] : null)) } : {}),
    data: { sha256: digest.sha256, bytes: digest.bytes },
  };
}

/** Why a parsed `dataset.json` is not a valid `DatasetVersion`, or `undefined`. */
export function describeDatasetRecordProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'the record must be an object';
  if (typeof value.name !== 'string' || !NAME_PATTERN.test(value.name)) return '"name" must be a valid dataset name';
  if (!isPositiveInteger(value.version)) return '"version" must be a positive integer';
  if (typeof value.fingerprint !== 'string' || !SHA256_HEX.test(value.fingerprint))
    return '"fingerprint" must be 64 lower-case hex digits';
  if (!isTimestamp(value.createdAt)) return '"createdAt" must be an ISO 8601 timestamp';
  if (typeof value.description !== 'string') return '"description" must be a string';
  if (!isStringMap(value.tags)) return '"tags" must map names to strings';
  if (!isPositiveInteger(value.rows)) return '"rows" must be a positive integer';
  if (!isStringArray(value.featureNames)) return '"featureNames" must be an array of strings';
  if (
    !Array.isArray(value.featureTypes) ||
    value.featureTypes.length !== value.featureNames.length ||
    !value.featureTypes.every(isFeatureType)
  ) {
    return '"featureTypes" must give a feature type per feature';
  }
  if (value.classNames !== undefined && !isStringArray(value.classNames))
    return '"classNames" must be an array of strings';
  if (
    value.levels !== undefined &&
    !(
      Array.isArray(value.levels) &&
      value.levels.length === value.featureNames.length &&
      value.levels.every((names) => names === null || isStringArray(names))
    )
  )
    return '"levels" must give, per feature, an array of level names or null';
  const data = value.data;
  if (!isRecord(data) || typeof data.sha256 !== 'string' || !SHA256_HEX.test(data.sha256))
    return '"data.sha256" must be 64 lower-case hex digits';
  if (typeof data.bytes !== 'number' || !Number.isSafeInteger(data.bytes) || data.bytes < 0)
    return '"data.bytes" must be a non-negative integer';
  return undefined;
}

/**
 * Turns stored dataset bytes back into a dataset: length and sha256 must match the record, the content
 * must be a valid dataset with the record's shape, and its fingerprint must be the record's — each
 * failure an `IntegrityError` naming the dataset version.
 */
export function decodeStoredDataset(record: DatasetVersion, bytes: Uint8Array): Dataset {
  const reader = new JsonBytesReader();
  reader.push(bytes);
  return finishDataset(record, reader);
}

/** {@link decodeStoredDataset} for bytes read chunk by chunk (parsed as they arrive, never held whole). */
export async function readStoredDataset(record: DatasetVersion, chunks: AsyncIterable<Uint8Array>): Promise<Dataset> {
  const tooLong = () => failure(record, `is longer than its recorded ${record.data.bytes} bytes`);
  return finishDataset(record, await readJsonBytes(chunks, record.data.bytes, tooLong));
}

function failure(record: DatasetVersion, problem: string, cause?: unknown): IntegrityError {
  const at = `data of ${datasetLabel(record.name, record.version)}`;
  return new IntegrityError(`${at} ${problem}`, {
    name: record.name,
    version: record.version,
    ...(cause ? { cause } : {}),
  });
}

function finishDataset(record: DatasetVersion, reader: JsonBytesReader): Dataset {
  const fail = (problem: string, cause?: unknown) => failure(record, problem, cause);
  const { digest, parsed } = reader.finish<Record<string, unknown>>((value) =>
    isRecord(value) && value.format === DATASET_FORMAT && value.formatVersion === FORMAT_VERSION
      ? undefined
      : `is not ${DATASET_FORMAT} v${FORMAT_VERSION}`,
  );
  const mismatch = describeChecksumMismatch(record.data, digest);
  if (mismatch) throw fail(mismatch);
  if (!parsed.ok) throw fail(`is invalid: ${parsed.reason}`);
  const stored = parsed.value;
  let dataset: Dataset;
  try {
    const rows = record.rows;
    const columns = record.featureNames.length;
    const flat = base64ToFloats(stored.features, rows * columns, 'features');
    const features = Array.from({ length: rows }, (_, i) => Array.from(flat.subarray(i * columns, (i + 1) * columns)));
    dataset = createDataset(
      {
        features,
        target: Array.from(base64ToFloats(stored.target, rows, 'target')),
        featureNames: stored.featureNames as string[],
        featureTypes: checkFeatureTypes(stored.featureTypes, columns),
        ...(stored.classNames === undefined ? {} : { classNames: stored.classNames as string[] }),
        ...(stored.levels === undefined ? {} : { levels: stored.levels as (string[] | null)[] }),
        name: record.name,
      },
      { allowMissing: true },
    );
  } catch (error) {
    throw fail(`is invalid: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  if (JSON.stringify(dataset.featureNames) !== JSON.stringify(record.featureNames))
    throw fail('contradicts its record: feature names differ');
  if (JSON.stringify(dataset.featureTypes) !== JSON.stringify(record.featureTypes))
    throw fail('contradicts its record: feature types differ');
  if (JSON.stringify(dataset.classNames ?? null) !== JSON.stringify(record.classNames ?? null))
    throw fail('contradicts its record: class names differ');
  if (JSON.stringify(dataset.levels ?? null) !== JSON.stringify(record.levels ?? null))
    throw fail('contradicts its record: category levels differ');
  const actual = fingerprint(dataset);
  if (actual !== record.fingerprint)
    throw fail(`contradicts its record: fingerprint ${actual}, expected ${record.fingerprint}`);
  return dataset;
}
