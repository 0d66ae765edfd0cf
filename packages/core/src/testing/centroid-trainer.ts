import type { Dataset, FeatureRows } from '../contracts/dataset';
import type { Model, ModelArtifact, ModelCodec } from '../contracts/model';
import type { Trainer } from '../contracts/trainer';

/** Parameters of {@link centroidTrainer}: centroids are multiplied by `shrink` (default 1; < 1 makes a worse model). */
export type CentroidParams = { shrink: number };

function centroidModel(
  centroids: number[][],
  data: Pick<Dataset, 'featureNames' | 'classNames'>,
  params: CentroidParams,
): Model {
  const nearest = (row: readonly number[]) => {
    let best = 0;
    let bestDistance = Infinity;
    centroids.forEach((c, k) => {
      const d = c.reduce((sum, v, j) => sum + (v - row[j]!) ** 2, 0);
      if (d < bestDistance) [best, bestDistance] = [k, d];
    });
    return best;
  };
  return {
    format: 'centroid',
    featureNames: data.featureNames,
    ...(data.classNames ? { classNames: data.classNames } : {}),
    params,
    predict: (rows: FeatureRows) => rows.map(nearest),
    toArtifact: (): ModelArtifact => ({
      format: 'centroid',
      formatVersion: 1,
      featureNames: [...data.featureNames],
      ...(data.classNames ? { classNames: [...data.classNames] } : {}),
      params,
      payload: centroids,
    }),
  };
}

/**
 * A tiny but real nearest-centroid classifier (each class's mean; predict the nearest) implementing the `Trainer`,
 * `Model` and artifact contracts: fast enough for any unit test of code that trains. `fits` counts its fits.
 */
export const centroidTrainer: Trainer<CentroidParams> & { fits: number } = {
  name: 'centroid',
  fits: 0,
  async fit(dataset, params) {
    this.fits++;
    const effective = { shrink: params?.shrink ?? 1 };
    const k = dataset.classNames!.length;
    const sums = Array.from({ length: k }, () => dataset.featureNames.map(() => 0));
    const counts = new Array<number>(k).fill(0);
    dataset.features.forEach((row, i) => {
      const c = dataset.target[i]!;
      counts[c]!++;
      row.forEach((v, j) => {
        sums[c]![j]! += v;
      });
    });
    const centroids = sums.map((s, c) => s.map((v) => (v / Math.max(1, counts[c]!)) * effective.shrink));
    return centroidModel(centroids, dataset, effective);
  },
};

/** Decodes {@link centroidTrainer}'s artifacts (`format: 'centroid'`). */
export const centroidCodec: ModelCodec = {
  format: 'centroid',
  formatVersions: [1],
  decode: (a) => centroidModel(a.payload as number[][], a, a.params as CentroidParams),
};
