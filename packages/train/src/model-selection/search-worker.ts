// Worker-thread entry of a parallel search: fits one (candidate, fold) at a time with a trainer rebuilt from its
// recipe, and answers with the fold's default score.
import type { Dataset, JsonObject, Model } from '@mlops/core';
import { parentPort, workerData } from 'node:worker_threads';
import { gradientBoostingClassifier, gradientBoostingRegressor } from '../boosting/gradient-boosting';
import { logisticRegression } from '../linear/logistic-regression';
import { decisionTreeClassifier, decisionTreeRegressor } from '../random-forest/decision-tree';
import { randomForestClassifier } from '../random-forest/random-forest-classifier';
import { randomForestRegressor } from '../random-forest/random-forest-regressor';
import type { TrainerFactoryName, TrainerRecipe } from '../shared/recipes';
import { defaultScore, rowsOf } from './cross-validate';

/** What a search worker is started with. */
export interface SearchWorkerData {
  readonly dataset: Dataset;
  readonly recipe: TrainerRecipe;
}

/** One fit: candidate `params` on rows `train`, scored on rows `test`. */
export interface SearchTask {
  readonly id: number;
  readonly params: JsonObject;
  readonly train: readonly number[];
  readonly test: readonly number[];
}

/** An error a fit threw, as it crosses threads: its class name, message and where in the rows it points. */
export interface SearchError {
  readonly name: string;
  readonly message: string;
  readonly row?: number;
  readonly column?: number;
  readonly columnName?: string;
}

/** A task's answer: its score, or the error the fit threw. */
export type SearchAnswer =
  | { readonly id: number; readonly score: number }
  | { readonly id: number; readonly error: SearchError };

// One thread per worker: the pool is the parallelism.
const FACTORIES: Record<TrainerFactoryName, (defaults: JsonObject) => { fit: SearchFit }> = {
  randomForestClassifier: (d) => randomForestClassifier(d, { nJobs: 1 }),
  randomForestRegressor: (d) => randomForestRegressor(d, { nJobs: 1 }),
  gradientBoostingClassifier: (d) => gradientBoostingClassifier(d, { nJobs: 1 }),
  gradientBoostingRegressor: (d) => gradientBoostingRegressor(d, { nJobs: 1 }),
  logisticRegression: (d) => logisticRegression(d),
  decisionTreeClassifier: (d) => decisionTreeClassifier(d),
  decisionTreeRegressor: (d) => decisionTreeRegressor(d),
};
type SearchFit = (dataset: Dataset, params: JsonObject) => Promise<Model>;

const { dataset, recipe } = workerData as SearchWorkerData;
const trainer = FACTORIES[recipe.factory](recipe.defaults);
const score = defaultScore(dataset);
parentPort!.on('message', async (task: SearchTask) => {
  let answer: SearchAnswer;
  try {
    const model = await trainer.fit(rowsOf(dataset, task.train), task.params);
    answer = { id: task.id, score: score(model, rowsOf(dataset, task.test)) };
  } catch (error) {
    const { name, message, row, column, columnName } = error as Error & Omit<SearchError, 'name' | 'message'>;
    answer = { id: task.id, error: { name, message, row, column, columnName } };
  }
  parentPort!.postMessage(answer);
});
