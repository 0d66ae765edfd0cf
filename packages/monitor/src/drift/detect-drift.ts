import { InvalidInputError, type DriftReport, type FeatureDrift, type InputColumn } from '@mlops/core';
import { DatasetSketch } from '../sketch/dataset-sketch';
import type { FeatureSketch } from '../sketch/feature-sketch';
import { sketchKsStatistic, sketchWassersteinDistance } from '../sketch/sketch-stats';
import { chiSquareTest, zTestProportions } from '../stats/categorical';
import { jensenShannonDistance, wassersteinDistance } from '../stats/distances';
import { kolmogorovNSurvival } from '../stats/kolmogorov';
import { ksTest } from '../stats/ks-test';
import { columnsOf, type TabularInput } from './columns';

/** What `detectDrift` compares: rows, columns keyed by feature name (typed arrays welcome), or a sketch. */
export type DriftInput = TabularInput | DatasetSketch;

/** Per-column drift method: statistical tests (`ks`, `chisquare`, `z`) or distances (`wasserstein`, `jensenshannon`). */
export type DriftMethod = 'ks' | 'chisquare' | 'z' | 'wasserstein' | 'jensenshannon';

/** Reference and current rows of one level of a category (or boolean) column. */
export interface LevelCount {
  /** The level's name (`false`/`true` for a boolean column). */
  readonly level: string;
  /** Reference rows with this level. */
  readonly reference: number;
  /** Current rows with this level. */
  readonly current: number;
}

/** Drift of one column: core's `FeatureDrift`, plus the level counts of a category or boolean column. */
export interface ColumnDrift extends FeatureDrift {
  /** Every level in code order with its counts; present when `columns` types the column `category` or `boolean`. */
  readonly levels?: readonly LevelCount[];
}

/** What {@link detectDrift} returns: core's `DriftReport`, whose features may carry level counts. */
export interface ColumnDriftReport extends DriftReport {
  /** One entry per feature, in column order. */
  readonly features: readonly ColumnDrift[];
}

/** Options of {@link detectDrift}. */
export interface DetectDriftOptions {
  /** One name per column, in column order. */
  readonly featureNames: readonly string[];
  /**
   * The raw input columns (a model's `signature.inputs`), in `featureNames` order. A `category` column holds
   * level codes and is compared by its level counts (chi-square up to 1,000 reference rows, Jensen–Shannon
   * above), never by KS or Wasserstein; a `boolean` one holds 0/1 and is compared as a binary column.
   * Both carry `levels` in the result. Other types are compared as numbers.
   */
  readonly columns?: readonly InputColumn[];
  /** Significance level of the statistical tests (default 0.05). */
  readonly alpha?: number;
  /** Distance from which a distance method calls drift (default 0.1, as Evidently). */
  readonly distanceThreshold?: number;
  /** Share of drifted columns at which the whole dataset counts as drifted (default 0.5). */
  readonly driftShare?: number;
  /** Method per column name, overriding the automatic choice. */
  readonly methods?: Readonly<Record<string, DriftMethod>>;
  /** Multiple-testing correction of the test p-values: Bonferroni or Benjamini–Hochberg (default none). */
  readonly correction?: 'bonferroni' | 'benjamini-hochberg';
}

function assertFraction(value: number, what: string): void {
  if (!(value > 0 && value <= 1)) throw new InvalidInputError(`${what} must be in (0, 1], got ${value}`);
}

/**
 * The automatic choice, as Evidently documents it: with a reference of ≤ 1,000 rows, KS for numeric
 * columns with > 5 distinct values, the Z-test for binary ones, chi-square for the rest; with more rows,
 * the Wasserstein distance normalised by the reference's standard deviation, or Jensen–Shannon.
 */
export function chooseDriftMethod(reference: ArrayLike<number>): DriftMethod {
  const seen = new Set<number>();
  for (let i = 0; i < reference.length && seen.size <= 5; i++) seen.add(reference[i]!);
  return methodFor(reference.length, seen.size);
}

function methodFor(rows: number, distinct: number): DriftMethod {
  if (rows <= 1000) return distinct > 5 ? 'ks' : distinct <= 2 ? 'z' : 'chisquare';
  return distinct > 5 ? 'wasserstein' : 'jensenshannon';
}

type Counts = ReadonlyMap<number, number>;

function countValues(values: ArrayLike<number>): Counts {
  const counts = new Map<number, number>();
  for (let i = 0; i < values.length; i++) counts.set(values[i]!, (counts.get(values[i]!) ?? 0) + 1);
  return counts;
}

/** Counts of both samples over their union of values, in ascending value order. */
function alignCounts(reference: Counts, current: Counts): [number[], number[]] {
  const categories = [...new Set([...reference.keys(), ...current.keys()])].sort((a, b) => a - b);
  return [categories.map((c) => reference.get(c) ?? 0), categories.map((c) => current.get(c) ?? 0)];
}

/** One column of each side: exact values, or a sketch. */
type Side = { readonly values: ArrayLike<number> } | { readonly sketch: FeatureSketch };

function rowsOf(side: Side): number {
  return 'values' in side ? side.values.length : side.sketch.count;
}

function countsOf(side: Side, method: DriftMethod, feature: string): Counts {
  if ('values' in side) return countValues(side.values);
  const counts = side.sketch.valueCounts;
  if (!counts) {
    throw new InvalidInputError(
      `${method} needs the value counts of "${feature}"; a sketch keeps them only for columns with at most 6 distinct values`,
      { columnName: feature },
    );
  }
  return counts;
}

function choose(side: Side): DriftMethod {
  if ('values' in side) return chooseDriftMethod(side.values);
  return methodFor(side.sketch.count, side.sketch.valueCounts?.size ?? Infinity);
}

/** The level names of a column compared by level counts: a category's levels, or `false`/`true`. */
function levelNamesOf(column: InputColumn | undefined): readonly string[] | undefined {
  if (column?.type === 'category') return column.levels;
  if (column?.type === 'boolean') return ['false', 'true'];
  return undefined;
}

/** One count per level (codes are indices into `levels`); a value that is no level's code is an error. */
function levelCountsOf(side: Side, levels: readonly string[], j: number, feature: string, what: string): number[] {
  const counts = new Array<number>(levels.length).fill(0);
  const isCode = (v: number) => Number.isInteger(v) && v >= 0 && v < levels.length;
  const expected = `expected the code of one of its ${levels.length} levels (0 to ${levels.length - 1})`;
  if ('values' in side) {
    for (let i = 0; i < side.values.length; i++) {
      const v = side.values[i]!;
      if (!isCode(v)) {
        throw new InvalidInputError(`${what} row ${i}, column ${j} (${feature}) is ${v}: ${expected}`, {
          row: i,
          column: j,
          columnName: feature,
        });
      }
      counts[v]!++;
    }
    return counts;
  }
  const valueCounts = side.sketch.valueCounts;
  if (!valueCounts) {
    throw new InvalidInputError(
      `the ${what} sketch of "${feature}" has more than 6 distinct values, so no level counts: ${expected}`,
      { column: j, columnName: feature },
    );
  }
  for (const [v, n] of valueCounts) {
    if (!isCode(v))
      throw new InvalidInputError(`${what} column ${j} (${feature}) holds ${v}: ${expected}`, {
        column: j,
        columnName: feature,
      });
    counts[v]! += n;
  }
  return counts;
}

/** The method of a column with levels: as asked (never on codes as numbers), else by Evidently's rule. */
function levelMethod(column: InputColumn, asked: DriftMethod | undefined, ref: Side): DriftMethod {
  if (asked === 'ks' || asked === 'wasserstein') {
    throw new InvalidInputError(
      `${asked} would compare the level codes of ${column.type} column "${column.name}" as numbers; use chisquare, z or jensenshannon`,
      { columnName: column.name },
    );
  }
  if (asked) return asked;
  if (rowsOf(ref) > 1000) return 'jensenshannon';
  return column.type === 'boolean' ? 'z' : 'chisquare';
}

function checkColumns(columns: readonly InputColumn[] | undefined, featureNames: readonly string[]): void {
  if (columns === undefined) return;
  if (!Array.isArray(columns) || columns.length !== featureNames.length) {
    throw new InvalidInputError(
      `columns must list one input column per feature (${featureNames.length}), got ${Array.isArray(columns) ? columns.length : typeof columns}`,
    );
  }
  columns.forEach((column: InputColumn | undefined, j) => {
    const name = featureNames[j]!;
    if (column?.name !== name) {
      throw new InvalidInputError(
        `columns[${j}] is "${String(column?.name)}", expected "${name}" (featureNames order)`,
        {
          column: j,
          columnName: name,
        },
      );
    }
    if (column.type === 'category' && !(Array.isArray(column.levels) && column.levels.length > 0))
      throw new InvalidInputError(`category column "${name}" has no levels`, { column: j, columnName: name });
  });
}

function referenceStd(side: Side): number {
  if ('sketch' in side) return Math.sqrt(side.sketch.variance);
  const values = side.values;
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i]!;
  mean /= values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i]! - mean) ** 2;
  return Math.sqrt(squares / values.length);
}

/** Both samples' counts over the categories either one has (a category empty in both is dropped). */
function tableOf(
  method: DriftMethod,
  ref: Side,
  cur: Side,
  feature: string,
  levelCounts: readonly [number[], number[]] | undefined,
): [number[], number[]] {
  if (!levelCounts) return alignCounts(countsOf(ref, method, feature), countsOf(cur, method, feature));
  const [r, c] = levelCounts;
  const seen = r.map((_, k) => k).filter((k) => r[k]! + c[k]! > 0);
  return [seen.map((k) => r[k]!), seen.map((k) => c[k]!)];
}

function measure(
  method: DriftMethod,
  ref: Side,
  cur: Side,
  feature: string,
  levelCounts?: readonly [number[], number[]],
): { statistic: number; pValue?: number } {
  switch (method) {
    case 'ks': {
      if ('values' in ref && 'values' in cur) {
        const { statistic, pValue } = ksTest(ref.values, cur.values);
        return { statistic, pValue };
      }
      const [a, b] = [(ref as { sketch: FeatureSketch }).sketch, (cur as { sketch: FeatureSketch }).sketch];
      const statistic = sketchKsStatistic(a, b);
      const [m, n] = a.count >= b.count ? [a.count, b.count] : [b.count, a.count];
      return {
        statistic,
        pValue: Math.min(1, Math.max(0, kolmogorovNSurvival(Math.round((m * n) / (m + n)), statistic))),
      };
    }
    case 'chisquare': {
      const [r, c] = tableOf(method, ref, cur, feature, levelCounts);
      return r.length < 2 ? { statistic: 0, pValue: 1 } : chiSquareTest(r, c);
    }
    case 'z': {
      const [r, c] = tableOf(method, ref, cur, feature, levelCounts);
      if (r.length > 2)
        throw new InvalidInputError(
          `the Z-test needs a binary column, "${feature}" has ${r.length} ${levelCounts ? 'levels' : 'values'}`,
          {
            columnName: feature,
          },
        );
      return zTestProportions(r[0]!, rowsOf(ref), c[0]!, rowsOf(cur));
    }
    case 'wasserstein': {
      const distance =
        'values' in ref && 'values' in cur
          ? wassersteinDistance(ref.values, cur.values)
          : sketchWassersteinDistance(
              (ref as { sketch: FeatureSketch }).sketch,
              (cur as { sketch: FeatureSketch }).sketch,
            );
      return { statistic: distance / Math.max(referenceStd(ref), 0.001) };
    }
    case 'jensenshannon': {
      const [r, c] = tableOf(method, ref, cur, feature, levelCounts);
      return { statistic: jensenShannonDistance(r, c) };
    }
  }
}

/** Both inputs as per-feature sides: exact columns, or sketches when either input is a sketch. */
function sidesOf(
  reference: DriftInput,
  current: DriftInput,
  featureNames: readonly string[],
): { ref: Side[]; cur: Side[]; mode: 'exact' | 'sketch' } {
  if (!(reference instanceof DatasetSketch) && !(current instanceof DatasetSketch)) {
    const ref = columnsOf(reference, featureNames, 'reference').map((values) => ({ values }));
    const cur = columnsOf(current, featureNames, 'current').map((values) => ({ values }));
    return { ref, cur, mode: 'exact' };
  }
  const template = (reference instanceof DatasetSketch ? reference : current) as DatasetSketch;
  const options = {
    relativeAccuracy: template.features[0]!.relativeAccuracy,
    maxBuckets: template.features[0]!.maxBuckets,
  };
  const asSketch = (input: DriftInput, what: string): DatasetSketch => {
    if (!(input instanceof DatasetSketch)) return new DatasetSketch(featureNames, options).add(input);
    if (JSON.stringify(input.featureNames) !== JSON.stringify(featureNames)) {
      throw new InvalidInputError(
        `the ${what} sketch has features [${input.featureNames}], expected [${featureNames}]`,
      );
    }
    if (input.rows === 0) throw new InvalidInputError(`the ${what} sketch is empty`);
    return input;
  };
  const ref = asSketch(reference, 'reference').features.map((sketch) => ({ sketch }));
  const cur = asSketch(current, 'current').features.map((sketch) => ({ sketch }));
  return { ref, cur, mode: 'sketch' };
}

/** p-values adjusted for testing many columns at once. */
function correct(pValues: number[], correction: DetectDriftOptions['correction']): number[] {
  const m = pValues.length;
  if (!correction || m === 0) return pValues;
  if (correction === 'bonferroni') return pValues.map((p) => Math.min(1, p * m));
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const [p, i] = order[k]!;
    running = Math.min(running, (p * m) / (k + 1));
    adjusted[i] = running;
  }
  return adjusted;
}

/**
 * Per-feature drift between a reference sample (e.g. training data) and a current one (e.g. last
 * day's requests), each column with the method {@link chooseDriftMethod} picks (or `methods` names),
 * and the dataset verdict: drift when the share of drifted columns reaches `driftShare`.
 * Each side may be rows, columns keyed by feature name, or a `DatasetSketch`; with a sketch on either
 * side the comparison runs on sketches (`mode: 'sketch'`, KS p-values asymptotic; see `FeatureSketch`
 * for the error bound). With `columns`, category and boolean columns are compared by their level counts and
 * carry them as `levels` (see {@link DetectDriftOptions.columns}).
 */
export function detectDrift(
  reference: DriftInput,
  current: DriftInput,
  options: DetectDriftOptions,
): ColumnDriftReport {
  const alpha = options.alpha ?? 0.05;
  const distanceThreshold = options.distanceThreshold ?? 0.1;
  const driftShare = options.driftShare ?? 0.5;
  assertFraction(alpha, 'alpha');
  assertFraction(driftShare, 'driftShare');
  if (!(distanceThreshold > 0)) throw new InvalidInputError(`distanceThreshold must be > 0, got ${distanceThreshold}`);
  const columns = options.featureNames.length;
  if (columns === 0) throw new InvalidInputError('featureNames is empty');
  for (const name of Object.keys(options.methods ?? {})) {
    if (!options.featureNames.includes(name))
      throw new InvalidInputError(`methods names "${name}", which is not a feature`, { columnName: name });
  }
  checkColumns(options.columns, options.featureNames);
  const { ref, cur, mode } = sidesOf(reference, current, options.featureNames);
  const measured = options.featureNames.map((feature, j) => {
    const column = options.columns?.[j];
    const levels = levelNamesOf(column);
    if (!column || !levels) {
      const method = options.methods?.[feature] ?? choose(ref[j]!);
      return { feature, method, ...measure(method, ref[j]!, cur[j]!, feature) };
    }
    const method = levelMethod(column, options.methods?.[feature], ref[j]!);
    const counts = [
      levelCountsOf(ref[j]!, levels, j, feature, 'reference'),
      levelCountsOf(cur[j]!, levels, j, feature, 'current'),
    ] as const;
    const levelCounts = levels.map((level, k) => ({ level, reference: counts[0][k]!, current: counts[1][k]! }));
    return { feature, method, levels: levelCounts, ...measure(method, ref[j]!, cur[j]!, feature, counts) };
  });
  const tested = measured.filter((m) => m.pValue !== undefined);
  const adjusted = correct(
    tested.map((m) => m.pValue!),
    options.correction,
  );
  const features: ColumnDrift[] = measured.map((m) => {
    const levels = 'levels' in m ? { levels: m.levels } : {};
    if (m.pValue === undefined) {
      return {
        feature: m.feature,
        test: m.method,
        statistic: m.statistic,
        threshold: distanceThreshold,
        drifted: m.statistic >= distanceThreshold,
        ...levels,
      };
    }
    const pValue = adjusted[tested.indexOf(m)]!;
    return {
      feature: m.feature,
      test: m.method,
      statistic: m.statistic,
      pValue,
      threshold: alpha,
      drifted: pValue < alpha,
      ...levels,
    };
  });
  const driftedCount = features.filter((f) => f.drifted).length;
  const driftedShare = driftedCount / columns;
  return {
    features,
    driftedCount,
    driftedShare,
    datasetDrift: driftedShare >= driftShare,
    referenceRows: rowsOf(ref[0]!),
    currentRows: rowsOf(cur[0]!),
    mode,
  };
}
