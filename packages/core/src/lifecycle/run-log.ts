import type { DecisionRecord, LifecycleTrigger } from '../contracts/decision-log';

// What the lifecycle reads back from its decision log: pure functions over a model's records, oldest first.

/** The tag naming the run that registered a challenger. */
export const RUN_TAG = 'lifecycleRun';
/** Tags a run sets on its challenger; every other tag of the champion carries over. */
export const RUN_TAGS: ReadonlySet<string> = new Set([RUN_TAG, 'trigger', 'trainer']);

/** What a run records about why it ran: its triggers, and the batch and its source when there is one. */
export type RunFacts = {
  readonly trigger: LifecycleTrigger;
  readonly triggers?: readonly LifecycleTrigger[];
  readonly source?: string;
  readonly batch?: DecisionRecord['batch'];
};

/** The run facts a `started` record holds. */
export function factsOf(record: DecisionRecord): RunFacts {
  return {
    trigger: record.trigger,
    ...(record.triggers === undefined ? {} : { triggers: record.triggers }),
    ...(record.source === undefined ? {} : { source: record.source }),
    ...(record.batch === undefined ? {} : { batch: record.batch }),
  };
}

/** The `done` run that already ingested these rows (same content, by fingerprint), if any. */
export function ingestedBy(history: readonly DecisionRecord[], batchFingerprint: string): DecisionRecord | undefined {
  return history.find((r) => r.phase === 'done' && r.action !== 'skipped' && r.batch?.fingerprint === batchFingerprint);
}

/** The last run without `done` (a crash or an error interrupted it) and the challenger it registered, if any. */
export function openRun(
  history: readonly DecisionRecord[],
): { readonly started: DecisionRecord; readonly registered?: number } | undefined {
  const done = new Set(history.filter((r) => r.phase === 'done').map((r) => r.runId));
  const open = history.filter((r) => r.phase !== 'done' && !done.has(r.runId));
  const started = open.findLast((r) => r.phase === 'started');
  if (!started) return undefined;
  const registered = open.find((r) => r.runId === started.runId && r.phase === 'registered')?.challengerVersion;
  return { started, ...(registered === undefined ? {} : { registered }) };
}

/**
 * Where the training data and the evaluation set stand, as dataset versions: those of the last run that recorded
 * them (`undefined`: the lifecycle's reference and initial holdout), then the batches of the decisions since that
 * kept production (their rows are split between the two).
 */
export function trainingParts(history: readonly DecisionRecord[]): {
  readonly base: DecisionRecord['training'];
  readonly evaluation: DecisionRecord['holdout'];
  readonly batches: readonly NonNullable<DecisionRecord['batch']>[];
} {
  const last = history.findLastIndex((r) => r.phase === 'started' && r.training !== undefined);
  return {
    base: last >= 0 ? history[last]!.training : undefined,
    evaluation: last >= 0 ? history[last]!.holdout : undefined,
    batches: history
      .slice(last + 1)
      .flatMap((r) => (r.phase === 'done' && r.action === 'kept' && r.batch ? [r.batch] : [])),
  };
}
