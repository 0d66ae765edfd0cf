import type { ModelCodec } from '@mlops/core';
import { mlRandomForestCodec } from './ml-random-forest/codec';
import { randomForestCodec } from './random-forest/codec';

/** Every codec of this package (its own forests and trees, and wrapped ml-random-forest models), for `loadModel`/`decodeModel`. */
export const codecs: readonly ModelCodec[] = Object.freeze([randomForestCodec, mlRandomForestCodec]);
