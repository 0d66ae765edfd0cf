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

function columnEdges(values: Float64Array, maxBins: number): Float64Array {
  const all = Float64Array.from(values).sort(); // NaN sorts last
  let present = all.length;
  while (present > 0 && Number.isNaN(all[present - 1]!)) present--;
  const sorted = all.subarray(0, present);
  if (present === 0) return new Float64Array(0);
  let distinct = sorted.length > 0 ? 1 : 0;
  for (let i = 1; i < sorted.length && distinct <= maxBins; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  if (distinct <= maxBins) {
    // One bin per distinct value; thresholds halfway between neighbours (as exact splitting would pick).
    const edges = new Float64Array(distinct - 1);
    for (let i = 1, e = 0; i < sorted.length; i++)
      if (sorted[i] !== sorted[i - 1]) edges[e++] = midpoint(sorted[i - 1]!, sorted[i]!);
    return edges;
  }
  // Quantile edges over the rows, each placed halfway between two distinct neighbouring values.
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
 * the values present; a `NaN` (missing) gets code `MISSING_BIN` (meaningful with at most 255 bins).
 */
export function binFeatures(x: Float64Array, rows: number, cols: number, maxBins = MAX_BINS): BinnedFeatures {
  const edges: Float64Array[] = [];
  const column = new Float64Array(rows);
  const columns: Float64Array[] = [];
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < rows; r++) column[r] = x[r * cols + c]!;
    edges.push(columnEdges(column, maxBins));
    columns.push(Float64Array.from(column));
  }
  const bins = Math.max(...edges.map((e) => e.length + 1));
  const codes = bins <= 256 ? new Uint8Array(rows * cols) : new Uint32Array(rows * cols);
  columns.forEach((values, c) => {
    for (let r = 0; r < rows; r++) {
      const value = values[r]!;
      codes[r * cols + c] = Number.isNaN(value) ? MISSING_BIN : binOf(edges[c]!, value);
    }
  });
  return { codes, bins, edges, rows, cols };
}
