import { KernelMemory } from '../kernels/kernels';

/** Features quantised into bins per column, computed once per forest. */
export interface BinnedFeatures {
  /** Row-major bin codes: `codes[row * cols + col]` (bytes when every column has ≤ 256 bins). */
  readonly codes: Uint8Array | Uint32Array;
  /** Most bins any column has. */
  readonly bins: number;
  /** Per column, the split thresholds between consecutive bins: bin b holds values ≤ edges[col][b]. */
  readonly edges: readonly Float64Array[];
  readonly rows: number;
  readonly cols: number;
}

/** Bins per feature of the `'hist'` splitter (codes fit a byte). */
export const MAX_BINS = 255;

/** The code of a missing value (`NaN`), past every value bin when there are at most 255. */
export const MISSING_BIN = 255;

/** scikit-learn's threshold between neighbouring values a < b: a/2 + b/2, or a if that rounds up to b. */
function midpoint(a: number, b: number): number {
  const m = a / 2 + b / 2;
  return m === b || !Number.isFinite(m) ? a : m;
}

/**
 * Split thresholds of one column from its values in ascending order (`NaN`s, last, left out): one bin per distinct
 * value when there are at most `maxBins`, else quantile edges, each halfway between two distinct neighbouring values.
 */
function edgesOf(sorted: Float64Array, maxBins: number): Float64Array {
  if (sorted.length === 0) return new Float64Array(0);
  let distinct = 1;
  for (let i = 1; i < sorted.length && distinct <= maxBins; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  if (distinct <= maxBins) {
    // One bin per distinct value; thresholds halfway between neighbours (as exact splitting would pick).
    const edges = new Float64Array(distinct - 1);
    for (let i = 1, e = 0; i < sorted.length; i++)
      if (sorted[i] !== sorted[i - 1]) edges[e++] = midpoint(sorted[i - 1]!, sorted[i]!);
    return edges;
  }
  const edges: number[] = [];
  for (let b = 1; b < maxBins; b++) {
    const at = Math.floor((b * sorted.length) / maxBins);
    const lo = sorted[at - 1]!;
    const hi = sorted[at]!;
    if (hi === lo) continue;
    const edge = midpoint(lo, hi);
    if (edges.length === 0 || edge > edges[edges.length - 1]!) edges.push(edge);
  }
  return Float64Array.from(edges);
}

/** Sorts columns of up to `rows` values: their positions in ascending order, `NaN`s last, ties in their order. */
function columnSorter(rows: number): (values: Float64Array) => Int32Array {
  const memory = new KernelMemory();
  const column = memory.alloc(Float64Array, rows);
  const bits = rows >= 50_000 ? 16 : 8; // fewer passes on long columns, small counts on short ones
  const work = memory.alloc(Int32Array, 6 * rows + (1 << bits));
  return (values) => {
    column.set(values);
    const at = memory.kernels.argsort(column.byteOffset, values.length, work.byteOffset, bits);
    return memory.view(Int32Array, at, values.length);
  };
}

/** Number of edges strictly below `value`: its bin. */
export function binOf(edges: Float64Array, value: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Quantises a row-major matrix column by column into at most `maxBins` bins; `Infinity` gives one bin
 * per distinct value, so splits land exactly where scikit-learn's exact splitter puts them. Edges come from
 * the values present; a `NaN` (missing) gets code `MISSING_BIN` (meaningful with at most 255 bins).
 */
export function binFeatures(x: Float64Array, rows: number, cols: number, maxBins = MAX_BINS): BinnedFeatures {
  const column = new Float64Array(rows);
  const sorted = new Float64Array(rows);
  const sort = columnSorter(rows);
  const edges: Float64Array[] = [];
  const binColumns: Uint32Array[] = [];
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < rows; r++) column[r] = x[r * cols + c]!;
    const order = sort(column);
    let present = 0;
    for (; present < rows && !Number.isNaN(column[order[present]!]!); present++)
      sorted[present] = column[order[present]!]!;
    const columnEdges = edgesOf(sorted.subarray(0, present), maxBins);
    edges.push(columnEdges);
    // In ascending order a value's bin (edges strictly below it) only moves up; the missing come last.
    const bins = new Uint32Array(rows);
    for (let i = 0, bin = 0; i < present; i++) {
      while (bin < columnEdges.length && columnEdges[bin]! < sorted[i]!) bin++;
      bins[order[i]!] = bin;
    }
    for (let i = present; i < rows; i++) bins[order[i]!] = MISSING_BIN;
    binColumns.push(bins);
  }
  const bins = Math.max(...edges.map((e) => e.length + 1));
  const codes = bins <= 256 ? new Uint8Array(rows * cols) : new Uint32Array(rows * cols);
  binColumns.forEach((values, c) => {
    for (let r = 0; r < rows; r++) codes[r * cols + c] = values[r]!;
  });
  return { codes, bins, edges, rows, cols };
}
