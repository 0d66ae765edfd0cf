import { InvalidInputError } from '../errors/errors';

/** Share of positions where `predicted[i] === actual[i]`. Both must be non-empty and equally long. */
export function accuracyScore(actual: readonly number[], predicted: readonly number[]): number {
  if (actual.length !== predicted.length) {
    throw new InvalidInputError(
      `accuracy needs equal lengths: ${actual.length} actual vs ${predicted.length} predicted`,
    );
  }
  if (actual.length === 0) throw new InvalidInputError('accuracy of zero rows is undefined');
  let hits = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i] === predicted[i]) hits++;
  return hits / actual.length;
}
