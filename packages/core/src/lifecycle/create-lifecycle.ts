import { randomUUID } from 'node:crypto';
import type { Dataset } from '../contracts/dataset';
import type { DatasetVersion } from '../contracts/dataset-store';
import type { DecisionRecord, LifecycleAction, LifecycleTrigger } from '../contracts/decision-log';
import type { JsonObject } from '../contracts/json';
import type { Model } from '../contracts/model';
import { ConflictError, InvalidInputError } from '../errors/errors';
import { systemClock } from '../schedule/clock';
import { DAY_MS, schedule } from '../schedule/schedule';
import { decodeModel } from '../validation/decode-model';
import { concatDatasets, sameNames } from '../validation/dataset';
import { compareInputs } from '../pipeline/schema-change';
import { PIPELINE_FORMAT } from '../pipeline/pipeline-model';
import { fingerprint } from '../fingerprint/fingerprint';
import { EventStream } from './events';
import { lastRows, splitBatch } from './holdout';
import { factsOf, ingestedBy, openRun, RUN_TAG, RUN_TAGS, type RunFacts, trainingParts } from './run-log';
import type { Lifecycle, LifecycleDecision, LifecycleEvent, LifecycleOptions } from './types';

/**
 * A model's prediction per row, `-1` where it refuses the row (a category level it never saw): a champion that
 * cannot serve a row gets it wrong. A pipeline is given the level names of category columns (it maps them itself).
 */
function predictionsOf(model: Model, data: Dataset): number[] {
  const levels = model.format === PIPELINE_FORMAT ? data.levels : undefined;
  const rows = levels ? data.features.map((row) => row.map((value, j) => levels[j]?.[value] ?? value)) : data.features;
  const predict = (some: readonly (readonly (number | string)[])[]) =>
    (model.predict as (rows: readonly (readonly (number | string)[])[]) => number[])(some);
  try {
    return predict(rows);
  } catch (error) {
    if (!InvalidInputError.isInstance(error)) throw error;
    return rows.map((row) => {
      try {
        return predict([row])[0]!;
      } catch (inner) {
        if (!InvalidInputError.isInstance(inner)) throw inner;
        return -1;
      }
    });
  }
}

const round = (x: number) => x.toFixed(4).replace(/0+$/, '').replace(/\.$/, '');

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
  const holdoutShare = policy.holdoutShare ?? 0.2;
  const holdoutWindow = policy.holdoutWindow ?? 1000;
  const holdoutSeed = policy.holdoutSeed ?? 0;
  if (!(holdoutShare >= 0 && holdoutShare < 1))
    throw new InvalidInputError(`holdoutShare must be in [0, 1), got ${holdoutShare}`);
  if (!(Number.isInteger(holdoutWindow) && holdoutWindow >= 1))
    throw new InvalidInputError(`holdoutWindow must be a whole number of rows ≥ 1, got ${holdoutWindow}`);
  if (!(threshold >= 0 && threshold <= 1)) throw new InvalidInputError(`threshold must be in [0, 1], got ${threshold}`);
  const clock = options.clock ?? systemClock;
  const newRunId = options.newRunId ?? randomUUID;
  const now = () => new Date(clock.now()).toISOString();
  const events = new EventStream<LifecycleEvent>();
  const trainingName = `${modelName}-training`;
  const holdoutName = `${modelName}-holdout`;
  const batchesName = `${modelName}-batches`;
  let training = options.reference;
  /** The rows champion and challengers are judged on: the initial holdout, then the rows held out of each batch. */
  let evaluation = options.holdout;
  let queue: Promise<unknown> = Promise.resolve();

  /** Runs one lifecycle operation at a time, in call order. */
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const result = queue.then(work);
    queue = result.catch(() => undefined);
    return result;
  };

  const accuracyOf = (model: Model, data: Dataset) => {
    const predicted = predictionsOf(model, data);
    const classes = data.classNames;
    const names = model.classNames;
    let hits = 0;
    data.target.forEach((k, i) => {
      const p = predicted[i]!;
      // By class name when both have them (a batch may bring a class the model never saw), else by index.
      if (p >= 0 && (names && classes ? names[p] === classes[k] : p === k)) hits++;
    });
    return hits / data.target.length;
  };
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
    const { source, batch, ...shown } = base;
    const { triggers } = base;
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
        description: `${trainer.name} retrained by the lifecycle on ${data.target.length} rows (${trigger}, run ${runId})`,
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
      // A rejected challenger is archived (kept, loadable by number, never `latest`); a resumed run may find it done.
      const reject = async (reason: string) => {
        if ((await store.getVersion(modelName, challengerVersion)).status === 'active')
          await store.archiveVersion(modelName, challengerVersion, { reason: `rejected (run ${runId})` });
        return finish(base, 'rejected', reason, metrics);
      };
      const changes = await inputChanges(championVersion, challengerVersion);
      if (changes.incompatible.length > 0 && !policy.allowIncompatibleInputs)
        return reject(
          `challenger v${challengerVersion}'s inputs are incompatible with production's (${changes.incompatible.join('; ')}): kept v${championVersion}, archived v${challengerVersion}`,
        );
      const changed = changes.compatible.length ? `; its inputs: ${changes.compatible.join('; ')}` : '';
      if (challengerAccuracy > championAccuracy + minImprovement) {
        await store.setAlias(modelName, alias, challengerVersion, {
          expectedVersion: championVersion,
          reason: `${trigger}: v${challengerVersion} ${round(challengerAccuracy)} vs v${championVersion} ${round(championAccuracy)} on the holdout (run ${runId})`,
        });
        return finish(
          base,
          'promoted',
          `${describe(base.triggers ?? [trigger], metrics)}; challenger v${challengerVersion} scored ${round(challengerAccuracy)} vs ${round(championAccuracy)} on the holdout and was promoted${changed}`,
          metrics,
        );
      }
      const margin = minImprovement > 0 ? ` + ${minImprovement}` : '';
      return reject(
        `${describe(base.triggers ?? [trigger], metrics)}; challenger v${challengerVersion} scored ${round(challengerAccuracy)}, not above v${championVersion}'s ${round(championAccuracy)}${margin} on the holdout: kept v${championVersion}, archived v${challengerVersion}`,
      );
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

  /** The challenger's input schema against production's: what changed, and whether production's requests still hold. */
  const inputChanges = async (championVersion: number, challengerVersion: number) => {
    const [champion, challenger] = await Promise.all([
      store.getVersion(modelName, championVersion),
      store.getVersion(modelName, challengerVersion),
    ]);
    const before = champion.signature?.inputs;
    const after = challenger.signature?.inputs;
    const changes =
      before && after
        ? compareInputs(before, after)
        : {
            compatible: [],
            incompatible: sameNames(champion.signature?.featureNames, challenger.signature?.featureNames)
              ? []
              : ['the features changed'],
          };
    const known = new Set(champion.signature?.classNames ?? []);
    const fresh = (challenger.signature?.classNames ?? []).filter((name) => !known.has(name));
    if (fresh.length) changes.compatible.push(`new ${fresh.length === 1 ? 'class' : 'classes'} ${fresh.join(', ')}`);
    return changes;
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
    judgedOn: Dataset = evaluation,
  ): Promise<LifecycleDecision> => {
    const runId = newRunId();
    const championVersion = await store.getAlias(modelName, alias);
    const trainingVersion = await datasets.register(trainingName, {
      dataset: data,
      description: `training data of ${modelName}`,
    });
    const holdoutVersion = await datasets.register(holdoutName, {
      dataset: judgedOn,
      description: `rows ${modelName}'s models are judged on`,
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
    return complete(started, data, judgedOn);
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

  /** Finishes the last run a crash (or an error) left without `done`, from its recorded data; `undefined` when none. */
  const finishOpenRun = async (history: readonly DecisionRecord[]): Promise<LifecycleDecision | undefined> => {
    const open = openRun(history);
    if (!open) return undefined;
    const { started: lastStarted, registered } = open;
    if (!lastStarted.training || !lastStarted.holdout)
      throw new InvalidInputError(`run ${lastStarted.runId} recorded no training data to resume from`);
    const data = (await datasets.load(lastStarted.training.name, lastStarted.training.version)).dataset;
    const holdout = (await datasets.load(lastStarted.holdout.name, lastStarted.holdout.version)).dataset;
    events.emit({
      type: 'run-started',
      runId: lastStarted.runId,
      trigger: lastStarted.trigger,
      trainingRows: data.target.length,
      resumed: true,
    });
    return complete(lastStarted, data, holdout, registered);
  };

  // Classes and category levels may grow (rows are joined by name); the features must be the training data's.
  const checkBatch = (batch: Dataset, what: string) => {
    if (!sameNames(batch.featureNames, training.featureNames) || !batch.classNames !== !training.classNames) {
      throw new InvalidInputError(
        `${what} must have the features [${training.featureNames}] of the training data${training.classNames ? ' and class labels' : ''}`,
      );
    }
  };

  /**
   * Rebuilds the training data from the registry (before every run, under the lease: another process may have
   * ingested since): the training data of the last run that recorded one (else the reference), plus the batches of
   * the decisions since that kept production without a run.
   */
  // What the last restore built on, so the next one in this process loads only the batches recorded since.
  let restored: { base: string; batches: string[] } | undefined;
  const restore = async (history: readonly DecisionRecord[]) => {
    const parts = trainingParts(history);
    const base = JSON.stringify([parts.base ?? null, parts.evaluation ?? null]);
    const keys = parts.batches.map((batch) => `${batch.name}@${batch.version}`);
    const known = restored?.base === base && restored.batches.every((key, i) => keys[i] === key);
    let data = training;
    let judged = evaluation;
    if (!known) {
      data = parts.base ? (await datasets.load(parts.base.name, parts.base.version)).dataset : options.reference;
      judged = parts.evaluation
        ? (await datasets.load(parts.evaluation.name, parts.evaluation.version)).dataset
        : options.holdout;
    }
    for (const batch of parts.batches.slice(known ? restored!.batches.length : 0)) {
      const next = withBatch(data, judged, (await datasets.load(batch.name, batch.version)).dataset, batch.fingerprint);
      data = next.training;
      judged = next.evaluation;
    }
    training = data;
    evaluation = judged;
    restored = { base, batches: keys };
  };

  /** The training data and evaluation set once a batch is in: its held-out share judges, the rest trains. */
  const withBatch = (data: Dataset, judged: Dataset, batch: Dataset, batchFingerprint: string) => {
    const { train, held } = splitBatch(batch, batchFingerprint, holdoutShare, holdoutSeed);
    return {
      training: concatDatasets(data, train),
      evaluation: held ? lastRows(concatDatasets(judged, held), holdoutWindow) : judged,
    };
  };

  // One run at a time in this process (serial) and across processes (the registry's run lease). A new run first
  // finishes one an earlier attempt left open (its batch is then in the log, so ingesting it again is a skip).
  // The work gets the decision log as it stands (read once per run, again only after finishing an open run).
  const run = <T>(work: (history: readonly DecisionRecord[]) => Promise<T>, finishOpen = true) =>
    serial(async () => {
      try {
        return await decisions.withRunLease(modelName, async () => {
          let history = await decisions.list(modelName);
          await restore(history);
          if (finishOpen && (await finishOpenRun(history))) {
            history = await decisions.list(modelName);
            await restore(history);
          }
          return work(history);
        });
      } catch (error) {
        events.emit({ type: 'error', error });
        throw error;
      }
    });

  const lifecycle: Lifecycle = {
    trainingData: () =>
      serial(async () => {
        await restore(await decisions.list(modelName));
        return training;
      }),
    bootstrap: () =>
      run(async () => {
        const champion = await store.getAlias(modelName, alias);
        if (champion !== undefined) return keep({ trigger: 'bootstrap' }, `"${alias}" already serves v${champion}`, {});
        return retrain({ trigger: 'bootstrap' }, {});
      }),
    ingest: (batch, ingestOptions = {}) =>
      run(async (history) => {
        checkBatch(batch, 'a new batch');
        const source = ingestOptions.source;
        const batchFingerprint = fingerprint(batch);
        const seen = ingestedBy(history, batchFingerprint);
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
        // The training data with the batch in; it becomes the lifecycle's once the decision is in the log.
        const next = withBatch(training, evaluation, batch, batchFingerprint);
        // Versioned before anything is decided: the log refers to it, and a new process rebuilds its training data from it.
        const stored = await datasets.register(batchesName, {
          dataset: batch,
          description: `labelled batches of ${modelName}${source === undefined ? '' : ` (${source})`}`,
        });
        const batchFacts = { ...ref(stored), rows: batch.target.length };
        const champion = await store.getAlias(modelName, alias);
        const decide = async (): Promise<LifecycleDecision> => {
          const facts = { batch: batchFacts, ...(source === undefined ? {} : { source }) };
          if (champion === undefined)
            return retrain({ trigger: 'bootstrap', ...facts }, {}, next.training, next.evaluation);
          const championAccuracy = accuracyOf(await loadChampion(champion), batch);
          const metrics = { championAccuracy, batchRows: batch.target.length };
          const drift = options.detectDrift?.(training, batch);
          const drifted = typeof drift === 'object' ? drift.datasetDrift : drift === true;
          const triggers: LifecycleTrigger[] = [
            ...(championAccuracy < threshold ? (['accuracy'] as const) : []),
            ...(drifted && (policy.retrainOnDrift ?? true) ? (['drift'] as const) : []),
          ];
          if (triggers.length === 0 && policy.retrainOnNewData) triggers.push('new-data');
          if (triggers.length > 0)
            return retrain({ trigger: triggers[0]!, triggers, ...facts }, metrics, next.training, next.evaluation);
          return keep(
            { trigger: 'new-data', ...facts },
            `v${champion} accuracy ${round(championAccuracy)} on ${batch.target.length} new rows is at or above ${threshold}${options.detectDrift ? ' and nothing drifted' : ''}`,
            metrics,
          );
        };
        return decide();
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
