import { IntegrityError, InvalidArtifactError, type ModelArtifact } from '@mlops/core';
import { JsonBytesReader, readJsonBytes } from '../json/safe-parse';
import { quoteName } from '../names/names';
import { describeArtifactProblem } from './artifact';
import { describeArtifactMismatch, describeChecksumMismatch, type StoredVersionRecord } from './version-record';

const where = ({ name, version }: StoredVersionRecord) => `artifact of model ${quoteName(name)} version ${version}`;

/**
 * Turns stored artifact bytes back into an artifact: sha256 and length must match the record
 * (`IntegrityError`), the JSON must be a valid artifact without prototype keys (`InvalidArtifactError`),
 * and it must agree with the record (`IntegrityError`).
 */
export function checkStoredArtifact(record: StoredVersionRecord, bytes: Uint8Array): ModelArtifact {
  const reader = new JsonBytesReader();
  reader.push(bytes);
  return finishArtifact(record, reader);
}

/**
 * {@link checkStoredArtifact} for bytes read chunk by chunk: the artifact is parsed as they arrive, so its text is
 * never held whole, and reading stops with an `IntegrityError` once they exceed the recorded length.
 */
export async function readStoredArtifact(
  record: StoredVersionRecord,
  chunks: AsyncIterable<Uint8Array>,
): Promise<ModelArtifact> {
  const { name, version } = record;
  const tooLong = () =>
    new IntegrityError(`${where(record)} is longer than its recorded ${record.artifact.bytes} bytes`, {
      name,
      version,
    });
  const reader = await readJsonBytes(chunks, record.artifact.bytes, tooLong);
  return finishArtifact(record, reader);
}

function finishArtifact(record: StoredVersionRecord, reader: JsonBytesReader): ModelArtifact {
  const { name, version } = record;
  const { digest, parsed } = reader.finish<ModelArtifact>(describeArtifactProblem);
  const checksum = describeChecksumMismatch(record.artifact, digest);
  if (checksum) throw new IntegrityError(`${where(record)} ${checksum}`, { name, version });
  if (!parsed.ok) throw new InvalidArtifactError(`${where(record)} is invalid: ${parsed.reason}`, { name, version });
  const mismatch = describeArtifactMismatch(record, parsed.value);
  if (mismatch) throw new IntegrityError(`${where(record)} contradicts its record: ${mismatch}`, { name, version });
  return parsed.value;
}
