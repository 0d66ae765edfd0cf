/** Features quantised to at most 255 bins per column, computed once per forest. */
export interface BinnedFeatures {
  /** Column-major bin codes: `codes[col * rows + row]`. */
  readonly codes: Uint8Array;
  /** Per column, the split thresholds between consecutive bins: bin b holds values ≤ edges[col][b]. */
  readonly edges: readonly Float64Array[];
  readonly rows: number;
  readonly cols: number;
}

/** Maximum number of bins per feature (codes fit a byte). */
export const MAX_BINS = 255;

function columnEdges(values: Float64Array, maxBins: number): Float64Array {
  const sorted = Float64Array.from(values).sort();
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
  if (distinct.length <= maxBins) {
    // One bin per distinct value; thresholds halfway between neighbours (as exact splitting would pick).
    const edges = new Float64Array(distinct.length - 1);
    for (let i = 0; i < edges.length; i++) edges[i] = distinct[i]! + (distinct[i + 1]! - distinct[i]!) / 2;
    return edges;
  }
  // Quantile edges over the rows, each placed halfway between two distinct neighbouring values.
  const edges: number[] = [];
  for (let b = 1; b < maxBins; b++) {
    const at = Math.floor((b * sorted.length) / maxBins);
    const lo = sorted[at - 1]!;
    const hi = sorted[at]!;
    if (hi === lo) continue;
    const edge = lo + (hi - lo) / 2;
    if (edges.length === 0 || edge > edges[edges.length - 1]!) edges.push(edge);
  }
  return Float64Array.from(edges);
}

/** Number of edges strictly below `value`: its bin. */
function binOf(edges: Float64Array, value: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Quantises a row-major matrix column by column. */
export function binFeatures(x: Float64Array, rows: number, cols: number, maxBins = MAX_BINS): BinnedFeatures {
  const codes = new Uint8Array(rows * cols);
  const edges: Float64Array[] = [];
  const column = new Float64Array(rows);
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < rows; r++) column[r] = x[r * cols + c]!;
    const e = columnEdges(column, maxBins);
    edges.push(e);
    for (let r = 0; r < rows; r++) codes[c * rows + r] = binOf(e, column[r]!);
  }
  return { codes, edges, rows, cols };
}
