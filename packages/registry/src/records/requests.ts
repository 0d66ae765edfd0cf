import {
  ConflictError,
  encodedFeatureType,
  InvalidArtifactError,
  InvalidInputError,
  NotFoundError,
  type DatasetVersion,
  type FeatureType,
  type RegisterModelInput,
  type RollbackOptions,
  type SetAliasOptions,
  type VersionChangeOptions,
} from '@mlops/core';
import { createHash } from 'node:crypto';
import { jsonChunks } from '../json/json-chunks';
import { findTextProblem } from '../json/json-safety';
import type { ObjectBody } from '../objects/object-store';
import { assertValidName, assertVersionNumber, quoteName } from '../names/names';
import { describeStorableArtifactProblem } from './artifact';
import { datasetLabel } from './dataset-record';
import { isRecord } from './shape';
import {
  describeChecksumMismatch,
  digestOf,
  describeRegisterInputProblem,
  type ArtifactDigest,
} from './version-record';

/** `model "iris"` or `model "iris" version 3`, as messages name them. */
export function modelLabel(name: string, version?: number): string {
  return version === undefined ? `model ${quoteName(name)}` : `model ${quoteName(name)} version ${version}`;
}

/** Throws `InvalidInputError` when a reason is not a string or holds what free text may not ({@link findTextProblem}). */
function assertReason(reason: unknown, what: string, name: string): void {
  if (reason === undefined) return;
  if (typeof reason !== 'string') throw new InvalidInputError(`${what} must be a string`, { name });
  const problem = findTextProblem(reason, what);
  if (problem) throw new InvalidInputError(problem, { name });
}

/**
 * Validates a register call (both backends); returns the artifact's canonical bytes (`JSON.stringify`), hashed in
 * chunks so a large artifact is never held whole on its way to object storage, and their digest.
 */
export function checkRegisterRequest(
  name: string,
  input: RegisterModelInput,
): { bytes: CanonicalBytes; digest: ArtifactDigest } {
  assertValidName(name, 'model');
  const cannot = `cannot register ${modelLabel(name)}`;
  if (!isRecord(input)) throw new InvalidInputError(`${cannot}: input must be an object`, { name });
  const artifactProblem = describeStorableArtifactProblem(input.artifact);
  if (artifactProblem) throw new InvalidArtifactError(`${cannot}: ${artifactProblem}`, { name });
  const inputProblem = describeRegisterInputProblem(input);
  if (inputProblem) throw new InvalidInputError(`${cannot}: ${inputProblem}`, { name });
  // The lineage's dataset name follows the name rules even without a version (nothing is looked up then).
  if (input.dataset?.name !== undefined) assertValidName(input.dataset.name, 'dataset');
  return canonicalBytes(input.artifact, cannot, name);
}

/** An artifact's canonical bytes: streamed in chunks (uploads) or whole (files, `bytea`), each time checked against the digest. */
export interface CanonicalBytes extends ObjectBody {
  whole(): Buffer;
}

function canonicalBytes(
  artifact: unknown,
  cannot: string,
  name: string,
): { bytes: CanonicalBytes; digest: ArtifactDigest } {
  const hash = createHash('sha256');
  let length = 0;
  for (const chunk of jsonChunks(artifact)) {
    hash.update(chunk);
    length += chunk.length;
  }
  const digest = { sha256: hash.digest('hex'), bytes: length };
  // The caller's object is serialised again when the bytes are written: changed meanwhile, it is refused, and a
  // stream stops before its last chunk, so no object is stored under another content's key.
  const changed = () =>
    new InvalidInputError(`${cannot}: the artifact changed while it was being registered`, { name });
  return {
    digest,
    bytes: {
      bytes: length,
      *chunks() {
        const again = createHash('sha256');
        let previous: Buffer | undefined;
        for (const chunk of jsonChunks(artifact)) {
          if (previous) yield previous;
          again.update(chunk);
          previous = chunk;
        }
        if (again.digest('hex') !== digest.sha256) throw changed();
        if (previous) yield previous;
      },
      whole() {
        const bytes = Buffer.from(JSON.stringify(artifact), 'utf8');
        if (describeChecksumMismatch(digest, digestOf(bytes))) throw changed();
        return bytes;
      },
    },
  };
}

/** Validates a setAlias call (both backends). */
export function checkAliasRequest(name: string, alias: string, version: number, options: SetAliasOptions): void {
  assertValidName(name, 'model');
  assertValidName(alias, 'alias');
  assertVersionNumber(version);
  if (typeof options !== 'object' || options === null)
    throw new InvalidInputError('setAlias options must be an object', { name });
  const expected = options.expectedVersion;
  if (expected !== undefined && expected !== null) assertVersionNumber(expected, 'expectedVersion');
  assertReason(options.reason, 'setAlias reason', name);
}

/** The compare-and-set check of an alias move: `ConflictError` when `current` is not what the caller expected. */
export function assertAliasExpectation(
  name: string,
  alias: string,
  current: number | undefined,
  expected: number | null | undefined,
): void {
  if (expected === undefined || (current ?? null) === expected) return;
  const actual = current === undefined ? 'does not exist' : `points at version ${current}`;
  const wanted = expected === null ? 'it not to exist' : `version ${expected}`;
  throw new ConflictError(`alias ${quoteName(alias)} of ${modelLabel(name)} ${actual}; expected ${wanted}`, {
    name,
    ...(current === undefined ? {} : { version: current }),
  });
}

/**
 * The signature's feature types for a register call. A lineage naming a dataset version must match that
 * registered version (`NotFoundError` if absent, `InvalidInputError` if its fingerprint or features differ);
 * types come from the input, else from that dataset version, else every feature is `number`.
 */
export async function resolveFeatureTypes(
  name: string,
  input: RegisterModelInput,
  getVersion: (name: string, version: number) => Promise<DatasetVersion>,
): Promise<readonly FeatureType[]> {
  const lineage = input.dataset;
  const featureNames = input.artifact.featureNames;
  const fromInputs = input.artifact.inputs?.map((c) => encodedFeatureType(c.type));
  if (fromInputs && input.featureTypes && JSON.stringify(fromInputs) !== JSON.stringify(input.featureTypes))
    throw new InvalidInputError(
      `cannot register ${modelLabel(name)}: featureTypes [${input.featureTypes.join(', ')}] contradict the artifact's inputs [${fromInputs.join(', ')}]`,
      { name },
    );
  const given = fromInputs ?? input.featureTypes;
  if (lineage?.version === undefined || lineage.name === undefined) {
    return given ?? featureNames.map(() => 'number');
  }
  const cannot = `cannot register ${modelLabel(name)}`;
  const linked = datasetLabel(lineage.name, lineage.version);
  let dataset: DatasetVersion;
  try {
    dataset = await getVersion(lineage.name, lineage.version);
  } catch (error) {
    if (!NotFoundError.isInstance(error)) throw error;
    throw new NotFoundError(`${cannot}: its lineage names ${linked}, which is not registered`, {
      name: lineage.name,
      version: lineage.version,
      cause: error,
    });
  }
  if (dataset.fingerprint !== lineage.fingerprint) {
    throw new InvalidInputError(
      `${cannot}: its lineage gives fingerprint ${lineage.fingerprint} but ${linked} has ${dataset.fingerprint}`,
      { name },
    );
  }
  if (JSON.stringify(dataset.featureNames) !== JSON.stringify(featureNames)) {
    throw new InvalidInputError(
      `${cannot}: the model takes features [${featureNames.join(', ')}] but ${linked} has [${dataset.featureNames.join(', ')}]`,
      { name },
    );
  }
  return given ?? dataset.featureTypes;
}

/** Validates a rollback call (both backends). */
export function checkRollbackRequest(name: string, alias: string, options: RollbackOptions): void {
  assertValidName(name, 'model');
  assertValidName(alias, 'alias');
  if (typeof options !== 'object' || options === null)
    throw new InvalidInputError('rollback options must be an object', { name });
  if (options.expectedVersion !== undefined) assertVersionNumber(options.expectedVersion, 'expectedVersion');
  assertReason(options.reason, 'rollback reason', name);
}

/** `ConflictError` for a rollback with nowhere to go. */
export function nothingToRollBack(name: string, alias: string, current: number | undefined): ConflictError {
  const where =
    current === undefined ? 'does not exist' : `points at version ${current} and has no earlier version to return to`;
  return new ConflictError(`cannot roll back alias ${quoteName(alias)} of ${modelLabel(name)}: it ${where}`, {
    name,
    ...(current === undefined ? {} : { version: current }),
  });
}

/** Validates an archive, restore or delete call (both backends); returns the reason (default empty). */
export function checkChangeRequest(name: string, version: number, options: VersionChangeOptions): string {
  assertValidName(name, 'model');
  assertVersionNumber(version);
  if (typeof options !== 'object' || options === null)
    throw new InvalidInputError('options must be an object', { name });
  assertReason(options.reason, 'reason', name);
  return options.reason ?? '';
}
