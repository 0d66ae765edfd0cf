import type { JsonObject } from '@mlops/core';

/** The trainer factories of this package that a worker thread can call again (see `model-selection/search-worker`). */
export type TrainerFactoryName =
  | 'randomForestClassifier'
  | 'randomForestRegressor'
  | 'gradientBoostingClassifier'
  | 'gradientBoostingRegressor'
  | 'logisticRegression'
  | 'decisionTreeClassifier'
  | 'decisionTreeRegressor';

/** How to make a trainer again elsewhere: its factory and the defaults it was made with. */
export interface TrainerRecipe {
  readonly factory: TrainerFactoryName;
  readonly defaults: JsonObject;
}

const recipes = new WeakMap<object, TrainerRecipe>();

/** `trainer`, remembered as made by `factory` with `defaults` (a search may then fit it on worker threads). */
export function withRecipe<T extends object>(trainer: T, factory: TrainerFactoryName, defaults: object): T {
  recipes.set(trainer, { factory, defaults: structuredClone(defaults) as JsonObject });
  return trainer;
}

/** How `trainer` was made, when it is one of this package's. */
export function recipeOf(trainer: object): TrainerRecipe | undefined {
  return recipes.get(trainer);
}
