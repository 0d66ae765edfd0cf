import { InvalidInputError, LIFECYCLE_ACTIONS, LIFECYCLE_TRIGGERS, type DecisionRecord } from '@mlops/core';
import { findJsonProblem, findMapTextProblem, findTextProblem } from '../json/json-safety';
import { assertValidName } from '../names/names';
import { isFiniteNumberMap, isPositiveInteger, isRecord, isTimestamp } from './shape';

const TRIGGERS: ReadonlySet<string> = new Set(LIFECYCLE_TRIGGERS);
const ACTIONS: ReadonlySet<string> = new Set(LIFECYCLE_ACTIONS);
const PHASES = new Set(['started', 'registered', 'done']);

function describeDataRef(value: unknown, at: string): string | undefined {
  if (
    !isRecord(value) ||
    typeof value.name !== 'string' ||
    !isPositiveInteger(value.version) ||
    typeof value.fingerprint !== 'string'
  ) {
    return `"${at}" must be { name, version, fingerprint }`;
  }
  return undefined;
}

/** Why a value is not a valid decision record, or `undefined`. */
export function describeDecisionProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'the record must be an object';
  if (typeof value.runId !== 'string' || value.runId === '') return '"runId" must be a non-empty string';
  if (!PHASES.has(value.phase as string)) return '"phase" must be started, registered or done';
  if (!isTimestamp(value.at)) return '"at" must be an ISO 8601 timestamp';
  if (typeof value.model !== 'string' || value.model === '') return '"model" must be a non-empty string';
  if (!TRIGGERS.has(value.trigger as string)) return '"trigger" is not a lifecycle trigger';
  if (
    value.triggers !== undefined &&
    (!Array.isArray(value.triggers) || !value.triggers.every((t) => TRIGGERS.has(t as string)))
  )
    return '"triggers" must be a list of lifecycle triggers';
  if (
    value.batch !== undefined &&
    (describeDataRef(value.batch, 'batch') !== undefined ||
      !/^[0-9a-f]{64}$/.test((value.batch as { fingerprint: string }).fingerprint) ||
      !isPositiveInteger((value.batch as { rows?: unknown }).rows))
  )
    return '"batch" must be { name, version, fingerprint (sha256 hex), rows }';
  if (value.action !== undefined && !ACTIONS.has(value.action as string)) return '"action" is not a lifecycle action';
  if (value.reason !== undefined && typeof value.reason !== 'string') return '"reason" must be a string';
  for (const key of ['championVersion', 'challengerVersion', 'productionVersion'] as const) {
    if (value[key] !== undefined && !isPositiveInteger(value[key])) return `"${key}" must be a positive integer`;
  }
  for (const key of ['training', 'holdout'] as const) {
    if (value[key] !== undefined) {
      const problem = describeDataRef(value[key], key);
      if (problem) return problem;
    }
  }
  if (value.source !== undefined && typeof value.source !== 'string') return '"source" must be a string';
  if (value.metrics !== undefined && !isFiniteNumberMap(value.metrics))
    return '"metrics" must map names to finite numbers';
  return undefined;
}

/**
 * A validated copy of a decision record to append (so nothing else of the caller's object is stored),
 * for a record {@link describeDecisionProblem} accepts. Input rules on top of that (`InvalidInputError`):
 * plain JSON no deeper than `MAX_JSON_DEPTH` without U+0000; run id, reason, source and metric names
 * without control characters but tab, line feed and carriage return; dataset refs naming valid datasets.
 */
export function checkedDecision(record: DecisionRecord): DecisionRecord {
  const cannot = 'cannot record a decision';
  const problem =
    findJsonProblem(record, 'decision', 0) ??
    findTextProblem(record.runId, 'runId') ??
    findTextProblem(record.reason, 'reason') ??
    findTextProblem(record.source, 'source') ??
    findMapTextProblem(record.metrics, 'metrics');
  if (problem) throw new InvalidInputError(`${cannot}: ${problem}`, { name: record.model });
  for (const ref of [record.training, record.holdout, record.batch])
    if (ref !== undefined) assertValidName(ref.name, 'dataset');
  return JSON.parse(JSON.stringify(record)) as DecisionRecord;
}
