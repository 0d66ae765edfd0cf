import { IntegrityError, InvalidArtifactError, type ModelArtifact } from '@mlops/core';
import { parseChecked } from '../json/safe-parse';
import { quoteName } from '../names/names';
import { describeArtifactProblem } from './artifact';
import {
  describeChecksumMismatch,
  digestOf,
  describeArtifactMismatch,
  type StoredVersionRecord,
} from './version-record';

/**
 * Turns stored artifact bytes back into an artifact: sha256 and length must match the record
 * (`IntegrityError`), the JSON must be a valid artifact without prototype keys (`InvalidArtifactError`),
 * and it must agree with the record (`IntegrityError`).
 */
export function checkStoredArtifact(record: StoredVersionRecord, bytes: Uint8Array): ModelArtifact {
  const { name, version } = record;
  const at = `artifact of model ${quoteName(name)} version ${version}`;
  const checksum = describeChecksumMismatch(record.artifact, digestOf(bytes));
  if (checksum) throw new IntegrityError(`${at} ${checksum}`, { name, version });
  const parsed = parseChecked<ModelArtifact>(Buffer.from(bytes).toString('utf8'), describeArtifactProblem);
  if (!parsed.ok) throw new InvalidArtifactError(`${at} is invalid: ${parsed.reason}`, { name, version });
  const mismatch = describeArtifactMismatch(record, parsed.value);
  if (mismatch) throw new IntegrityError(`${at} contradicts its record: ${mismatch}`, { name, version });
  return parsed.value;
}
