import { IntegrityError, InvalidInputError, type VerifyProblem, type VerifyReport } from '@mlops/core';
import { FileSystemModelStore } from '../filesystem/file-system-store';
import type { ImportOutcome } from '../postgres/registry-import';
import { PostgresModelStore } from '../postgres/postgres-store';

/** Where a migration stands: items done of all (versions, deletions, dataset versions, models' aliases and decisions). */
export interface MigrationProgress {
  readonly done: number;
  readonly total: number;
  /** Artifact and snapshot bytes written so far. */
  readonly bytes: number;
  /** The item just done, e.g. `model "churn" version 3`. */
  readonly item: string;
}

/** Options of {@link migrateRegistry} and {@link moveArtifactsToObjectStorage}. */
export interface MigrationOptions {
  /** Called after every item. */
  readonly onProgress?: (progress: MigrationProgress) => void;
  /** Stops between items; what is done stays done, and the next run resumes from there. */
  readonly signal?: AbortSignal;
}

/** Counts of one kind of item. */
export interface MigrationCounts {
  /** Model versions (deleted ones included: their number, time and reason). */
  readonly versions: number;
  readonly datasetVersions: number;
  /** Models whose alias history, aliases and decisions were written (models without any are not counted). */
  readonly models: number;
}

/** What a migration did. */
export interface MigrationReport {
  /** Items this run wrote (for a move: the rows whose bytes went to object storage). */
  readonly copied: MigrationCounts;
  /** Items an earlier run had written already: a resumed migration skips them. */
  readonly present: MigrationCounts;
  /** Artifact and snapshot bytes this run wrote. */
  readonly bytes: number;
  /** Items left behind because their stored bytes fail their checksum (the rest moved); fix or delete them and rerun. */
  readonly problems: VerifyProblem[];
  /** The target checked afterwards: every record and checksum; with object storage every object, streamed. */
  readonly verify: VerifyReport;
}

type Counter = { versions: number; datasetVersions: number; models: number };

/** Counting, progress and cancellation shared by both migrations. */
class Run {
  readonly copied: Counter = { versions: 0, datasetVersions: 0, models: 0 };
  readonly present: Counter = { versions: 0, datasetVersions: 0, models: 0 };
  readonly problems: VerifyProblem[] = [];
  bytes = 0;
  private done = 0;

  constructor(
    private readonly total: number,
    private readonly options: MigrationOptions,
  ) {
    options.signal?.throwIfAborted();
  }

  /** Runs one item's step, counts its outcome, reports progress, then stops if asked to. */
  async item(kind: keyof Counter, item: string, step: () => Promise<{ outcome: ImportOutcome; bytes: number }>) {
    const { outcome, bytes } = await step();
    this[outcome][kind]++;
    if (outcome === 'copied') this.bytes += bytes;
    this.progress(item);
  }

  /** An item whose stored bytes are damaged: recorded as a problem, the migration goes on. */
  skip(problem: VerifyProblem, item: string): void {
    this.problems.push(problem);
    this.progress(item);
  }

  /** Reports an item with nothing to write. */
  progress(item: string): void {
    this.done++;
    this.options.onProgress?.({ done: this.done, total: this.total, bytes: this.bytes, item });
    this.options.signal?.throwIfAborted();
  }

  async report(target: PostgresModelStore): Promise<MigrationReport> {
    const { copied, present, bytes, problems } = this;
    return { copied, present, bytes, problems, verify: await target.verify() };
  }
}

/** Runs `read`; an `IntegrityError` (damaged source bytes) becomes a problem of the run instead of stopping it. */
async function unlessDamaged<T>(run: Run, at: Omit<VerifyProblem, 'problem'>, item: string, read: () => Promise<T>) {
  try {
    return await read();
  } catch (error) {
    if (!IntegrityError.isInstance(error)) throw error;
    run.skip({ ...at, problem: `not migrated: ${error.message}` }, item);
    return undefined;
  }
}

/**
 * Copies a filesystem registry into a PostgreSQL one (with object storage when `target` has it: artifacts and dataset
 * snapshots uploaded, read back and checked before their rows commit). Every version keeps its number, record, status
 * and bytes; deletions keep their tombstones; aliases, their history and lifecycle decisions come along. Each item
 * is its own transaction and a rerun skips what is there, so a migration cut short (crash, Ctrl-C, `signal`) resumes
 * where it stopped. A target holding something else under the same name and number is a `ConflictError`; source
 * bytes that fail their checksum are reported in `problems` and not copied. Ends with `target.verify()`.
 * Stop the writers of the source first: what they write during the copy may be missed.
 */
export async function migrateRegistry(
  source: FileSystemModelStore,
  target: PostgresModelStore,
  options: MigrationOptions = {},
): Promise<MigrationReport> {
  if (!(source instanceof FileSystemModelStore))
    throw new InvalidInputError('migrateRegistry copies a filesystem registry (FileSystemModelStore)');
  if (!(target instanceof PostgresModelStore))
    throw new InvalidInputError('migrateRegistry copies into a PostgreSQL registry (PostgresModelStore)');
  const importer = target.importer;
  await importer.checkStorage('cannot migrate');
  const datasets = await source.datasets.list();
  const datasetVersions = await Promise.all(datasets.map((name) => source.datasets.versionNumbers(name)));
  const models = await source.modelNames();
  const modelVersions = await Promise.all(models.map((name) => source.versionNumbers(name)));
  const total = [...datasetVersions, ...modelVersions].reduce((sum, numbers) => sum + numbers.length, models.length);
  const run = new Run(total, options);

  for (const [index, name] of datasets.entries()) {
    for (const version of datasetVersions[index]!) {
      const item = `dataset "${name}" version ${version}`;
      const at = { kind: 'dataset' as const, name, version };
      const exported = await unlessDamaged(run, at, item, () => source.datasets.exportVersion(name, version));
      if (exported)
        await run.item('datasetVersions', item, async () => ({
          outcome: await importer.datasetVersion(exported.record, exported.bytes),
          bytes: exported.bytes.length,
        }));
    }
  }
  for (const [index, name] of models.entries()) {
    for (const version of modelVersions[index]!) {
      const item = `model "${name}" version ${version}`;
      const at = { name, version };
      const exported = await unlessDamaged(run, at, item, () => source.exportVersion(name, version));
      if (!exported) continue;
      await run.item('versions', item, async () =>
        'tombstone' in exported
          ? { outcome: await importer.tombstone(exported.tombstone), bytes: 0 }
          : {
              outcome: await importer.version(exported.record, exported.statusReason, exported.bytes),
              bytes: exported.bytes.length,
            },
      );
    }
    const history = await source.aliasHistory(name);
    const aliases = new Map<string, number>();
    for (const alias of new Set(history.map((move) => move.alias))) {
      const version = await source.getAlias(name, alias);
      if (version !== undefined) aliases.set(alias, version);
    }
    const decisions = await source.decisions.list(name);
    if (history.length === 0 && decisions.length === 0) {
      run.progress(`model "${name}": no aliases or decisions`);
      continue;
    }
    await run.item('models', `model "${name}": aliases and decisions`, async () => ({
      outcome: await importer.modelState(name, history, aliases, decisions),
      bytes: 0,
    }));
  }
  return run.report(target);
}

/**
 * Moves a PostgreSQL registry's artifacts and dataset snapshots out of `bytea` columns into the object storage the
 * store was opened with (`artifacts`): each row's bytes are checked against its sha256, uploaded, read back (streamed)
 * and only then replaced by the object's key, one row per transaction, so readers never miss a version and a move cut
 * short resumes where it stopped. The registry records its storage first: from then on writers without it are
 * refused. Rows whose bytes fail their checksum stay as they are and are listed in `problems`. Ends with `verify()`;
 * PostgreSQL reclaims the freed space on `VACUUM FULL`.
 */
export async function moveArtifactsToObjectStorage(
  store: PostgresModelStore,
  options: MigrationOptions = {},
): Promise<MigrationReport> {
  if (!(store instanceof PostgresModelStore))
    throw new InvalidInputError('moveArtifactsToObjectStorage moves the bytes of a PostgreSQL registry');
  const importer = store.importer;
  if (!importer.hasObjectStorage)
    throw new InvalidInputError(
      'open the registry with the object storage to move its artifacts to (artifacts: s3://…, --artifacts or MLOPS_ARTIFACTS)',
    );
  await importer.checkStorage('cannot move artifacts');
  const rows = await importer.byteaRows();
  const before = await importer.objectRows();
  const run = new Run(rows.length, options);
  run.present.versions = before.versions;
  run.present.datasetVersions = before.datasetVersions;
  for (const row of rows) {
    const item = `${row.kind} "${row.name}" version ${row.version}`;
    const kind = row.kind === 'model' ? 'versions' : 'datasetVersions';
    const at = { name: row.name, version: row.version, ...(row.kind === 'dataset' ? { kind: row.kind } : {}) };
    const moved = await unlessDamaged(run, at, item, () => importer.moveToObjects(row));
    if (moved !== undefined)
      await run.item(kind, item, async () => ({ outcome: moved > 0 ? 'copied' : 'present', bytes: moved }));
  }
  await importer.recordStorage('cannot move artifacts'); // also when nothing was left to move
  return run.report(store);
}
