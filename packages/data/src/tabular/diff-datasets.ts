import { InvalidInputError, type Dataset } from '@mlops/core';

/** Summary statistics of one column. */
export interface ColumnSummary {
  readonly mean: number;
  readonly std: number;
  readonly min: number;
  readonly max: number;
}

/** How one feature's summary changed from `a` to `b`. */
export interface ColumnChange {
  readonly feature: string;
  readonly before: ColumnSummary;
  readonly after: ColumnSummary;
  /** after.mean − before.mean, in units of before.std (0 when before.std is 0 and the means match). */
  readonly meanShift: number;
}

/** What changed between two versions of a dataset. */
export interface DatasetDiff {
  readonly rowsBefore: number;
  readonly rowsAfter: number;
  /** Rows of `b` that `a` does not have (indices into b). */
  readonly added: readonly number[];
  /** Rows of `a` that `b` does not have (indices into a). */
  readonly removed: readonly number[];
  /** With a key column: rows whose key is in both but whose other values differ, as [index in a, index in b]. */
  readonly changed: readonly (readonly [number, number])[];
  readonly columns: readonly ColumnChange[];
  /** Share of each class before and after (classification data). */
  readonly classShares?: { readonly before: readonly number[]; readonly after: readonly number[] };
}

function summary(data: Dataset, j: number): ColumnSummary {
  const n = data.features.length;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const row of data.features) {
    const v = row[j]!;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / n;
  let squares = 0;
  for (const row of data.features) squares += (row[j]! - mean) ** 2;
  return { mean, std: Math.sqrt(squares / n), min, max };
}

const rowKey = (data: Dataset, i: number) => JSON.stringify([data.features[i], data.target[i]]);

/**
 * The difference between two versions of a dataset with the same columns: rows added and removed (as
 * multisets of whole rows, or matched by `key` — a feature holding a row id — which also finds changed
 * rows), each feature's mean, std, min and max before and after, and the class shares.
 */
export function diffDatasets(a: Dataset, b: Dataset, options: { readonly key?: string } = {}): DatasetDiff {
  if (JSON.stringify(a.featureNames) !== JSON.stringify(b.featureNames)) {
    throw new InvalidInputError(`datasets have different features: [${a.featureNames}] vs [${b.featureNames}]`);
  }
  if (JSON.stringify(a.classNames ?? null) !== JSON.stringify(b.classNames ?? null)) {
    throw new InvalidInputError(`datasets have different classes: [${a.classNames ?? ''}] vs [${b.classNames ?? ''}]`);
  }
  const added: number[] = [];
  const removed: number[] = [];
  const changed: [number, number][] = [];
  if (options.key !== undefined) {
    const k = a.featureNames.indexOf(options.key);
    if (k === -1) throw new InvalidInputError(`key "${options.key}" is not a feature`, { columnName: options.key });
    const index = (data: Dataset, which: string) => {
      const map = new Map<number, number>();
      data.features.forEach((row, i) => {
        if (map.has(row[k]!))
          throw new InvalidInputError(`key "${options.key}" value ${row[k]} appears twice in ${which}`, {
            row: i,
            columnName: options.key,
          });
        map.set(row[k]!, i);
      });
      return map;
    };
    const before = index(a, 'the first dataset');
    const after = index(b, 'the second dataset');
    for (const [key, i] of before) {
      const j = after.get(key);
      if (j === undefined) removed.push(i);
      else if (rowKey(a, i) !== rowKey(b, j)) changed.push([i, j]);
    }
    for (const [key, j] of after) if (!before.has(key)) added.push(j);
  } else {
    const remaining = new Map<string, number[]>();
    a.features.forEach((_, i) => {
      const key = rowKey(a, i);
      const list = remaining.get(key);
      if (list) list.push(i);
      else remaining.set(key, [i]);
    });
    b.features.forEach((_, j) => {
      const matches = remaining.get(rowKey(b, j));
      if (matches && matches.length > 0) matches.shift();
      else added.push(j);
    });
    for (const indices of remaining.values()) removed.push(...indices);
  }
  const columns = a.featureNames.map((feature, j) => {
    const before = summary(a, j);
    const after = summary(b, j);
    const delta = after.mean - before.mean;
    return {
      feature,
      before,
      after,
      meanShift: before.std > 0 ? delta / before.std : delta === 0 ? 0 : Math.sign(delta) * Infinity,
    };
  });
  const shares = (data: Dataset) =>
    data.classNames!.map((_, c) => data.target.filter((t) => t === c).length / data.target.length);
  return {
    rowsBefore: a.features.length,
    rowsAfter: b.features.length,
    added,
    removed: removed.sort((x, y) => x - y),
    changed,
    columns,
    ...(a.classNames ? { classShares: { before: shares(a), after: shares(b) } } : {}),
  };
}
