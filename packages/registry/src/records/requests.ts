import { createHash } from 'node:crypto';
import {
  ConflictError,
  InvalidArtifactError,
  InvalidInputError,
  type RegisterModelInput,
  type SetAliasOptions,
} from '@mlops/core';
import { assertValidName, assertVersionNumber, quoteName } from '../names/names';
import { describeStorableArtifactProblem } from './artifact';
import { isRecord } from './shape';
import { describeRegisterInputProblem, type ArtifactDigest } from './version-record';

/** `model "iris"` or `model "iris" version 3`, as messages name them. */
export function modelLabel(name: string, version?: number): string {
  return version === undefined ? `model ${quoteName(name)}` : `model ${quoteName(name)} version ${version}`;
}

/** Validates a register call (both backends); returns the artifact's canonical bytes and their digest. */
export function checkRegisterRequest(name: string, input: RegisterModelInput): { bytes: Buffer; digest: ArtifactDigest } {
  assertValidName(name, 'model');
  const cannot = `cannot register ${modelLabel(name)}`;
  if (!isRecord(input)) throw new InvalidInputError(`${cannot}: input must be an object`, { name });
  const artifactProblem = describeStorableArtifactProblem(input.artifact);
  if (artifactProblem) throw new InvalidArtifactError(`${cannot}: ${artifactProblem}`, { name });
  const inputProblem = describeRegisterInputProblem(input);
  if (inputProblem) throw new InvalidInputError(`${cannot}: ${inputProblem}`, { name });
  const bytes = Buffer.from(JSON.stringify(input.artifact), 'utf8');
  return { bytes, digest: { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length } };
}

/** Validates a setAlias call (both backends). */
export function checkAliasRequest(name: string, alias: string, version: number, options: SetAliasOptions): void {
  assertValidName(name, 'model');
  assertValidName(alias, 'alias');
  assertVersionNumber(version);
  if (typeof options !== 'object' || options === null) throw new InvalidInputError('setAlias options must be an object', { name });
  const expected = options.expectedVersion;
  if (expected !== undefined && expected !== null) assertVersionNumber(expected, 'expectedVersion');
  if (options.reason !== undefined && typeof options.reason !== 'string') throw new InvalidInputError('setAlias reason must be a string', { name });
}

/** The compare-and-set check of an alias move: `ConflictError` when `current` is not what the caller expected. */
export function assertAliasExpectation(name: string, alias: string, current: number | undefined, expected: number | null | undefined): void {
  if (expected === undefined || (current ?? null) === expected) return;
  const actual = current === undefined ? 'does not exist' : `points at version ${current}`;
  const wanted = expected === null ? 'it not to exist' : `version ${expected}`;
  throw new ConflictError(`alias ${quoteName(alias)} of ${modelLabel(name)} ${actual}; expected ${wanted}`, {
    name,
    ...(current === undefined ? {} : { version: current }),
  });
}
