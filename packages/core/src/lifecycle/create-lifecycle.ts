import { randomUUID } from 'node:crypto';
import type { Dataset } from '../contracts/dataset';
import type { DatasetVersion } from '../contracts/dataset-store';
import type { DecisionRecord, LifecycleAction, LifecycleTrigger } from '../contracts/decision-log';
import type { JsonObject } from '../contracts/json';
import type { Model, ModelCodec } from '../contracts/model';
import type { Registry } from '../contracts/registry';
import type { Trainer } from '../contracts/trainer';
import { ConflictError, InvalidInputError } from '../errors/errors';
import { systemClock, type Clock } from '../schedule/clock';
import { DAY_MS, schedule, type ScheduledTask } from '../schedule/schedule';
import { decodeModel } from '../validation/decode-model';
import { concatDatasets } from '../validation/dataset';
import { accuracyScore } from '../validation/metrics';
import { fingerprint } from '../fingerprint/fingerprint';
import { EventStream } from './events';

/** When the lifecycle retrains, and what a challenger must do to be promoted. */
export interface LifecyclePolicy {
  /** Accuracy under which the champion is replaced if it can be (default 0.85, as the reference loop). */
  readonly threshold?: number;
  /** How much better than the champion, on the holdout, a challenger must be (default 0: strictly better). */
  readonly minImprovement?: number;
  /** The alias that serves production (default `production`). */
  readonly alias?: string;
  /** Retrain whenever labelled data arrives, even when accuracy holds and nothing drifted (default false). */
  readonly retrainOnNewData?: boolean;
  /** Retrain when `detectDrift` reports drift in a new batch (default true). */
  readonly retrainOnDrift?: boolean;
  /** Period of the scheduled evaluation started by `start()` (default one day). */
  readonly evaluateEveryMs?: number;
}

/** The part of a {@link Registry} the lifecycle uses: any `Registry` (both backends, `MemoryRegistry`) is one. */
export type LifecycleRegistry = Omit<Registry, 'searchVersions' | 'verify' | 'close'>;

/** Options of {@link createLifecycle}. */
export interface LifecycleOptions<Params extends JsonObject = JsonObject> {
  readonly modelName: string;
  readonly trainer: Trainer<Params>;
  /** Codecs to load champions with. */
  readonly codecs: readonly ModelCodec[];
  /**
   * The registry: versions are registered and aliased in it, training and holdout snapshots versioned in its
   * `datasets` (what an interrupted run resumes from) and every decision recorded in its `decisions`. The caller
   * owns it (the lifecycle never closes it).
   */
  readonly registry: LifecycleRegistry;
  /** Data the first model is trained on; new batches are added to it. */
  readonly reference: Dataset;
  /** Labelled data the champion and challengers are compared on. */
  readonly holdout: Dataset;
  readonly params?: Partial<Params>;
  readonly policy?: LifecyclePolicy;
  /** Drift test of a new batch against the champion's training data (e.g. `detectDrift` from @mlops/monitor). */
  readonly detectDrift?: (reference: Dataset, current: Dataset) => boolean | { readonly datasetDrift: boolean };
  /** Clock for times and the scheduled evaluation (default the system clock). */
  readonly clock?: Clock;
  /** Run ids (default `crypto.randomUUID`). */
  readonly newRunId?: () => string;
}

/** What one lifecycle run decided, as plain data. */
export interface LifecycleDecision {
  readonly runId: string;
  readonly trigger: LifecycleTrigger;
  readonly action: LifecycleAction;
  readonly reason: string;
  readonly championVersion?: number;
  readonly challengerVersion?: number;
  readonly productionVersion?: number;
  readonly metrics: Readonly<Record<string, number>>;
  readonly decidedAt: string;
}

/** Everything the lifecycle tells its listeners. */
export type LifecycleEvent =
  | {
      readonly type: 'run-started';
      readonly runId: string;
      readonly trigger: LifecycleTrigger;
      /** Rows of the training data the run retrains on. */
      readonly trainingRows: number;
      readonly resumed: boolean;
    }
  | { readonly type: 'challenger-registered'; readonly runId: string; readonly version: number }
  | { readonly type: 'decision'; readonly decision: LifecycleDecision }
  | { readonly type: 'error'; readonly error: unknown };

/** A model's automated lifecycle. */
export interface Lifecycle {
  /** Trains and promotes a first model when the alias does not exist yet; otherwise keeps it. */
  bootstrap(): Promise<LifecycleDecision>;
  /**
   * New labelled data arrived: scores the champion on it, adds it to the training data, and retrains when
   * accuracy is under the threshold, the batch drifted, or the policy retrains on every batch.
   */
  ingest(batch: Dataset, options?: { readonly source?: string }): Promise<LifecycleDecision>;
  /** Scores the champion on labelled data (a scheduled check; feed new rows with `ingest`) and retrains if accuracy is under the threshold. */
  evaluate(labelled: Dataset): Promise<LifecycleDecision>;
  /** Moves the alias back to the previous production version (the registry's rollback) and records it. */
  rollback(reason?: string): Promise<LifecycleDecision>;
  /** Finishes a run a crash interrupted (without registering twice); `undefined` when none is pending. */
  resume(): Promise<LifecycleDecision | undefined>;
  /** Evaluates on `labelled()` every `evaluateEveryMs` (daily by default); skips when it returns nothing. */
  start(labelled: () => Promise<Dataset | undefined> | Dataset | undefined): ScheduledTask;
  /** Subscribes to events; returns an unsubscribe function. */
  on(listener: (event: LifecycleEvent) => void): () => void;
  /** Events as an async iterator. */
  events(): AsyncIterableIterator<LifecycleEvent>;
  /** The decision log of this model, oldest first. */
  history(): Promise<DecisionRecord[]>;
  /**
   * Training data the next challenger would be trained on: the last run's training data and the batches kept since,
   * read back from the registry (so a new process over the same registry continues where the last one stopped).
   */
  trainingData(): Promise<Dataset>;
}

const round = (x: number) => x.toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
const RUN_TAG = 'lifecycleRun';
/** Tags a run sets on its challenger; every other tag of the champion carries over. */
const RUN_TAGS: ReadonlySet<string> = new Set([RUN_TAG, 'trigger', 'trainer']);

/** What a run records about why it ran: its triggers, and the batch and its source when there is one. */
type RunFacts = {
  readonly trigger: LifecycleTrigger;
  readonly triggers?: readonly LifecycleTrigger[];
  readonly source?: string;
  readonly batch?: DecisionRecord['batch'];
};

/** The run facts a `started` record holds. */
function factsOf(record: DecisionRecord): RunFacts {
  return {
    trigger: record.trigger,
    ...(record.triggers === undefined ? {} : { triggers: record.triggers }),
    ...(record.source === undefined ? {} : { source: record.source }),
    ...(record.batch === undefined ? {} : { batch: record.batch }),
  };
}

/**
 * The automated lifecycle: triggers (new labelled data, a scheduled evaluation, accuracy under the
 * threshold, drift) lead to retraining on reference + new data; a challenger is promoted only if it beats
 * the champion on the holdout by the margin, by compare-and-set on the alias. Every run is recorded in the
 * decision log in phases (`started` with its training data, `registered`, `done`) and emitted as events,
 * so a run killed at any moment is finished by `resume()` without registering a second version.
 */
export function createLifecycle<Params extends JsonObject>(options: LifecycleOptions<Params>): Lifecycle {
  const { modelName, trainer, registry: store } = options;
  const { datasets, decisions } = store;
  if (typeof modelName !== 'string' || modelName === '')
    throw new InvalidInputError('createLifecycle needs a modelName');
  const policy = options.policy ?? {};
  const threshold = policy.threshold ?? 0.85;
  const minImprovement = policy.minImprovement ?? 0;
  const alias = policy.alias ?? 'production';
  if (!(threshold >= 0 && threshold <= 1)) throw new InvalidInputError(`threshold must be in [0, 1], got ${threshold}`);
  const clock = options.clock ?? systemClock;
  const newRunId = options.newRunId ?? randomUUID;
  const now = () => new Date(clock.now()).toISOString();
  const events = new EventStream<LifecycleEvent>();
  const trainingName = `${modelName}-training`;
  const holdoutName = `${modelName}-holdout`;
  const batchesName = `${modelName}-batches`;
  let training = options.reference;
  let queue: Promise<unknown> = Promise.resolve();

  /** Runs one lifecycle operation at a time, in call order. */
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const result = queue.then(work);
    queue = result.catch(() => undefined);
    return result;
  };

  const accuracyOf = (model: Model, data: Dataset) => accuracyScore(data.target, model.predict(data.features));
  // Versions are immutable: a decoded model is reused while it is one of the last few loaded.
  const loaded = new Map<number, Model>();
  const loadChampion = async (version: number): Promise<Model> => {
    const cached = loaded.get(version);
    if (cached) return cached;
    const model = decodeModel((await store.loadArtifact(modelName, version)).artifact, options.codecs);
    loaded.set(version, model);
    if (loaded.size > 4) loaded.delete(loaded.keys().next().value!);
    return model;
  };
  const ref = (v: DatasetVersion) => ({ name: v.name, version: v.version, fingerprint: v.fingerprint });

  const finish = async (
    base: RunFacts & { runId: string; championVersion?: number; challengerVersion?: number },
    action: LifecycleAction,
    reason: string,
    metrics: Record<string, number>,
  ): Promise<LifecycleDecision> => {
    const productionVersion = await store.getAlias(modelName, alias);
    const { source, triggers, batch, ...shown } = base;
    const decision: LifecycleDecision = {
      ...shown,
      action,
      reason,
      ...(productionVersion === undefined ? {} : { productionVersion }),
      metrics,
      decidedAt: now(),
    };
    await decisions.append({
      runId: base.runId,
      phase: 'done',
      at: decision.decidedAt,
      model: modelName,
      trigger: base.trigger,
      action,
      reason,
      ...(base.championVersion === undefined ? {} : { championVersion: base.championVersion }),
      ...(base.challengerVersion === undefined ? {} : { challengerVersion: base.challengerVersion }),
      ...(productionVersion === undefined ? {} : { productionVersion }),
      ...(source === undefined ? {} : { source }),
      ...(triggers === undefined ? {} : { triggers }),
      ...(batch === undefined ? {} : { batch }),
      metrics,
    });
    events.emit({ type: 'decision', decision });
    return decision;
  };

  /** Phases 2–3 of a run: the challenger (trained, or found if a crashed attempt registered it), then the decision. */
  const complete = async (
    started: DecisionRecord,
    data: Dataset,
    holdout: Dataset,
    registered?: number,
  ): Promise<LifecycleDecision> => {
    const { runId, trigger, championVersion } = started;
    const metrics: Record<string, number> = { ...started.metrics };
    let challengerVersion =
      registered ?? (await store.listVersions(modelName)).find((v) => v.tags[RUN_TAG] === runId)?.version;
    let challengerModel: Model;
    if (challengerVersion === undefined) {
      challengerModel = await trainer.fit(data, options.params);
      // The champion's own tags carry over; the run's tags are this run's.
      const inherited = championVersion === undefined ? {} : (await store.getVersion(modelName, championVersion)).tags;
      const userTags = Object.fromEntries(Object.entries(inherited).filter(([key]) => !RUN_TAGS.has(key)));
      const record = await store.register(modelName, {
        artifact: challengerModel.toArtifact(),
        metrics: { holdoutAccuracy: accuracyOf(challengerModel, holdout) },
        tags: { ...userTags, [RUN_TAG]: runId, trigger, trainer: trainer.name },
        ...(started.training ? { dataset: started.training } : {}),
        ...(championVersion === undefined ? {} : { parentVersion: championVersion }),
        ...(data.featureTypes ? { featureTypes: data.featureTypes } : {}),
      });
      challengerVersion = record.version;
    } else {
      challengerModel = await loadChampion(challengerVersion);
    }
    if (registered === undefined) {
      await decisions.append({ ...started, phase: 'registered', at: now(), challengerVersion });
      events.emit({ type: 'challenger-registered', runId, version: challengerVersion });
    }
    const base = {
      runId,
      ...factsOf(started),
      ...(championVersion === undefined ? {} : { championVersion }),
      challengerVersion,
    };
    const challengerAccuracy = accuracyOf(challengerModel, holdout);
    metrics.challengerHoldoutAccuracy = challengerAccuracy;
    const current = await store.getAlias(modelName, alias);
    if (current === challengerVersion) {
      // A crashed attempt already moved the alias: the decision was made, only its record is missing.
      return finish(
        base,
        championVersion === undefined ? 'bootstrapped' : 'promoted',
        `v${challengerVersion} was already promoted when the interrupted run resumed`,
        metrics,
      );
    }
    try {
      if (championVersion === undefined) {
        await store.setAlias(modelName, alias, challengerVersion, {
          expectedVersion: null,
          reason: `bootstrap (run ${runId})`,
        });
        return finish(
          base,
          'bootstrapped',
          `no "${alias}" model existed; trained v${challengerVersion} (holdout accuracy ${round(challengerAccuracy)}) and promoted it`,
          metrics,
        );
      }
      const championAccuracy = accuracyOf(await loadChampion(championVersion), holdout);
      metrics.championHoldoutAccuracy = championAccuracy;
      if (challengerAccuracy > championAccuracy + minImprovement) {
        await store.setAlias(modelName, alias, challengerVersion, {
          expectedVersion: championVersion,
          reason: `${trigger}: v${challengerVersion} ${round(challengerAccuracy)} vs v${championVersion} ${round(championAccuracy)} on the holdout (run ${runId})`,
        });
        return finish(
          base,
          'promoted',
          `${describe(base.triggers ?? [trigger], metrics)}; challenger v${challengerVersion} scored ${round(challengerAccuracy)} vs ${round(championAccuracy)} on the holdout and was promoted`,
          metrics,
        );
      }
      const margin = minImprovement > 0 ? ` + ${minImprovement}` : '';
      const reason = `${describe(base.triggers ?? [trigger], metrics)}; challenger v${challengerVersion} scored ${round(challengerAccuracy)}, not above v${championVersion}'s ${round(championAccuracy)}${margin} on the holdout: kept v${championVersion}, archived v${challengerVersion}`;
      // A rejected challenger is archived (kept, loadable by number, never `latest`); a resumed run may find it done.
      if ((await store.getVersion(modelName, challengerVersion)).status === 'active')
        await store.archiveVersion(modelName, challengerVersion, { reason: `rejected (run ${runId})` });
      return finish(base, 'rejected', reason, metrics);
    } catch (error) {
      if (!ConflictError.isInstance(error)) throw error;
      return finish(
        base,
        'abandoned',
        `"${alias}" moved while the run was deciding (${(error as Error).message}); v${challengerVersion} stays registered, unpromoted`,
        metrics,
      );
    }
  };

  const describe = (triggers: readonly LifecycleTrigger[], metrics: Record<string, number>): string =>
    triggers
      .map((trigger) => {
        switch (trigger) {
          case 'accuracy':
          case 'schedule':
            return `accuracy ${round(metrics.championAccuracy ?? Number.NaN)} fell under ${threshold}`;
          case 'drift':
            return 'the new data drifted';
          case 'new-data':
            return 'new labelled data arrived';
          default:
            return trigger;
        }
      })
      .join(' and ');

  /** Phase 1 of a run: version its data (`data`, the training data it retrains on), record `started`, then complete it. */
  const retrain = async (
    facts: RunFacts,
    metrics: Record<string, number>,
    data: Dataset = training,
  ): Promise<LifecycleDecision> => {
    const runId = newRunId();
    const championVersion = await store.getAlias(modelName, alias);
    const trainingVersion = await datasets.register(trainingName, {
      dataset: data,
      description: `training data of ${modelName}`,
    });
    const holdoutVersion = await datasets.register(holdoutName, {
      dataset: options.holdout,
      description: `holdout of ${modelName}`,
    });
    const started: DecisionRecord = {
      runId,
      phase: 'started',
      at: now(),
      model: modelName,
      ...facts,
      ...(championVersion === undefined ? {} : { championVersion }),
      training: ref(trainingVersion),
      holdout: ref(holdoutVersion),
      metrics,
    };
    await decisions.append(started);
    events.emit({
      type: 'run-started',
      runId,
      trigger: facts.trigger,
      trainingRows: data.target.length,
      resumed: false,
    });
    return complete(started, data, options.holdout);
  };

  const keep = async (
    facts: RunFacts,
    reason: string,
    metrics: Record<string, number>,
    action: LifecycleAction = 'kept',
  ): Promise<LifecycleDecision> => {
    const championVersion = await store.getAlias(modelName, alias);
    return finish(
      { runId: newRunId(), ...facts, ...(championVersion === undefined ? {} : { championVersion }) },
      action,
      reason,
      metrics,
    );
  };

  /** The run of the log that already ingested these rows (same content, by fingerprint), if any. */
  const ingestedBy = async (batchFingerprint: string) =>
    (await decisions.list(modelName)).find(
      (r) => r.phase === 'done' && r.action !== 'skipped' && r.batch?.fingerprint === batchFingerprint,
    );

  /** Finishes the last run a crash (or an error) left without `done`, from its recorded data; `undefined` when none. */
  const finishOpenRun = async (): Promise<LifecycleDecision | undefined> => {
    const history = await decisions.list(modelName);
    const done = new Set(history.filter((r) => r.phase === 'done').map((r) => r.runId));
    const open = history.filter((r) => r.phase !== 'done' && !done.has(r.runId));
    const lastStarted = [...open].reverse().find((r) => r.phase === 'started');
    if (!lastStarted) return undefined;
    const registered = open.find((r) => r.runId === lastStarted.runId && r.phase === 'registered')?.challengerVersion;
    if (!lastStarted.training || !lastStarted.holdout)
      throw new InvalidInputError(`run ${lastStarted.runId} recorded no training data to resume from`);
    const data = (await datasets.load(lastStarted.training.name, lastStarted.training.version)).dataset;
    const holdout = (await datasets.load(lastStarted.holdout.name, lastStarted.holdout.version)).dataset;
    training = data;
    events.emit({
      type: 'run-started',
      runId: lastStarted.runId,
      trigger: lastStarted.trigger,
      trainingRows: data.target.length,
      resumed: true,
    });
    return complete(lastStarted, data, holdout, registered);
  };

  const checkBatch = (batch: Dataset, what: string) => {
    if (
      JSON.stringify(batch.featureNames) !== JSON.stringify(training.featureNames) ||
      JSON.stringify(batch.classNames) !== JSON.stringify(training.classNames)
    ) {
      throw new InvalidInputError(
        `${what} must have the features [${training.featureNames}] and classes [${training.classNames ?? ''}] of the training data`,
      );
    }
  };

  /**
   * Rebuilds the training data from the registry (before every run, under the lease: another process may have
   * ingested since): the training data of the last run that recorded one (else the reference), plus the batches of
   * the decisions since that kept production without a run.
   */
  const restore = async () => {
    const history = await decisions.list(modelName);
    const last = history.findLastIndex((r) => r.phase === 'started' && r.training !== undefined);
    let data = options.reference;
    if (last >= 0) {
      const { name, version } = history[last]!.training!;
      data = (await datasets.load(name, version)).dataset;
    }
    for (const record of history.slice(last + 1)) {
      if (record.phase === 'done' && record.action === 'kept' && record.batch)
        data = concatDatasets(data, (await datasets.load(record.batch.name, record.batch.version)).dataset);
    }
    training = data;
  };

  // One run at a time in this process (serial) and across processes (the registry's run lease). A new run first
  // finishes one an earlier attempt left open (its batch is then in the log, so ingesting it again is a skip).
  const run = <T>(work: () => Promise<T>, finishOpen = true) =>
    serial(async () => {
      try {
        return await decisions.withRunLease(modelName, async () => {
          await restore();
          if (finishOpen && (await finishOpenRun())) await restore();
          return work();
        });
      } catch (error) {
        events.emit({ type: 'error', error });
        throw error;
      }
    });

  const lifecycle: Lifecycle = {
    trainingData: () =>
      serial(async () => {
        await restore();
        return training;
      }),
    bootstrap: () =>
      run(async () => {
        const champion = await store.getAlias(modelName, alias);
        if (champion !== undefined) return keep({ trigger: 'bootstrap' }, `"${alias}" already serves v${champion}`, {});
        return retrain({ trigger: 'bootstrap' }, {});
      }),
    ingest: (batch, ingestOptions = {}) =>
      run(async () => {
        checkBatch(batch, 'a new batch');
        const source = ingestOptions.source;
        const batchFingerprint = fingerprint(batch);
        const seen = await ingestedBy(batchFingerprint);
        if (seen) {
          const same = seen.source === undefined ? 'the same rows' : `the same rows, from ${seen.source}`;
          return keep(
            {
              trigger: 'new-data',
              ...(seen.batch ? { batch: seen.batch } : {}),
              ...(source === undefined ? {} : { source }),
            },
            `already ingested (${same}) by run ${seen.runId}: nothing to do`,
            {},
            'skipped',
          );
        }
        // Versioned before anything is decided: the log refers to it, and a new process rebuilds its training data from it.
        const stored = await datasets.register(batchesName, {
          dataset: batch,
          description: `labelled batches of ${modelName}${source === undefined ? '' : ` (${source})`}`,
        });
        const batchFacts = { ...ref(stored), rows: batch.target.length };
        const champion = await store.getAlias(modelName, alias);
        // The training data changes only once the decision is recorded (an error before leaves it as it was).
        const next = concatDatasets(training, batch);
        const decide = async (): Promise<LifecycleDecision> => {
          const facts = { batch: batchFacts, ...(source === undefined ? {} : { source }) };
          if (champion === undefined) return retrain({ trigger: 'bootstrap', ...facts }, {}, next);
          const championAccuracy = accuracyOf(await loadChampion(champion), batch);
          const metrics = { championAccuracy, batchRows: batch.target.length };
          const drift = options.detectDrift?.(training, batch);
          const drifted = typeof drift === 'object' ? drift.datasetDrift : drift === true;
          const triggers: LifecycleTrigger[] = [
            ...(championAccuracy < threshold ? (['accuracy'] as const) : []),
            ...(drifted && (policy.retrainOnDrift ?? true) ? (['drift'] as const) : []),
          ];
          if (triggers.length === 0 && policy.retrainOnNewData) triggers.push('new-data');
          if (triggers.length > 0) return retrain({ trigger: triggers[0]!, triggers, ...facts }, metrics, next);
          return keep(
            { trigger: 'new-data', ...facts },
            `v${champion} accuracy ${round(championAccuracy)} on ${batch.target.length} new rows is at or above ${threshold}${options.detectDrift ? ' and nothing drifted' : ''}`,
            metrics,
          );
        };
        const decision = await decide();
        training = next;
        return decision;
      }),
    evaluate: (labelled) =>
      run(async () => {
        checkBatch(labelled, 'labelled data');
        const champion = await store.getAlias(modelName, alias);
        if (champion === undefined) return retrain({ trigger: 'bootstrap' }, {});
        const championAccuracy = accuracyOf(await loadChampion(champion), labelled);
        const metrics = { championAccuracy, batchRows: labelled.target.length };
        if (championAccuracy < threshold) return retrain({ trigger: 'schedule' }, metrics);
        return keep(
          { trigger: 'schedule' },
          `v${champion} accuracy ${round(championAccuracy)} on ${labelled.target.length} labelled rows is at or above ${threshold}`,
          metrics,
        );
      }),
    rollback: (reason = 'rollback') =>
      run(async () => {
        const champion = await store.getAlias(modelName, alias);
        const move = await store.rollback(modelName, alias, {
          reason,
          ...(champion === undefined ? {} : { expectedVersion: champion }),
        });
        return finish(
          { runId: newRunId(), trigger: 'rollback', ...(champion === undefined ? {} : { championVersion: champion }) },
          'rolled-back',
          `${reason}: "${alias}" moved back from v${move.previousVersion} to v${move.version}`,
          {},
        );
      }),
    resume: () => run(finishOpenRun, false),
    start(labelled) {
      return schedule(
        async () => {
          const data = await labelled();
          if (data) await lifecycle.evaluate(data);
        },
        { everyMs: policy.evaluateEveryMs ?? DAY_MS, clock, onError: (error) => events.emit({ type: 'error', error }) },
      );
    },
    on: (listener) => events.on(listener),
    events: () => events.iterate(),
    history: () => decisions.list(modelName),
  };
  return lifecycle;
}
