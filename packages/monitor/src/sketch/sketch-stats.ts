import { InvalidInputError } from '@mlops/core';
import type { FeatureSketch, SketchPoint } from './feature-sketch';

function checkPair(a: FeatureSketch, b: FeatureSketch): [SketchPoint[], SketchPoint[]] {
  if (a.count === 0 || b.count === 0)
    throw new InvalidInputError(`cannot compare an empty sketch (${a.count} and ${b.count} values)`);
  if (a.relativeAccuracy !== b.relativeAccuracy) {
    throw new InvalidInputError(
      `sketches of relative accuracy ${a.relativeAccuracy} and ${b.relativeAccuracy} cannot be compared`,
    );
  }
  return [a.points(b), b.points(a)];
}

/** Walks both step CDFs in ascending value order, calling `step(value, Fa, Fb)` after each distinct value. */
function walk(a: FeatureSketch, b: FeatureSketch, step: (value: number, fa: number, fb: number) => void): void {
  const [pa, pb] = checkPair(a, b);
  let i = 0;
  let j = 0;
  let ca = 0;
  let cb = 0;
  while (i < pa.length || j < pb.length) {
    const value = j >= pb.length || (i < pa.length && pa[i]!.value <= pb[j]!.value) ? pa[i]!.value : pb[j]!.value;
    while (i < pa.length && pa[i]!.value === value) ca += pa[i++]!.count;
    while (j < pb.length && pb[j]!.value === value) cb += pb[j++]!.count;
    step(value, ca / a.count, cb / b.count);
  }
}

/** Two-sample KS statistic of the sketched (rounded) values: never larger than the exact statistic. */
export function sketchKsStatistic(a: FeatureSketch, b: FeatureSketch): number {
  let d = 0;
  walk(a, b, (_, fa, fb) => {
    d = Math.max(d, Math.abs(fa - fb));
  });
  return d;
}

/** First Wasserstein distance of the sketched values: within α·(E|A| + E|B|) of the exact one. */
export function sketchWassersteinDistance(a: FeatureSketch, b: FeatureSketch): number {
  let distance = 0;
  let previous: number | undefined;
  let gap = 0;
  walk(a, b, (value, fa, fb) => {
    if (previous !== undefined) distance += gap * (value - previous);
    previous = value;
    gap = Math.abs(fa - fb);
  });
  return distance;
}
