/** Every {@link LifecycleTrigger}, for validating stored records. */
export const LIFECYCLE_TRIGGERS = Object.freeze([
  'bootstrap',
  'new-data',
  'accuracy',
  'drift',
  'schedule',
  'rollback',
  'manual',
] as const);

/** What set a lifecycle run off. */
export type LifecycleTrigger = (typeof LIFECYCLE_TRIGGERS)[number];

/** Every {@link LifecycleAction}, for validating stored records. */
export const LIFECYCLE_ACTIONS = Object.freeze([
  'bootstrapped',
  'kept',
  'promoted',
  'rejected',
  'rolled-back',
  'abandoned',
  'skipped',
] as const);

/** The outcome of a lifecycle run (`skipped`: a batch already ingested, by source or content). */
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

/**
 * One line of a model's decision log. A retraining run writes `started` (with its training data), then
 * `registered` (with the challenger version), then `done` (with the action and why); a run without
 * `done` was interrupted, and the lifecycle resumes it from the last phase it reached.
 */
export interface DecisionRecord {
  /** The run this line belongs to. */
  readonly runId: string;
  readonly phase: 'started' | 'registered' | 'done';
  /** When this line was written, ISO 8601. */
  readonly at: string;
  readonly model: string;
  readonly trigger: LifecycleTrigger;
  /** Every trigger that fired (e.g. accuracy and drift); `trigger` is the first of them. */
  readonly triggers?: readonly LifecycleTrigger[];
  /**
   * The labelled batch the run was about, as a registered dataset version (`<model>-batches`) with its row count:
   * what makes ingesting idempotent, and how a new process rebuilds the training data.
   */
  readonly batch?: {
    readonly name: string;
    readonly version: number;
    readonly fingerprint: string;
    readonly rows: number;
  };
  /** On `done`: what was decided. */
  readonly action?: LifecycleAction;
  /** On `done`: one readable sentence. */
  readonly reason?: string;
  /** Production version when the run started. */
  readonly championVersion?: number;
  /** The version this run registered. */
  readonly challengerVersion?: number;
  /** Production version when the run ended. */
  readonly productionVersion?: number;
  /** Training and holdout data, as registered dataset versions (what a resumed run retrains on). */
  readonly training?: { readonly name: string; readonly version: number; readonly fingerprint: string };
  readonly holdout?: { readonly name: string; readonly version: number; readonly fingerprint: string };
  /** Where the new data came from (e.g. a file of a watched directory), so it is not ingested twice. */
  readonly source?: string;
  /** Accuracy figures behind the decision (champion on new data, both on the holdout). */
  readonly metrics?: Readonly<Record<string, number>>;
}

/** An append-only log of lifecycle decisions per model, kept with the registry. */
export interface DecisionLog {
  /** Appends one record durably. */
  append(record: DecisionRecord): Promise<void>;
  /** Every record of a model, oldest first. */
  list(model: string): Promise<DecisionRecord[]>;
  /**
   * Runs `work` holding the model's lifecycle lease: across every process sharing the registry, one holder at a
   * time (others wait). A holder that dies loses the lease (a dead process's lock is broken, a dropped database
   * session releases it), so an interrupted run is resumed once, by whoever takes the lease next.
   */
  withRunLease<T>(model: string, work: () => Promise<T>): Promise<T>;
}
