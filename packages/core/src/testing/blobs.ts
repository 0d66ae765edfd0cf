import type { Dataset } from '../contracts/dataset';
import { createDataset } from '../validation/dataset';

/** Two classes on one feature: class 0 around `low`, class 1 around `high` (n rows each, jittered ±0.2). */
export function blobs(low: number, high: number, n = 10): Dataset {
  const features: number[][] = [];
  const target: number[] = [];
  for (let i = 0; i < n; i++) {
    const jitter = (i % 5) * 0.1 - 0.2;
    features.push([low + jitter], [high + jitter]);
    target.push(0, 1);
  }
  return createDataset({ features, target, featureNames: ['x'], classNames: ['a', 'b'], name: 'blobs' });
}
