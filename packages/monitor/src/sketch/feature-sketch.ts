import { InvalidInputError } from '@mlops/core';
import { BucketStore } from './bucket-store';

/** Options of a {@link FeatureSketch}. */
export interface FeatureSketchOptions {
  /** Relative accuracy α: every value is represented within a factor (1 ± α) (default 0.001). */
  readonly relativeAccuracy?: number;
  /** Buckets per sign (default 8192: at most 2 × 64 KiB of counts). */
  readonly maxBuckets?: number;
}

/** Distinct values tracked exactly before a column counts as numeric (Evidently's rule needs "> 5"). */
const MAX_EXACT_VALUES = 6;
/** Magnitudes below this count as zero. */
const MIN_MAGNITUDE = 1e-300;

/** One point of a sketch's step CDF: `count` values at `value` (a bucket's representative). */
export interface SketchPoint {
  readonly value: number;
  readonly count: number;
}

/** The JSON form of a {@link FeatureSketch}. */
export interface FeatureSketchJson {
  readonly format: 'mlops-feature-sketch';
  readonly formatVersion: 1;
  readonly relativeAccuracy: number;
  readonly maxBuckets: number;
  readonly count: number;
  readonly mean: number;
  readonly m2: number;
  readonly min: number;
  readonly max: number;
  readonly zero: number;
  readonly positive: readonly (readonly [number, number])[];
  readonly negative: readonly (readonly [number, number])[];
  readonly values: readonly (readonly [number, number])[] | null;
}

/**
 * A mergeable summary of one numeric column for drift detection on data that does not fit in memory:
 * a relative-accuracy quantile sketch (log-spaced buckets, as DDSketch), exact count, mean, variance,
 * min and max, and exact counts of up to 6 distinct values (enough for categorical tests).
 *
 * Error bound: the sketch holds every value rounded to its bucket's representative, which is within a
 * factor (1 ± α) of it (α = `relativeAccuracy`). Statistics computed from sketches are the exact statistics
 * of the rounded data; rounding is monotone, so a KS statistic from sketches is never larger than the exact
 * one and a rounded value never crosses another value more than a factor (1 ± α) away. If a column spans
 * more than `maxBuckets` buckets on one side of zero, the magnitudes closest to zero share one bucket
 * (`collapsed`). Merging is exact: sketch(A) merged with sketch(B) equals sketch(A ∪ B).
 */
export class FeatureSketch {
  /** α. */
  readonly relativeAccuracy: number;
  /** Buckets per sign. */
  readonly maxBuckets: number;
  private readonly gamma: number;
  private readonly logGamma: number;
  private readonly positive: BucketStore;
  private readonly negative: BucketStore;
  private zero = 0;
  private exact: Map<number, number> | undefined = new Map();
  /** Number of values. */
  count = 0;
  /** Mean of the values (0 when empty). */
  mean = 0;
  private m2 = 0;
  /** Smallest value (`Infinity` when empty). */
  min = Infinity;
  /** Largest value (`-Infinity` when empty). */
  max = -Infinity;

  constructor(options: FeatureSketchOptions = {}) {
    const alpha = options.relativeAccuracy ?? 0.001;
    const maxBuckets = options.maxBuckets ?? 8192;
    if (!(alpha > 0 && alpha < 1)) throw new InvalidInputError(`relativeAccuracy must be in (0, 1), got ${alpha}`);
    if (!Number.isInteger(maxBuckets) || maxBuckets < 16)
      throw new InvalidInputError(`maxBuckets must be an integer ≥ 16, got ${maxBuckets}`);
    this.relativeAccuracy = alpha;
    this.maxBuckets = maxBuckets;
    this.gamma = (1 + alpha) / (1 - alpha);
    this.logGamma = Math.log(this.gamma);
    this.positive = new BucketStore(maxBuckets);
    this.negative = new BucketStore(maxBuckets);
  }

  /** Population variance of the values (0 when fewer than 2). */
  get variance(): number {
    return this.count > 0 ? this.m2 / this.count : 0;
  }

  /** True when some magnitudes near zero share a bucket because the column spans more than `maxBuckets`. */
  get collapsed(): boolean {
    return this.positive.collapsed || this.negative.collapsed;
  }

  /** Exact counts per distinct value while there are at most 6 of them, else `undefined`. */
  get valueCounts(): ReadonlyMap<number, number> | undefined {
    return this.exact;
  }

  /** Bytes held by the bucket counts (the sketch's size, apart from a few numbers). */
  get bytes(): number {
    return this.positive.bytes + this.negative.bytes;
  }

  /** Adds finite values; `what` names them in errors (e.g. `reference column "age"`). */
  add(values: ArrayLike<number>, what = 'values'): this {
    const n = values.length;
    if (n === 0) return this;
    const inverseLogGamma = 1 / this.logGamma;
    const { positive, negative } = this;
    let { min, max, zero } = this;
    let sum = 0;
    // Hot loop: bucket counts are incremented in place; a store is called only when its window must move.
    // Once a store has folded its lowest buckets, its window starts at its floor: lower indices go to slot 0.
    let [pCounts, pOffset, nCounts, nOffset] = [positive.counts, positive.offset, negative.counts, negative.offset];
    let [pFolded, nFolded] = [positive.collapsed, negative.collapsed];
    let pAdded = 0;
    let nAdded = 0;
    for (let i = 0; i < n; i++) {
      const x = values[i]!;
      if (typeof x !== 'number' || x - x !== 0) {
        throw new InvalidInputError(`${what} row ${i} is ${String(x)}: expected a finite number`, { row: i });
      }
      sum += x;
      if (x < min) min = x;
      if (x > max) max = x;
      if (x > MIN_MAGNITUDE) {
        let slot = Math.ceil(Math.log(x) * inverseLogGamma) - pOffset;
        if (slot < 0 && pFolded) slot = 0;
        if (slot >= 0 && slot < pCounts.length) {
          pCounts[slot]!++;
          pAdded++;
        } else {
          positive.add(slot + pOffset);
          [pCounts, pOffset, pFolded] = [positive.counts, positive.offset, positive.collapsed];
        }
      } else if (x < -MIN_MAGNITUDE) {
        let slot = Math.ceil(Math.log(-x) * inverseLogGamma) - nOffset;
        if (slot < 0 && nFolded) slot = 0;
        if (slot >= 0 && slot < nCounts.length) {
          nCounts[slot]!++;
          nAdded++;
        } else {
          negative.add(slot + nOffset);
          [nCounts, nOffset, nFolded] = [negative.counts, negative.offset, negative.collapsed];
        }
      } else zero++;
    }
    positive.total += pAdded;
    negative.total += nAdded;
    // Moments of the batch (two passes, for accuracy), merged into the running ones (Chan et al.).
    const mean = sum / n;
    let m2 = 0;
    for (let i = 0; i < n; i++) m2 += (values[i]! - mean) ** 2;
    this.mergeMoments(n, mean, m2);
    Object.assign(this, { min, max, zero });
    if (this.exact) {
      for (let i = 0; i < n && this.exact; i++) {
        this.exact.set(values[i]!, (this.exact.get(values[i]!) ?? 0) + 1);
        if (this.exact.size > MAX_EXACT_VALUES) this.exact = undefined;
      }
    }
    return this;
  }

  private mergeMoments(count: number, mean: number, m2: number): void {
    const total = this.count + count;
    const delta = mean - this.mean;
    this.m2 = this.m2 + m2 + (delta * delta * this.count * count) / total;
    this.mean = this.mean + (delta * count) / total;
    this.count = total;
  }

  /** Adds another sketch's values (same `relativeAccuracy` and `maxBuckets`); the result is as if built from both. */
  merge(other: FeatureSketch): this {
    if (other.relativeAccuracy !== this.relativeAccuracy || other.maxBuckets !== this.maxBuckets) {
      throw new InvalidInputError(
        `cannot merge sketches of relative accuracy ${other.relativeAccuracy} / ${other.maxBuckets} buckets into ${this.relativeAccuracy} / ${this.maxBuckets}`,
      );
    }
    if (other.count === 0) return this;
    this.mergeMoments(other.count, other.mean, other.m2);
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
    for (const [index, n] of other.positive.entries()) this.positive.add(index, n);
    for (const [index, n] of other.negative.entries()) this.negative.add(index, n);
    this.zero += other.zero;
    if (this.exact && other.exact) {
      for (const [value, n] of other.exact) this.exact.set(value, (this.exact.get(value) ?? 0) + n);
      if (this.exact.size > MAX_EXACT_VALUES) this.exact = undefined;
    } else {
      this.exact = undefined;
    }
    return this;
  }

  /**
   * The step CDF as ascending points (bucket representatives with their counts). With `alignTo`, buckets
   * are folded as far as in either sketch, so two sketches compare on one grid.
   */
  points(alignTo?: FeatureSketch): SketchPoint[] {
    const out: SketchPoint[] = [];
    const represent = (index: number) => (2 * this.gamma ** index) / (this.gamma + 1);
    const floors = alignTo
      ? [
          Math.max(this.negative.floorIndex, alignTo.negative.floorIndex),
          Math.max(this.positive.floorIndex, alignTo.positive.floorIndex),
        ]
      : [-Infinity, -Infinity];
    const negatives = [...this.negative.entries(floors[0])].reverse();
    for (const [index, count] of negatives) out.push({ value: -represent(index), count });
    if (this.zero > 0) out.push({ value: 0, count: this.zero });
    for (const [index, count] of this.positive.entries(floors[1])) out.push({ value: represent(index), count });
    return out;
  }

  /** The sketch as JSON-safe data (to store a day's sketch and merge it later). */
  toJSON(): FeatureSketchJson {
    return {
      format: 'mlops-feature-sketch',
      formatVersion: 1,
      relativeAccuracy: this.relativeAccuracy,
      maxBuckets: this.maxBuckets,
      count: this.count,
      mean: this.mean,
      m2: this.m2,
      min: this.min,
      max: this.max,
      zero: this.zero,
      positive: [...this.positive.entries()],
      negative: [...this.negative.entries()],
      values: this.exact ? [...this.exact.entries()] : null,
    };
  }

  /** Rebuilds a sketch from {@link FeatureSketch.toJSON} output, validating it (`InvalidInputError`). */
  static fromJSON(json: FeatureSketchJson): FeatureSketch {
    const bad = (why: string) => new InvalidInputError(`invalid feature sketch: ${why}`);
    if (
      typeof json !== 'object' ||
      json === null ||
      json.format !== 'mlops-feature-sketch' ||
      json.formatVersion !== 1
    ) {
      throw bad('not an mlops-feature-sketch v1');
    }
    const sketch = new FeatureSketch({ relativeAccuracy: json.relativeAccuracy, maxBuckets: json.maxBuckets });
    const pairs = (value: unknown, what: string): [number, number][] => {
      if (!Array.isArray(value)) throw bad(`${what} must be an array`);
      return value.map((pair, i) => {
        if (
          !Array.isArray(pair) ||
          pair.length !== 2 ||
          !pair.every((x) => typeof x === 'number' && Number.isFinite(x)) ||
          !(pair[1] > 0)
        ) {
          throw bad(`${what}[${i}] must be a [number, positive count] pair`);
        }
        return [pair[0], pair[1]];
      });
    };
    for (const [index, n] of pairs(json.positive, 'positive')) {
      if (!Number.isInteger(index)) throw bad('bucket indices must be integers');
      sketch.positive.add(index, n);
    }
    for (const [index, n] of pairs(json.negative, 'negative')) {
      if (!Number.isInteger(index)) throw bad('bucket indices must be integers');
      sketch.negative.add(index, n);
    }
    const numbers = { count: json.count, mean: json.mean, m2: json.m2, zero: json.zero };
    for (const [key, value] of Object.entries(numbers))
      if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(`${key} must be a finite number`);
    sketch.zero = json.zero;
    sketch.count = json.count;
    sketch.mean = json.mean;
    sketch.m2 = json.m2;
    if (json.count > 0 && !(Number.isFinite(json.min) && Number.isFinite(json.max) && json.min <= json.max))
      throw bad('min and max must be finite');
    sketch.min = json.count === 0 ? Infinity : json.min;
    sketch.max = json.count === 0 ? -Infinity : json.max;
    if (sketch.positive.total + sketch.negative.total + sketch.zero !== sketch.count)
      throw bad('bucket counts do not add up to count');
    sketch.exact = json.values === null ? undefined : new Map(pairs(json.values, 'values'));
    return sketch;
  }
}
