import type { Dataset, DatasetVersion } from '@mlops/core';

/** How one column's values are spread: numbers by moments and range, categories by their most frequent levels. */
export type ColumnProfile =
  | {
      readonly name: string;
      readonly kind: 'number';
      readonly type: string;
      readonly mean: number;
      readonly std: number;
      readonly min: number;
      readonly max: number;
      readonly distinct: number;
    }
  | {
      readonly name: string;
      readonly kind: 'category';
      /** Levels with their row shares, most frequent first (at most {@link TOP_LEVELS}). */
      readonly top: readonly { readonly level: string; readonly share: number }[];
      readonly levels: number;
    };

/** A dataset version as its pages show it: shape, the target and every column. */
export interface DatasetProfile {
  readonly version: DatasetVersion;
  readonly columns: readonly ColumnProfile[];
  readonly target: ColumnProfile;
}

/** Levels listed per category column. */
const TOP_LEVELS = 8;

function numeric(name: string, type: string, values: Float64Array): ColumnProfile {
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = values.length ? sum / values.length : Number.NaN;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const std = values.length ? Math.sqrt(squares / values.length) : Number.NaN;
  return { name, kind: 'number', type, mean, std, min, max, distinct: new Set(values).size };
}

function categorical(name: string, levels: readonly string[], codes: Float64Array): ColumnProfile {
  const counts = new Array<number>(levels.length).fill(0);
  for (const code of codes) counts[code]!++;
  const top = counts
    .map((count, i) => ({ level: levels[i]!, share: codes.length ? count / codes.length : 0 }))
    .sort((a, b) => b.share - a.share || a.level.localeCompare(b.level))
    .slice(0, TOP_LEVELS);
  return { name, kind: 'category', top, levels: levels.length };
}

/** The profile of one stored dataset version. */
export function profileDataset(version: DatasetVersion, dataset: Dataset): DatasetProfile {
  const column = (j: number) => Float64Array.from(dataset.features, (row) => row[j]!);
  const columns = dataset.featureNames.map((name, j) => {
    const levels = dataset.levels?.[j];
    return levels
      ? categorical(name, levels, column(j))
      : numeric(name, dataset.featureTypes?.[j] ?? 'number', column(j));
  });
  const target = Float64Array.from(dataset.target);
  return {
    version,
    columns,
    target: dataset.classNames
      ? categorical('target', dataset.classNames, target)
      : numeric('target', 'number', target),
  };
}

/** A row as text with category codes and classes decoded, so versions with different level orders compare. */
function rowKey(data: Dataset, i: number): string {
  const cells = data.features[i]!.map((v, j) => data.levels?.[j]?.[v] ?? v);
  return JSON.stringify([cells, data.classNames?.[data.target[i]!] ?? data.target[i]]);
}

/**
 * Rows of `b` that `a` lacks and rows of `a` that `b` lacks, counting whole rows (features and target, by column
 * position) as a multiset.
 */
export function rowChanges(a: Dataset, b: Dataset): { readonly added: number; readonly removed: number } {
  const key = rowKey;
  const counts = new Map<string, number>();
  for (let i = 0; i < a.target.length; i++) counts.set(key(a, i), (counts.get(key(a, i)) ?? 0) + 1);
  let added = 0;
  for (let i = 0; i < b.target.length; i++) {
    const k = key(b, i);
    const left = counts.get(k) ?? 0;
    if (left > 0) counts.set(k, left - 1);
    else added++;
  }
  let removed = 0;
  for (const left of counts.values()) removed += left;
  return { added, removed };
}
