import {
  type FeatureRows,
  InvalidArtifactError,
  type JsonObject,
  type Model,
  type ModelArtifact,
  type ModelCodec,
} from '@mlops/core';
import { boostedShapValues, nestedShapValues } from '../inspection/tree-shap';
import { artifactNames, artifactParams } from '../shared/artifact-fields';
import { fromBase64, toBase64 } from '../shared/base64-arrays';
import { classProbabilities, mostProbable } from '../shared/class-probabilities';
import { predictMatrix } from '../shared/row-matrix';
import type { BoostedEnsemble } from './boosting';
import { type BoostedTree, CATEGORY_WORDS, treeValue } from './grower';

/** Artifact format of the gradient-boosting models. */
export const GRADIENT_BOOSTING_FORMAT = 'mlops-gradient-boosting';

/**
 * Raw outputs (baseline + Σ trees, in tree order) per row, row-major `rows × outputs`: tree by tree over every row,
 * so a tree's arrays stay in cache.
 */
function rawOutputs(ensemble: BoostedEnsemble, x: Float64Array, rows: number): Float64Array {
  const { outputs, cols, trees, baseline } = ensemble;
  const raw = new Float64Array(rows * outputs);
  for (let r = 0; r < rows; r++) raw.set(baseline, r * outputs);
  trees.forEach((tree, t) => {
    const k = t % outputs;
    for (let r = 0; r < rows; r++) raw[r * outputs + k]! += treeValue(tree, x, r * cols);
  });
  return raw;
}

/** What the classifier and regressor share: the ensemble, names, importances, the artifact. */
abstract class BoostedModelBase {
  /** Always `mlops-gradient-boosting`. */
  readonly format = GRADIENT_BOOSTING_FORMAT;

  /** Models come from the trainers and the codec. @internal */
  constructor(
    protected readonly ensemble: BoostedEnsemble,
    /** Feature names in column order. */
    readonly featureNames: readonly string[],
    /** Effective hyperparameters. */
    readonly params: JsonObject,
  ) {}

  /** Boosting iterations kept (scikit-learn's `n_iter_`; fewer than `maxIter` when early stopping stopped). */
  get iterations(): number {
    return this.ensemble.trees.length / this.ensemble.outputs;
  }

  /** Validation loss after each iteration (the baseline's first), when early stopping ran. */
  get validationLoss(): readonly number[] | undefined {
    return this.ensemble.validationLoss;
  }

  /** Each feature's share of the total loss reduction of all splits (sums to 1; all 0 for a model with no split). */
  featureImportances(): Record<string, number> {
    const gains = new Float64Array(this.featureNames.length);
    for (const tree of this.ensemble.trees)
      tree.feature.forEach((f, node) => {
        if (f >= 0) gains[f]! += tree.gain[node]!;
      });
    const total = gains.reduce((a, b) => a + b, 0);
    return Object.fromEntries(this.featureNames.map((name, j) => [name, total > 0 ? gains[j]! / total : 0]));
  }

  /** Raw outputs of checked rows. */
  protected raw(rows: FeatureRows): Float64Array {
    return rawOutputs(this.ensemble, this.matrix(rows), rows.length);
  }

  /**
   * Exact TreeSHAP values (Lundberg et al. 2018) in raw output space: how much each feature moves each raw output
   * away from the expected one, with the training rows that reached each tree node (its cover) as the background.
   * `values[row][feature][output]`, outputs being the log-odds of the second class for two classes, one margin per
   * class (before softmax) for more, the value for a regressor; `expected[output]` is the baseline plus the
   * cover-weighted mean leaf value of the output's trees, so `expected[k] + Σ_j values[i][j][k]` is row `i`'s raw
   * output `k` (baseline + Σ trees). A model decoded from its artifact gives the same values.
   */
  shapValues(rows: FeatureRows): { values: number[][][]; expected: number[] } {
    const shap = boostedShapValues(this.ensemble, this.matrix(rows), rows.length);
    return nestedShapValues(shap, rows.length, this.featureNames.length);
  }

  /** Checked rows as one row-major array. */
  protected matrix(rows: FeatureRows): Float64Array {
    return predictMatrix(rows, this.featureNames, true);
  }

  protected artifact(classNames?: readonly string[]): ModelArtifact {
    return {
      format: GRADIENT_BOOSTING_FORMAT,
      formatVersion: 1,
      featureNames: [...this.featureNames],
      ...(classNames ? { classNames: [...classNames] } : {}),
      params: this.params,
      payload: encodeEnsemble(this.ensemble) as unknown as JsonObject,
    };
  }
}

/** A gradient-boosted classifier: log-odds (two classes) or softmax (more) over the trees' summed outputs. */
export class GradientBoostingClassifierModel extends BoostedModelBase implements Model {
  /** Models come from {@link gradientBoostingClassifier} and the codec. @internal */
  constructor(
    ensemble: BoostedEnsemble,
    featureNames: readonly string[],
    /** Class labels; predictions index into them. */
    readonly classNames: readonly string[],
    params: JsonObject,
  ) {
    super(ensemble, featureNames, params);
  }

  /** Class probabilities per row, columns following `classNames`. */
  predictProba(rows: FeatureRows): number[][] {
    const raw = this.raw(rows);
    const outputs = this.ensemble.outputs;
    return rows.map((_, r) => classProbabilities(Array.from(raw.subarray(r * outputs, (r + 1) * outputs))));
  }

  /** The class of highest probability per row (ties to the lower index). */
  predict(rows: FeatureRows): number[] {
    return this.predictProba(rows).map(mostProbable);
  }

  /** The ensemble as compact JSON data (`mlops-gradient-boosting`, `formatVersion` 1). */
  toArtifact(): ModelArtifact {
    return this.artifact(this.classNames);
  }
}

/** A gradient-boosted regressor: baseline + the trees' summed outputs. */
export class GradientBoostingRegressorModel extends BoostedModelBase implements Model {
  /** One value per row. */
  predict(rows: FeatureRows): number[] {
    return Array.from(this.raw(rows));
  }

  /** The ensemble as compact JSON data (`mlops-gradient-boosting`, `formatVersion` 1). */
  toArtifact(): ModelArtifact {
    return this.artifact();
  }
}

/** JSON-safe ensemble: a header plus little-endian typed arrays in base64, trees' nodes one after another. */
interface EncodedEnsemble {
  readonly task: 'classification' | 'regression';
  readonly cols: number;
  readonly outputs: number;
  readonly baseline: number[];
  readonly nodeCounts: number[];
  /** Int32 per node: feature, or −1 for a leaf. */
  readonly feature: string;
  /** Float64 per node: threshold (internal) or value (leaf). */
  readonly threshold: string;
  /** Int32 per node: left and right child (−1 at leaves), local to the tree. */
  readonly left: string;
  readonly right: string;
  /** Float64 per node: split gain (0 at leaves). */
  readonly gain: string;
  /** Float64 per node: training rows that reached it. */
  readonly cover: string;
  /** Uint32 × 8 per node, when some tree splits by category: the category codes going left (NaN threshold). */
  readonly leftCategories?: string;
  /** Uint8 per node: 1 where a missing value goes left (absent in artifacts from before missing values: all 0). */
  readonly missingLeft?: string;
  readonly validationLoss?: number[];
}

function encodeEnsemble(e: BoostedEnsemble): EncodedEnsemble {
  const join = <T extends Int32Array | Float64Array>(make: new (n: number) => T, pick: (t: BoostedTree) => T) => {
    const parts = e.trees.map(pick);
    const out = new make(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return toBase64(out);
  };
  return {
    task: e.task,
    cols: e.cols,
    outputs: e.outputs,
    baseline: Array.from(e.baseline),
    nodeCounts: e.trees.map((t) => t.feature.length),
    feature: join(Int32Array, (t) => t.feature),
    // Leaves keep their value where internal nodes keep their threshold.
    threshold: join(Float64Array, (t) => t.threshold.map((v, i) => (t.feature[i]! >= 0 ? v : t.value[i]!))),
    left: join(Int32Array, (t) => t.left),
    right: join(Int32Array, (t) => t.right),
    gain: join(Float64Array, (t) => t.gain),
    cover: join(Float64Array, (t) => t.cover),
    missingLeft: toBase64(Uint8Array.from(e.trees.flatMap((t) => Array.from(t.missingLeft)))),
    ...(e.trees.some((t) => t.leftCategories)
      ? {
          leftCategories: toBase64(
            Uint32Array.from(
              e.trees.flatMap((t) =>
                Array.from(t.leftCategories ?? new Uint32Array(t.feature.length * CATEGORY_WORDS)),
              ),
            ),
          ),
        }
      : {}),
    ...(e.validationLoss ? { validationLoss: [...e.validationLoss] } : {}),
  };
}

function decodeEnsemble(payload: unknown, featureCount: number, classCount: number | undefined): BoostedEnsemble {
  const fail = (problem: string) =>
    new InvalidArtifactError(`invalid ${GRADIENT_BOOSTING_FORMAT} artifact: ${problem}`);
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    throw fail('payload must be an object');
  const p = payload as Record<string, unknown>;
  const task = classCount === undefined ? 'regression' : 'classification';
  if (p.task !== task) throw fail(`task must be "${task}"`);
  const outputs = classCount === undefined || classCount === 2 ? 1 : classCount;
  if (p.cols !== featureCount) throw fail(`cols must be ${featureCount}`);
  if (p.outputs !== outputs) throw fail(`outputs must be ${outputs}`);
  const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  if (!Array.isArray(p.baseline) || p.baseline.length !== outputs || !p.baseline.every(finite))
    throw fail(`baseline must hold ${outputs} finite numbers`);
  const counts = p.nodeCounts;
  if (!Array.isArray(counts) || counts.length % outputs !== 0 || !counts.every((c) => Number.isInteger(c) && c >= 1))
    throw fail('nodeCounts must be positive whole numbers, a multiple of outputs');
  const total = (counts as number[]).reduce((a, b) => a + b, 0);
  const raise = (problem: string): never => {
    throw fail(problem);
  };
  const perNode = <T extends Uint8Array | Int32Array | Float64Array | Uint32Array>(
    field: string,
    Type: { new (b: ArrayBuffer): T; BYTES_PER_ELEMENT: number },
    width = 1,
  ): T => fromBase64(p[field], Type, field, total * width, raise);
  const feature = perNode('feature', Int32Array);
  const threshold = perNode('threshold', Float64Array);
  const left = perNode('left', Int32Array);
  const right = perNode('right', Int32Array);
  const gain = perNode('gain', Float64Array);
  const cover = perNode('cover', Float64Array);
  const sets = p.leftCategories === undefined ? undefined : perNode('leftCategories', Uint32Array, CATEGORY_WORDS);
  const missingLeft = p.missingLeft === undefined ? new Uint8Array(total) : perNode('missingLeft', Uint8Array);
  const trees: BoostedTree[] = [];
  let at = 0;
  for (const count of counts as number[]) {
    const end = at + count;
    for (let i = at; i < end; i++) {
      const f = feature[i]!;
      // A NaN threshold marks a category split (needs the category sets); every other number is finite.
      const categorySplit = sets !== undefined && f >= 0 && Number.isNaN(threshold[i]!);
      if ((!categorySplit && !Number.isFinite(threshold[i]!)) || !Number.isFinite(gain[i]!) || !(cover[i]! >= 1))
        throw fail(`node ${i - at} holds a non-finite number`);
      if (missingLeft[i]! > (f === -1 ? 0 : 1)) throw fail(`node ${i - at} has a bad missingLeft`);
      if (f === -1) continue;
      // Children come after their parent, inside the tree: every walk ends at a leaf.
      const ok = (c: number) => Number.isInteger(c) && c > i - at && c < count;
      if (!(f >= 0 && f < featureCount) || !ok(left[i]!) || !ok(right[i]!) || left[i] === right[i])
        throw fail(`node ${i - at} of a tree has a bad feature or child`);
    }
    const slice = <T extends Uint8Array | Int32Array | Float64Array | Uint32Array>(a: T, width = 1) =>
      a.slice(at * width, end * width) as T;
    const values = slice(threshold);
    trees.push({
      feature: slice(feature),
      threshold: values,
      bin: new Int32Array(count),
      left: slice(left),
      right: slice(right),
      value: values,
      gain: slice(gain),
      cover: slice(cover),
      missingLeft: slice(missingLeft),
      ...(sets ? { leftCategories: slice(sets, CATEGORY_WORDS) } : {}),
    });
    at = end;
  }
  const loss = p.validationLoss;
  if (loss !== undefined && !(Array.isArray(loss) && loss.every(finite))) throw fail('validationLoss must be numbers');
  return {
    task,
    cols: featureCount,
    outputs,
    baseline: Float64Array.from(p.baseline as number[]),
    trees,
    ...(loss ? { validationLoss: loss as number[] } : {}),
  };
}

/** Reads `mlops-gradient-boosting` artifacts (format version 1): every array, index and child link is checked first. */
export const gradientBoostingCodec: ModelCodec = {
  format: GRADIENT_BOOSTING_FORMAT,
  formatVersions: [1],
  decode(artifact: ModelArtifact): Model {
    const featureNames = artifactNames(artifact.featureNames, 'featureNames', GRADIENT_BOOSTING_FORMAT);
    const params = artifactParams(artifact.params, GRADIENT_BOOSTING_FORMAT);
    if (artifact.classNames === undefined)
      return new GradientBoostingRegressorModel(
        decodeEnsemble(artifact.payload, featureNames.length, undefined),
        featureNames,
        params,
      );
    const classNames = artifactNames(artifact.classNames, 'classNames', GRADIENT_BOOSTING_FORMAT);
    if (classNames.length < 2)
      throw new InvalidArtifactError(`invalid ${GRADIENT_BOOSTING_FORMAT} artifact: it needs at least 2 classNames`);
    const ensemble = decodeEnsemble(artifact.payload, featureNames.length, classNames.length);
    return new GradientBoostingClassifierModel(ensemble, featureNames, classNames, params);
  },
};
