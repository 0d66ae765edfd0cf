import { createRequire } from 'node:module';
import type * as MlRandomForest from 'ml-random-forest';

let loaded: typeof MlRandomForest | undefined;

/** ml-random-forest, loaded on first use: apps that use only this package's own forest never load or bundle it. */
export function loadMlRandomForest(): typeof MlRandomForest {
  loaded ??= createRequire(import.meta.url)('ml-random-forest') as typeof MlRandomForest;
  return loaded;
}
