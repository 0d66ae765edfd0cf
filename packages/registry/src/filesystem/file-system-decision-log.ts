import { mkdir } from 'node:fs/promises';
import { IntegrityError, InvalidInputError, type DecisionLog, type DecisionRecord } from '@mlops/core';
import { appendNdjsonLines } from '@mlops/core/internal';
import { failpoint } from '../failpoint';
import { ensureDirectoryDurably } from './fs/durable';
import { assertContained, readOptionalText } from './fs/containment';
import type { StoreLayout } from './fs/layout';
import { withDirectoryLock, type DirectoryLockOptions } from './fs/lock';
import { parseNdjson } from '../json/safe-parse';
import { assertValidName } from '../names/names';
import { checkedDecision, describeDecisionProblem } from '../records/decision-record';
import { modelLabel } from '../records/requests';

/** A run lease without a heartbeat for this long is abandoned. */
const LEASE_STALE_MS = 60_000;
/** How long a lifecycle waits for another process's run. */
const LEASE_WAIT_MS = 3_600_000;

/**
 * Lifecycle decisions of each model in `<root>/models/<name>/decisions.ndjson`, appended durably under
 * the model's decision lock. A last line cut short by a crash is skipped on read and cut off by the next
 * append; other damage is an `IntegrityError` naming the line.
 */
export class FileSystemDecisionLog implements DecisionLog {
  /** Created by the model store of the same root (`store.decisions`). @internal */
  constructor(
    private readonly layout: StoreLayout,
    private readonly lockOptions: Omit<DirectoryLockOptions, 'description' | 'tmpDir'>,
  ) {}

  /** Appends one record durably (validated first). */
  async append(record: DecisionRecord): Promise<void> {
    const problem = describeDecisionProblem(record);
    if (problem) throw new InvalidInputError(`cannot record a decision: ${problem}`);
    assertValidName(record.model, 'model');
    const line = JSON.stringify(checkedDecision(record)); // every check before anything is created
    for (const [path, last] of [
      [this.layout.decisionFile(record.model), 'file'],
      [this.layout.decisionLockDir(record.model), 'dir'],
      [this.layout.tmpDir(), 'dir'],
    ] as const) {
      await assertContained(this.layout.root, path, last);
    }
    await ensureDirectoryDurably(this.layout.modelDir(record.model));
    await mkdir(this.layout.tmpDir(), { recursive: true });
    const lock = {
      ...this.lockOptions,
      tmpDir: this.layout.tmpDir(),
      description: `decisions of ${modelLabel(record.model)}`,
    };
    await withDirectoryLock(this.layout.decisionLockDir(record.model), lock, async () => {
      await appendNdjsonLines(this.layout.decisionFile(record.model), [line]);
      failpoint(`decision:${record.phase}`); // appended and synced, the decision lock still held
    });
  }

  /**
   * Runs `work` holding the model's lifecycle lease (`models/<name>/.run.lease/`, a lock with a heartbeat): one
   * holder at a time across processes; a holder that died on this host loses it at once, one on another host
   * after a minute without heartbeat. Waits up to an hour, then `ConflictError`.
   */
  async withRunLease<T>(model: string, work: () => Promise<T>): Promise<T> {
    assertValidName(model, 'model');
    for (const dir of [this.layout.runLeaseDir(model), this.layout.tmpDir()])
      await assertContained(this.layout.root, dir, 'dir');
    await ensureDirectoryDurably(this.layout.modelDir(model));
    const lease = {
      tmpDir: this.layout.tmpDir(),
      staleMs: LEASE_STALE_MS,
      heartbeatMs: LEASE_STALE_MS / 4,
      timeoutMs: LEASE_WAIT_MS,
      description: `the lifecycle of ${modelLabel(model)}`,
    };
    return withDirectoryLock(this.layout.runLeaseDir(model), lease, work);
  }

  /** Every record of a model, oldest first (`[]` when none). */
  async list(model: string): Promise<DecisionRecord[]> {
    assertValidName(model, 'model');
    const text = await readOptionalText(this.layout.root, this.layout.decisionFile(model));
    if (text === undefined) return [];
    const { values: records, problems } = parseNdjson<DecisionRecord>(text, describeDecisionProblem);
    const damage = problems.find((problem) => !problem.torn);
    if (damage)
      throw new IntegrityError(
        `decisions of ${modelLabel(model)} are corrupt at line ${damage.line}: ${damage.problem}`,
        { name: model },
      );
    return records;
  }
}
