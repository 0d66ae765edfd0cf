import type { Dataset } from '../contracts/dataset';
import type { DecisionRecord, LifecycleAction, LifecycleTrigger } from '../contracts/decision-log';
import type { JsonObject } from '../contracts/json';
import type { ModelCodec } from '../contracts/model';
import type { Registry } from '../contracts/registry';
import type { Trainer } from '../contracts/trainer';
import type { Clock } from '../schedule/clock';
import type { ScheduledTask } from '../schedule/schedule';

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
  /**
   * Share of each ingested batch held out — never trained on — to judge champion and challengers (default 0.2; 0
   * trains on every row and judges on the initial holdout only). The held-out rows join the evaluation set, so it
   * follows the world: a challenger trained after a shift is judged on rows from after the shift too.
   */
  readonly holdoutShare?: number;
  /**
   * The evaluation set is the most recent this many held-out rows, the initial holdout first (default 1,000). The
   * trade-off: a small window follows a shift sooner (the rows from before it leave the set), but judges on fewer rows
   * and trusts recent labels more — batches with broken labels then judge too; a large one is stabler and slower.
   */
  readonly holdoutWindow?: number;
  /** Seed of the held-out rows' draw, mixed with each batch's fingerprint (default 0). */
  readonly holdoutSeed?: number;
  /**
   * Promote a challenger whose raw inputs are incompatible with production's (a column removed, retyped or newly
   * required, a category level dropped): requests production serves would then be refused (default false: such
   * a challenger is rejected, with the changes in the reason). Compatible changes — a new level, a new class — pass.
   */
  readonly allowIncompatibleInputs?: boolean;
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
  /** Every trigger that fired, when a batch set several off (as recorded in the decision log). */
  readonly triggers?: readonly LifecycleTrigger[];
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
