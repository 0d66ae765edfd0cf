import {
  createDataset,
  type Dataset,
  type DatasetStore,
  InvalidInputError,
  type JsonObject,
  type JsonValue,
  type Model,
  type ModelStore,
  type ModelVersion,
  RandomState,
  type Trainer,
} from '@mlops/core';
import { recipeOf, type TrainerRecipe } from '../shared/recipes';
import { resolveJobs, startWorker } from '../shared/workers';
import { defaultScore, foldsOf, rowsOf, summarize } from './cross-validate';
import type { SearchAnswer, SearchError, SearchTask, SearchWorkerData } from './search-worker';

/** One candidate of a search: its parameters and cross-validated scores. */
export interface SearchCandidate<Params extends JsonObject> {
  readonly params: Partial<Params>;
  /** Score of each fold. */
  readonly scores: number[];
  readonly mean: number;
  readonly std: number;
  /** 1 for the best mean (ties share a rank, as scikit-learn's `rank_test_score`). */
  readonly rank: number;
}

/** What a search found: every candidate, the best, and the best refitted on all rows. */
export interface SearchResult<Params extends JsonObject, M extends Model> {
  readonly candidates: SearchCandidate<Params>[];
  /** The first candidate of rank 1. */
  readonly best: SearchCandidate<Params>;
  /** The best parameters fitted on every row (scikit-learn's `refit=True`). */
  readonly model: M;
  /** The registered version, when `register` was given. */
  readonly version?: ModelVersion;
}

/** Options shared by {@link gridSearch} and {@link randomSearch}. */
export interface SearchOptions {
  /** Folds (default 5; stratified for datasets with classes, as scikit-learn). */
  readonly folds?: number;
  /** Shuffle rows before folding with this seed (default: contiguous folds, as scikit-learn's default). */
  readonly seed?: number;
  /** Score of a fitted model on a test part (default: accuracy, or R² for regression). */
  readonly score?: (model: Model, test: Dataset) => number;
  /**
   * Worker threads fitting (candidate, fold) pairs at once (default 1). It takes a trainer made by this package's
   * factories and the default score (a function cannot cross threads); otherwise the search runs in this thread.
   * Whatever this is, the scores, the best candidate and the model are the same.
   */
  readonly nJobs?: number;
  /**
   * Register the refitted best model as a version of `name`, with the searched rows as its dataset lineage, its
   * cross-validated score as metrics (`cvMean`, `cvStd`) and the whole search in its tags and description.
   */
  readonly register?: {
    readonly registry: Pick<ModelStore, 'register'> & { readonly datasets: Pick<DatasetStore, 'register'> };
    readonly name: string;
    readonly datasetName?: string;
  };
}

/** A parameter's values to draw from: a list, or a range (`log` draws uniformly on a log scale; `integer` rounds). */
export type SearchDistribution =
  | readonly JsonValue[]
  | { readonly min: number; readonly max: number; readonly log?: boolean; readonly integer?: boolean };

/** Every combination of the grid's values, in scikit-learn's `ParameterGrid` order (keys sorted, last varies fastest). */
export function parameterGrid<Params extends JsonObject>(
  grid: {
    readonly [K in keyof Params]?: readonly Params[K][];
  },
): Partial<Params>[] {
  const keys = Object.keys(grid).sort() as (keyof Params & string)[];
  for (const key of keys)
    if (!Array.isArray(grid[key]) || grid[key]!.length === 0)
      throw new InvalidInputError(`grid parameter "${key}" needs a non-empty list of values`);
  let combos: Partial<Params>[] = [{}];
  for (const key of keys)
    combos = combos.flatMap((combo) => grid[key]!.map((value) => ({ ...combo, [key]: value }) as Partial<Params>));
  return combos;
}

async function search<Params extends JsonObject, M extends Model>(
  trainer: Trainer<Params, M>,
  dataset: Dataset,
  candidates: Partial<Params>[],
  kind: 'grid' | 'random',
  options: SearchOptions,
): Promise<SearchResult<Params, M>> {
  const data = createDataset(dataset, { allowMissing: true }); // the trainer decides whether it takes missing values
  const jobs = resolveJobs(options.nJobs, 1);
  const folds = foldsOf(data, options);
  const recipe = recipeOf(trainer);
  let scores: number[];
  if (jobs > 1 && recipe && !options.score) {
    const tasks = candidates.flatMap((params, c) =>
      folds.map(
        (fold, f): SearchTask => ({
          id: c * folds.length + f,
          params: params as JsonObject,
          train: fold.train,
          test: fold.test,
        }),
      ),
    );
    scores = await inWorkers(recipe, data, tasks, jobs);
  } else {
    scores = [];
    const score = options.score ?? defaultScore(data);
    for (const params of candidates) {
      for (const fold of folds) {
        const model = await trainer.fit(rowsOf(data, fold.train), params);
        scores.push(score(model, rowsOf(data, fold.test)));
      }
    }
  }
  const scored = candidates.map((params, c) => {
    const own = scores.slice(c * folds.length, (c + 1) * folds.length);
    return { params, scores: own, ...summarize(own) };
  });
  const ranked = scored.map((c) => ({ ...c, rank: 1 + scored.filter((o) => o.mean > c.mean).length }));
  const best = ranked.find((c) => c.rank === 1)!;
  const model = await trainer.fit(data, best.params);
  if (!options.register) return { candidates: ranked, best, model };
  const { registry, name, datasetName } = options.register;
  const snapshot = await registry.datasets.register(datasetName ?? `${name}-search`, {
    dataset: data,
    description: `rows ${kind} search of ${trainer.name} cross-validated on`,
  });
  const lines = ranked
    .slice()
    .sort((a, b) => a.rank - b.rank)
    .map((c) => `#${c.rank} ${c.mean.toFixed(4)} ± ${c.std.toFixed(4)} ${JSON.stringify(c.params)}`);
  const version = await registry.register(name, {
    artifact: model.toArtifact(),
    metrics: { cvMean: best.mean, cvStd: best.std },
    dataset: snapshot,
    tags: {
      trainer: trainer.name,
      search: kind,
      searchCandidates: String(ranked.length),
      searchFolds: String(options.folds ?? 5),
      searchBest: JSON.stringify(best.params),
    },
    description: `${kind} search of ${trainer.name}, ${ranked.length} candidates by ${options.folds ?? 5}-fold cross-validation:\n${lines.join('\n')}`,
  });
  return { candidates: ranked, best, model, version };
}

/** The error a worker's fit threw, as this thread throws it (input errors keep their class and location). */
function rethrown(error: SearchError): Error {
  if (error.name !== 'InvalidInputError' && error.name !== 'InvalidNameError') return new Error(error.message);
  const { row, column, columnName } = error;
  return new InvalidInputError(error.message, {
    ...(row === undefined ? {} : { row }),
    ...(column === undefined ? {} : { column }),
    ...(columnName === undefined ? {} : { columnName }),
  });
}

/**
 * Runs every task on up to `jobs` worker threads (each rebuilds the trainer from its recipe and holds one copy of the
 * rows), a task at a time per worker as they finish. Scores come back in task order; when fits fail, the error of the
 * first failing task (in order) is thrown, whichever thread met it first.
 */
function inWorkers(
  recipe: TrainerRecipe,
  dataset: Dataset,
  tasks: readonly SearchTask[],
  jobs: number,
): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const scores = new Array<number>(tasks.length);
    const errors = new Map<number, SearchError>();
    let next = 0;
    let answered = 0;
    let stopped = false;
    const data: SearchWorkerData = { dataset, recipe };
    const workers = Array.from({ length: Math.min(jobs, tasks.length) }, () => startWorker('search-worker', data));
    const stop = (error?: Error) => {
      if (stopped) return;
      stopped = true;
      for (const worker of workers) void worker.terminate();
      if (error) reject(error);
      else if (errors.size > 0) reject(rethrown(errors.get(Math.min(...errors.keys()))!));
      else resolve(scores);
    };
    for (const worker of workers) {
      const give = () => {
        if (next < tasks.length) worker.postMessage(tasks[next++]);
      };
      worker.on('message', (answer: SearchAnswer) => {
        if ('error' in answer) errors.set(answer.id, answer.error);
        else scores[answer.id] = answer.score;
        answered++;
        if (answered === tasks.length) stop();
        else give();
      });
      worker.on('error', (error) => stop(error));
      worker.on('exit', (code) => {
        if (answered < tasks.length)
          stop(new Error(`a search worker exited with code ${code} before its fits were done`));
      });
      give();
    }
  });
}

/**
 * Cross-validates every combination of `grid` (scikit-learn's `GridSearchCV`: same fold assignment, ranks, refit of
 * the best on all rows) and, with `register`, registers the best with its search as lineage. With `nJobs`, the
 * (candidate, fold) fits run on worker threads; otherwise one after another (a trainer's own `nJobs` parallelises each).
 */
export function gridSearch<Params extends JsonObject, M extends Model>(
  trainer: Trainer<Params, M>,
  dataset: Dataset,
  grid: { readonly [K in keyof Params]?: readonly Params[K][] },
  options: SearchOptions = {},
): Promise<SearchResult<Params, M>> {
  return search(trainer, dataset, parameterGrid<Params>(grid), 'grid', options);
}

/**
 * Cross-validates `iterations` parameter sets drawn from `space` with `drawSeed` (scikit-learn's
 * `RandomizedSearchCV`): lists are drawn uniformly, ranges uniformly (or log-uniformly). Same seed, same candidates.
 */
export function randomSearch<Params extends JsonObject, M extends Model>(
  trainer: Trainer<Params, M>,
  dataset: Dataset,
  space: { readonly [K in keyof Params]?: SearchDistribution },
  options: SearchOptions & { readonly iterations: number; readonly drawSeed?: number },
): Promise<SearchResult<Params, M>> {
  if (!(Number.isInteger(options.iterations) && options.iterations >= 1))
    throw new InvalidInputError(`randomSearch iterations must be a whole number ≥ 1, got ${options.iterations}`);
  const random = new RandomState(options.drawSeed ?? 0);
  const keys = Object.keys(space).sort();
  const draw = (key: string, d: SearchDistribution): JsonValue => {
    if (Array.isArray(d)) {
      if (d.length === 0) throw new InvalidInputError(`search parameter "${key}" needs a non-empty list`);
      return d[Math.floor(random.random() * d.length)]!;
    }
    const range = d as Exclude<SearchDistribution, readonly JsonValue[]>;
    if (!(range.min <= range.max) || (range.log && !(range.min > 0)))
      throw new InvalidInputError(`search parameter "${key}" needs min ≤ max${range.log ? ', both positive' : ''}`);
    const u = random.random();
    const value = range.log
      ? Math.exp(Math.log(range.min) + u * (Math.log(range.max) - Math.log(range.min)))
      : range.min + u * (range.max - range.min);
    return range.integer ? Math.round(value) : value;
  };
  const candidates = Array.from(
    { length: options.iterations },
    () => Object.fromEntries(keys.map((key) => [key, draw(key, space[key as keyof Params]!)])) as Partial<Params>,
  );
  return search(trainer, dataset, candidates, 'random', options);
}
