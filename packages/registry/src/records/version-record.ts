import { createHash } from 'node:crypto';
import { SHA256_HEX } from './shape';
import {
  describeInputsProblem,
  isFeatureType,
  type DatasetLineage,
  type FeatureType,
  type JsonObject,
  type ModelArtifact,
  type ModelVersion,
  type RegisterModelInput,
} from '@mlops/core';
import { findJsonProblem, findMapTextProblem, findTextProblem } from '../json/json-safety';
import { NAME_PATTERN } from '../names/names';
import { isFiniteNumberMap, isPositiveInteger, isRecord, isStringArray, isStringMap, isTimestamp } from './shape';

/**
 * A lineage fingerprint given at register time: lower-case hex, at most 64 digits (the sha256 that
 * `fingerprint()` of `@mlops/core` returns, or a prefix of it).
 */
const LINEAGE_FINGERPRINT_PATTERN = /^[0-9a-f]{1,64}$/;

/** A version record as stored: everything but the `status`, which is kept beside it because it can change. */
export type StoredVersionRecord = Omit<ModelVersion, 'status'>;

/** Checksum facts of a serialised artifact. */
export interface ArtifactDigest {
  /** Lower-case hex sha256 of the stored bytes. */
  readonly sha256: string;
  /** Stored length in bytes. */
  readonly bytes: number;
}

/** The digest of stored bytes. */
export function digestOf(bytes: Uint8Array): ArtifactDigest {
  return { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}

/** `failed its checksum: expected … found …` when `found` is not `expected`, else `undefined`. */
export function describeChecksumMismatch(expected: ArtifactDigest, found: ArtifactDigest): string | undefined {
  if (found.sha256 === expected.sha256 && found.bytes === expected.bytes) return undefined;
  return `failed its checksum: expected sha256 ${expected.sha256} (${expected.bytes} bytes), found ${found.sha256} (${found.bytes} bytes)`;
}

// `strict` (at register time) also checks the fingerprint's format; stored records are read leniently.
function describeLineageProblem(value: unknown, at: string, strict = false): string | undefined {
  if (!isRecord(value)) return `${at} must be an object`;
  if (typeof value.fingerprint !== 'string' || value.fingerprint === '')
    return `${at}.fingerprint must be a non-empty string`;
  if (strict && !LINEAGE_FINGERPRINT_PATTERN.test(value.fingerprint)) {
    return `${at}.fingerprint must be 1-64 lower-case hex digits (a sha256 as fingerprint() returns it)`;
  }
  if (value.name !== undefined && typeof value.name !== 'string') return `${at}.name must be a string`;
  if (value.version !== undefined && !isPositiveInteger(value.version))
    return `${at}.version must be a positive integer`;
  if (value.version !== undefined && value.name === undefined)
    return `${at}.version needs ${at}.name (the dataset it is a version of)`;
  return undefined;
}

/**
 * Why the metadata of a register call is malformed (the artifact is checked separately), or `undefined`.
 * Every field must be plain JSON no deeper than `MAX_JSON_DEPTH` without U+0000 in any string, and the
 * short free text (description, tag keys and values, metric names) without other control characters
 * than tab, line feed and carriage return. The lineage's dataset name is checked by the caller.
 */
export function describeRegisterInputProblem(input: RegisterModelInput): string | undefined {
  const fields = ['params', 'metrics', 'tags', 'description', 'dataset', 'parentVersion', 'featureTypes'] as const;
  for (const field of fields) {
    const problem = input[field] === undefined ? undefined : findJsonProblem(input[field], field);
    if (problem) return problem;
  }
  if (input.params !== undefined && !isRecord(input.params)) return 'params must be an object';
  if (input.metrics !== undefined && !isFiniteNumberMap(input.metrics))
    return 'metrics must map names to finite numbers';
  if (input.tags !== undefined && !isStringMap(input.tags)) return 'tags must map names to strings';
  if (input.description !== undefined && typeof input.description !== 'string') return 'description must be a string';
  const textProblem =
    findTextProblem(input.description, 'description') ??
    findMapTextProblem(input.tags, 'tags') ??
    findMapTextProblem(input.metrics, 'metrics');
  if (textProblem) return textProblem;
  if (input.dataset !== undefined) {
    const problem = describeLineageProblem(input.dataset, 'dataset', true);
    if (problem) return problem;
  }
  if (input.parentVersion !== undefined && !isPositiveInteger(input.parentVersion)) {
    return 'parentVersion must be a positive integer';
  }
  if (input.featureTypes !== undefined)
    return describeFeatureTypesProblem(input.featureTypes, input.artifact.featureNames.length, 'featureTypes');
  return undefined;
}

function describeFeatureTypesProblem(types: unknown, columns: number, at: string): string | undefined {
  if (!Array.isArray(types)) return `${at} must be an array`;
  if (types.length !== columns) return `${at} has ${types.length} entries but the model has ${columns} features`;
  const bad = types.findIndex((type) => !isFeatureType(type));
  return bad === -1 ? undefined : `${at}[${bad}] must be "number", "integer" or "boolean"`;
}

function copyLineage(dataset: DatasetLineage): DatasetLineage {
  return {
    fingerprint: dataset.fingerprint,
    ...(dataset.name === undefined ? {} : { name: dataset.name }),
    ...(dataset.version === undefined ? {} : { version: dataset.version }),
  };
}

/** The record stored as `version.json` for a validated register call, with the signature's feature types. */
export function buildVersionRecord(
  name: string,
  version: number,
  input: RegisterModelInput,
  featureTypes: readonly FeatureType[],
  digest: ArtifactDigest,
  createdAt: string,
): StoredVersionRecord {
  const artifact = input.artifact;
  const params: JsonObject = input.params ?? artifact.params;
  return {
    name,
    version,
    createdAt,
    description: input.description ?? '',
    params,
    metrics: { ...input.metrics },
    tags: { ...input.tags },
    ...(input.dataset === undefined ? {} : { dataset: copyLineage(input.dataset) }),
    ...(input.parentVersion === undefined ? {} : { parentVersion: input.parentVersion }),
    signature: {
      featureNames: [...artifact.featureNames],
      featureTypes: [...featureTypes],
      ...(artifact.classNames === undefined ? {} : { classNames: [...artifact.classNames] }),
      ...(artifact.inputs === undefined ? {} : { inputs: JSON.parse(JSON.stringify(artifact.inputs)) }),
    },
    artifact: {
      format: artifact.format,
      formatVersion: artifact.formatVersion,
      sha256: digest.sha256,
      bytes: digest.bytes,
    },
  };
}

function describeArtifactFactsProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return '"artifact" must be an object';
  if (typeof value.format !== 'string' || value.format === '') return '"artifact.format" must be a non-empty string';
  if (typeof value.formatVersion !== 'number' || !Number.isSafeInteger(value.formatVersion)) {
    return '"artifact.formatVersion" must be an integer';
  }
  if (typeof value.sha256 !== 'string' || !SHA256_HEX.test(value.sha256))
    return '"artifact.sha256" must be 64 lower-case hex digits';
  if (typeof value.bytes !== 'number' || !Number.isSafeInteger(value.bytes) || value.bytes < 0) {
    return '"artifact.bytes" must be a non-negative integer';
  }
  return undefined;
}

/** Why a parsed `version.json` is not a valid stored record, or `undefined` when it is. */
export function describeVersionRecordProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'the record must be an object';
  if (typeof value.name !== 'string' || !NAME_PATTERN.test(value.name)) return '"name" must be a valid model name';
  if (!isPositiveInteger(value.version)) return '"version" must be a positive integer';
  if (!isTimestamp(value.createdAt)) return '"createdAt" must be an ISO 8601 timestamp';
  if (typeof value.description !== 'string') return '"description" must be a string';
  if (!isRecord(value.params)) return '"params" must be an object';
  if (!isFiniteNumberMap(value.metrics)) return '"metrics" must map names to finite numbers';
  if (!isStringMap(value.tags)) return '"tags" must map names to strings';
  if (value.dataset !== undefined) {
    const problem = describeLineageProblem(value.dataset, '"dataset"');
    if (problem) return problem;
  }
  if (value.parentVersion !== undefined && !isPositiveInteger(value.parentVersion))
    return '"parentVersion" must be a positive integer';
  const signature = value.signature;
  if (!isRecord(signature) || !isStringArray(signature.featureNames))
    return '"signature.featureNames" must be an array of strings';
  const typesProblem = describeFeatureTypesProblem(
    signature.featureTypes,
    signature.featureNames.length,
    '"signature.featureTypes"',
  );
  if (typesProblem) return typesProblem;
  if (signature.classNames !== undefined && !isStringArray(signature.classNames))
    return '"signature.classNames" must be an array of strings';
  if (signature.inputs !== undefined) {
    const problem = describeInputsProblem(signature.inputs);
    if (problem) return `"signature.inputs": ${problem}`;
  }
  return describeArtifactFactsProblem(value.artifact);
}

/** Where a stored artifact contradicts its version record (format, feature or class names), or `undefined`. */
export function describeArtifactMismatch(record: StoredVersionRecord, artifact: ModelArtifact): string | undefined {
  if (artifact.format !== record.artifact.format || artifact.formatVersion !== record.artifact.formatVersion) {
    return `artifact is ${artifact.format} v${artifact.formatVersion} but the record says ${record.artifact.format} v${record.artifact.formatVersion}`;
  }
  const same = (a: readonly string[] | undefined, b: readonly string[] | undefined) =>
    JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (!same(artifact.featureNames, record.signature.featureNames))
    return 'artifact feature names differ from the record signature';
  if (!same(artifact.classNames, record.signature.classNames))
    return 'artifact class names differ from the record signature';
  if (JSON.stringify(artifact.inputs ?? null) !== JSON.stringify(record.signature.inputs ?? null))
    return 'artifact inputs differ from the record signature';
  return undefined;
}
