import { mkdir } from 'node:fs/promises';
import { IntegrityError, InvalidInputError, type DecisionLog, type DecisionRecord } from '@mlops/core';
import { appendLineDurably, ensureDirectoryDurably } from '../fs/durable';
import { assertContained, readOptionalText } from '../fs/containment';
import type { StoreLayout } from '../fs/layout';
import { withDirectoryLock, type DirectoryLockOptions } from '../fs/lock';
import { parseNdjson } from '../json/safe-parse';
import { assertValidName } from '../names/names';
import { checkedDecision, describeDecisionProblem } from '../records/decision-record';
import { modelLabel } from '../records/requests';


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
  async appendDecision(record: DecisionRecord): Promise<void> {
    const problem = describeDecisionProblem(record);
    if (problem) throw new InvalidInputError(`cannot record a decision: ${problem}`);
    assertValidName(record.model, 'model');
    for (const [path, last] of [[this.layout.decisionFile(record.model), 'file'], [this.layout.decisionLockDir(record.model), 'dir'], [this.layout.tmpDir(), 'dir']] as const) {
      await assertContained(this.layout.root, path, last);
    }
    await ensureDirectoryDurably(this.layout.modelDir(record.model));
    await mkdir(this.layout.tmpDir(), { recursive: true });
    const lock = { ...this.lockOptions, tmpDir: this.layout.tmpDir(), description: `decisions of ${modelLabel(record.model)}` };
    await withDirectoryLock(this.layout.decisionLockDir(record.model), lock, () =>
      appendLineDurably(this.layout.decisionFile(record.model), JSON.stringify(checkedDecision(record))),
    );
  }

  /** Every record of a model, oldest first (`[]` when none). */
  async listDecisions(model: string): Promise<DecisionRecord[]> {
    assertValidName(model, 'model');
    const text = await readOptionalText(this.layout.root, this.layout.decisionFile(model));
    if (text === undefined) return [];
    const { values: records, problems } = parseNdjson<DecisionRecord>(text, describeDecisionProblem);
    const damage = problems.find((problem) => !problem.torn);
    if (damage) throw new IntegrityError(`decisions of ${modelLabel(model)} are corrupt at line ${damage.line}: ${damage.problem}`, { name: model });
    return records;
  }
}
