import { lazyModule } from '@mlops/core/internal';
import type * as MlRandomForest from 'ml-random-forest';

/** ml-random-forest, loaded on first use: apps that use only this package's own forest never load or bundle it. */
export const loadMlRandomForest = lazyModule<typeof MlRandomForest>(import.meta.url, 'ml-random-forest');
