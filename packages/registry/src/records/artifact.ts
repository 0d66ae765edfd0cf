import { describeInputsProblem } from '@mlops/core';
import { findJsonProblem } from '../json/json-safety';
import { isRecord, isStringArray } from './shape';

/** Why `value` is not a structurally valid `ModelArtifact` (from `@mlops/core`), or `undefined` when it is. */
export function describeArtifactProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'an artifact must be an object';
  if (typeof value.format !== 'string' || value.format === '') return '"format" must be a non-empty string';
  if (typeof value.formatVersion !== 'number' || !Number.isSafeInteger(value.formatVersion)) {
    return '"formatVersion" must be an integer';
  }
  if (!isStringArray(value.featureNames)) return '"featureNames" must be an array of strings';
  if (value.classNames !== undefined && !isStringArray(value.classNames))
    return '"classNames" must be an array of strings';
  if (!isRecord(value.params)) return '"params" must be an object';
  if (value.inputs !== undefined) {
    const problem = describeInputsProblem(value.inputs);
    if (problem) return `"inputs": ${problem}`;
    const names = (value.inputs as { name: string }[]).map((c) => c.name);
    if (JSON.stringify(names) !== JSON.stringify(value.featureNames))
      return '"inputs" must name the columns of "featureNames", in order';
  }
  if (value.payload === undefined) return '"payload" is missing';
  return undefined;
}

/**
 * Like {@link describeArtifactProblem}, and also requires plain JSON throughout (checked before storing):
 * each field (`params`, `payload`, …) at most `MAX_JSON_DEPTH` levels deep, no U+0000 in any string.
 */
export function describeStorableArtifactProblem(value: unknown): string | undefined {
  return describeArtifactProblem(value) ?? findJsonProblem(value, 'artifact', 0);
}
