import { DatasetSketch } from '../sketch/dataset-sketch';
import { columnsOf, type TabularInput } from '../drift/columns';

/** Shares of a reference and a current sample over common bins. */
export interface Histogram {
  /** Bin edges, `bins + 1` ascending values. */
  readonly edges: readonly number[];
  readonly reference: readonly number[];
  readonly current: readonly number[];
}

type Weighted = { values: ArrayLike<number>; weights?: ArrayLike<number> };

/** Each feature's values (with weights, for a sketch) from rows, columns or a sketch. */
export function weightedColumns(
  input: TabularInput | DatasetSketch,
  featureNames: readonly string[],
  what: string,
): Weighted[] {
  if (input instanceof DatasetSketch) {
    return input.features.map((sketch) => {
      const points = sketch.points();
      return { values: points.map((p) => p.value), weights: points.map((p) => p.count) };
    });
  }
  return columnsOf(input, featureNames, what).map((values) => ({ values }));
}

function range(columns: Weighted[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const { values } of columns) {
    for (let i = 0; i < values.length; i++) {
      if (values[i]! < min) min = values[i]!;
      if (values[i]! > max) max = values[i]!;
    }
  }
  return [min, max];
}

function shares({ values, weights }: Weighted, edges: number[]): number[] {
  const bins = edges.length - 1;
  const counts = new Array<number>(bins).fill(0);
  const low = edges[0]!;
  const width = (edges[bins]! - low) / bins;
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const w = weights ? weights[i]! : 1;
    const bin = width > 0 ? Math.min(bins - 1, Math.max(0, Math.floor((values[i]! - low) / width))) : 0;
    counts[bin]! += w;
    total += w;
  }
  return counts.map((c) => (total > 0 ? c / total : 0));
}

/** A histogram of both samples over `bins` equal-width bins spanning both (one bin for a constant feature). */
export function histogram(reference: Weighted, current: Weighted, bins = 24): Histogram {
  const [min, max] = range([reference, current]);
  const count = max > min ? bins : 1;
  const edges = Array.from({ length: count + 1 }, (_, i) => (max > min ? min + ((max - min) * i) / count : min + i));
  return { edges, reference: shares(reference, edges), current: shares(current, edges) };
}
