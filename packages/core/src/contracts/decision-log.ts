/** What set a lifecycle run off. */
export type LifecycleTrigger = 'bootstrap' | 'new-data' | 'accuracy' | 'drift' | 'schedule' | 'rollback' | 'manual';

/** The outcome of a lifecycle run. */
export type LifecycleAction = 'bootstrapped' | 'kept' | 'promoted' | 'rejected' | 'rolled-back' | 'abandoned';

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
