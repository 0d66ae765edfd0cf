import { createHash, type Hash } from 'node:crypto';
import type { Dataset } from '../contracts/dataset';
import { InvalidInputError } from '../errors/errors';

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

function writeFloats(hash: Hash, values: readonly number[]): void {
  const buffer = Buffer.alloc(values.length * 8);
  // little-endian on every platform
  values.forEach((value, i) => {
    buffer.writeDoubleLE(value, i * 8);
  });
  hash.update(buffer);
}

function writeNames(hash: Hash, names: readonly string[] | undefined): void {
  if (names === undefined) {
    writeCount(hash, 0);
    return;
  }
  writeCount(hash, names.length + 1); // 0 means "absent", so [] and undefined differ
  names.forEach((name) => {
    writeString(hash, name);
  });
}

/**
 * Content fingerprint of a dataset: lowercase hex sha256 over a canonical, versioned encoding.
 * Layout (counts are uint64 LE, strings UTF-8 prefixed by their byte length): the tag `mlops-dataset-v1`;
 * feature names and class names, each list as count + 1 (0 when absent) then its strings; row and
 * column counts; every feature value row by row, then every target, as float64 LE; then, only when the dataset
 * has `levels`, the string `levels` and each column's level list (absent for numeric columns). The name is not included.
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
  dataset.features.forEach((values, row) => {
    if (values.length !== columns) {
      throw new InvalidInputError(`features row ${row} has ${values.length} values, expected ${columns}`, { row });
    }
    writeFloats(hash, values);
  });
  if (dataset.target.length !== rows) {
    throw new InvalidInputError(`target has ${dataset.target.length} values but features have ${rows} rows`);
  }
  writeFloats(hash, dataset.target);
  if (dataset.levels) {
    // Only datasets with category levels hash them, so every fingerprint from before levels existed holds.
    writeString(hash, 'levels');
    for (const names of dataset.levels) writeNames(hash, names ?? undefined);
  }
  return hash.digest('hex');
}
