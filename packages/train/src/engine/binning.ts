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
 * the values present; a `NaN` (missing) gets code `MISSING_BIN` (meaningful with at most 255 bins). The per-value
 * loops (gathering a column, sorting it, coding it) are WebAssembly kernels: fast from the first call.
 */
export function binFeatures(x: Float64Array, rows: number, cols: number, maxBins = MAX_BINS): BinnedFeatures {
  const memory = new KernelMemory();
  const { kernels } = memory;
  const values = memory.alloc(Float64Array, rows * cols);
  values.set(x);
  const column = memory.alloc(Float64Array, rows);
  const sorted = memory.alloc(Float64Array, rows);
  const bits = rows >= 50_000 ? 16 : 8; // fewer sort passes on long columns, small counts on short ones
  const work = memory.alloc(Int32Array, 6 * rows + (1 << bits));
  const present = memory.alloc(Int32Array, 1);
  const bins = memory.alloc(Uint32Array, rows);
  // Bytes when every column has at most 256 bins (always with the 'hist' splitter's 255), else 32-bit until known.
  const wide = maxBins > MAX_BINS;
  const allCodes = wide ? memory.alloc(Uint32Array, rows * cols) : memory.alloc(Uint8Array, rows * cols);
  let edgeSlots = memory.alloc(Float64Array, Math.min(maxBins, rows));
  const edges: Float64Array[] = [];
  for (let c = 0; c < cols; c++) {
    const order = kernels.sortColumn(
      values.byteOffset,
      rows,
      cols,
      c,
      column.byteOffset,
      work.byteOffset,
      bits,
      sorted.byteOffset,
      present.byteOffset,
    );
    const columnEdges = edgesOf(sorted.subarray(0, present[0]!), maxBins);
    edges.push(columnEdges);
    if (edgeSlots.length < columnEdges.length) edgeSlots = memory.alloc(Float64Array, columnEdges.length);
    edgeSlots.set(columnEdges);
    kernels.codeColumn(
      sorted.byteOffset,
      order,
      present[0]!,
      rows,
      edgeSlots.byteOffset,
      columnEdges.length,
      MISSING_BIN,
      bins.byteOffset,
      allCodes.byteOffset,
      cols,
      c,
      wide ? 1 : 0,
    );
  }
  const most = Math.max(...edges.map((e) => e.length + 1));
  // Out of the kernels' memory (which is then left to the garbage collector), as bytes when they fit.
  const codes = wide && most <= 256 ? new Uint8Array(allCodes) : allCodes.slice();
  return { codes, bins: most, edges, rows, cols };
}
