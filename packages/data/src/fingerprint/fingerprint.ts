import { createHash, type Hash } from 'node:crypto';
import type { Dataset } from '@mlops/core';

const FORMAT_TAG = 'mlops-dataset-v1';

function writeString(hash: Hash, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  writeCount(hash, bytes.length);
  hash.update(bytes);
}

function writeCount(hash: Hash, n: number): void {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64LE(BigInt(n));
  hash.update(buffer);
}

function writeNames(hash: Hash, names: readonly string[] | undefined): void {
  if (names === undefined) return writeCount(hash, 0);
  writeCount(hash, names.length + 1); // 0 means "absent", so [] and undefined differ
  names.forEach((name) => writeString(hash, name));
}

/**
 * Content fingerprint of a dataset: lowercase hex sha256 over a canonical, versioned encoding of
 * every feature value (float64 little-endian), every target, the feature and class names and the
 * shape. Equal content gives equal fingerprints on every run and platform; the name is not included.
 */
export function fingerprint(dataset: Dataset): string {
  const hash = createHash('sha256');
  writeString(hash, FORMAT_TAG);
  writeNames(hash, dataset.featureNames);
  writeNames(hash, dataset.classNames);
  const rows = dataset.features.length;
  const columns = dataset.featureNames.length;
  writeCount(hash, rows);
  writeCount(hash, columns);
  const row = new Float64Array(columns);
  for (const values of dataset.features) {
    row.set(values);
    hash.update(new Uint8Array(row.buffer));
  }
  const target = Float64Array.from(dataset.target);
  hash.update(new Uint8Array(target.buffer));
  return hash.digest('hex');
}
