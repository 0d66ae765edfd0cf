import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  systemClock,
  type Registry,
  type VerifyReport,
  type VersionPage,
  type VersionQuery,
  IntegrityError,
  InvalidInputError,
  NotFoundError,
  type AliasMove,
  type ModelArtifact,
  type ModelVersion,
  type RegisterModelInput,
  type RollbackOptions,
  type SetAliasOptions,
  type VersionChangeOptions,
  type VersionRef,
  type VersionStatus,
} from '@mlops/core';
import { appendNdjsonLines } from '@mlops/core/internal';
import { ensureDirectoryDurably, fsyncDirectory, pathExists, writeFileDurably } from './fs/durable';
import { assertContained, readOptionalFile, readOptionalText } from './fs/containment';
import { failpoint } from '../failpoint';
import { ARTIFACT_FILE, STATUS_FILE, StoreLayout, VERSION_FILE } from './fs/layout';
import { listDir, namesIn, versionNumbersIn } from './fs/listing';
import { withDirectoryLock, type DirectoryLockOptions } from './fs/lock';
import { tempEntryName } from './fs/owner';
import { parseChecked } from '../json/safe-parse';
import { assertValidName, assertVersionNumber, LATEST, NAME_PATTERN, quoteName } from '../names/names';
import {
  describeAliasRecordProblem,
  parseAliasHistory,
  rollbackTarget,
  type AliasRecord,
} from '../records/alias-record';
import { checkStoredArtifact } from '../records/stored-artifact';
import {
  assertAliasExpectation,
  checkAliasRequest,
  checkRegisterRequest,
  checkRollbackRequest,
  modelLabel,
  checkChangeRequest,
  nothingToRollBack,
  resolveFeatureTypes,
} from '../records/requests';
import {
  assertAliasable,
  assertNoAliases,
  deletedVersionError,
  describeStatusRecordProblem,
  describeTombstoneProblem,
  type StatusRecord,
  type Tombstone,
} from '../records/version-state';
import { FileSystemDatasetStore } from './file-system-dataset-store';
import { FileSystemDecisionLog } from './file-system-decision-log';
import { isRecord } from '../records/shape';
import { buildVersionRecord, describeVersionRecordProblem, type StoredVersionRecord } from '../records/version-record';
import type { FileSystemModelStoreOptions } from './options';
import { verifyStore } from './verify';
import { checkQuery, matches, newestFirst, searchable, type SearchableVersion } from '../search/search';
import { registerLine, VersionIndex, type IndexLine } from './version-index';

const MAX_CLAIM_ATTEMPTS = 100_000;

const label = modelLabel;

/**
 * A `ModelStore` in a directory: the embedded default. Versions are staged completely under `tmp/`
 * and published by one atomic directory rename, so readers and crashes never see half a version;
 * concurrent writers (threads or processes) get consecutive numbers without gaps. Artifacts are
 * checksummed (sha256) and verified on every load; alias moves, archiving and deletion are serialised by a
 * per-model lock. Dataset snapshots live in the same directory: see {@link FileSystemModelStore.datasets}.
 */
export class FileSystemModelStore implements Registry {
  /** Absolute registry directory. */
  readonly root: string;
  /** The dataset versions kept in the same directory; model lineage naming a dataset version is checked against it. */
  readonly datasets: FileSystemDatasetStore;
  /** The lifecycle decision log kept with the models (`createLifecycle({ decisions: store.decisions })`). */
  readonly decisions: FileSystemDecisionLog;
  private readonly layout: StoreLayout;
  private readonly now: () => Date;
  private readonly lockStaleMs: number;
  private readonly lockTimeoutMs: number;
  private readonly tempStaleMs: number;
  /** Highest version number seen per model: a lower bound of the current one (numbers are never freed). */
  private readonly latestSeen = new Map<string, number>();
  private readonly index: VersionIndex;

  constructor(options: FileSystemModelStoreOptions) {
    if (!isRecord(options) || typeof options.root !== 'string' || options.root === '') {
      throw new InvalidInputError('FileSystemModelStore needs a non-empty "root" directory path');
    }
    this.layout = new StoreLayout(options.root);
    this.root = this.layout.root;
    const clock = options.clock ?? systemClock;
    this.now = () => new Date(clock.now());
    this.lockStaleMs = options.lockStaleMs ?? 30_000;
    this.lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
    this.tempStaleMs = options.tempStaleMs ?? 3_600_000;
    this.index = new VersionIndex(this.layout);
    this.datasets = new FileSystemDatasetStore(this.layout, this.now, {
      staleMs: this.lockStaleMs,
      timeoutMs: this.lockTimeoutMs,
    });
    this.decisions = new FileSystemDecisionLog(this.layout, {
      staleMs: this.lockStaleMs,
      timeoutMs: this.lockTimeoutMs,
    });
  }

  /** Stores a new version: numbers 1, 2, 3… per name, assigned atomically even across processes. */
  async register(name: string, input: RegisterModelInput): Promise<ModelVersion> {
    const { bytes, digest } = checkRegisterRequest(name, input);
    const featureTypes = await resolveFeatureTypes(name, input, (dataset, version) =>
      this.datasets.getVersion(dataset, version),
    );
    const cannot = `cannot register ${label(name)}`;
    if (input.parentVersion !== undefined && !(await pathExists(this.layout.versionDir(name, input.parentVersion)))) {
      throw new NotFoundError(`${cannot}: parent version ${input.parentVersion} does not exist`, {
        name,
        version: input.parentVersion,
      });
    }

    const artifactBytes = bytes.whole();
    const createdAt = this.now().toISOString();
    const versionsDir = this.layout.versionsDir(name);
    await this.contained(versionsDir, 'dir');
    await this.contained(this.layout.tmpDir(), 'dir');
    await ensureDirectoryDurably(versionsDir);
    await mkdir(this.layout.tmpDir(), { recursive: true });

    const staging = this.layout.tmpEntry(tempEntryName('register'));
    await mkdir(staging);
    let published = false;
    try {
      await writeFileDurably(join(staging, ARTIFACT_FILE), artifactBytes);
      let version = (await this.latestVersion(name)) + 1;
      for (let attempt = 1; ; attempt++) {
        const record = buildVersionRecord(name, version, input, featureTypes, digest, createdAt);
        const recordJson = `${JSON.stringify(record, null, 2)}\n`;
        await writeFileDurably(join(staging, VERSION_FILE), recordJson, 'w');
        if (attempt === 1) await fsyncDirectory(staging);
        const target = this.layout.versionDir(name, version);
        try {
          await rename(staging, target);
          published = true;
        } catch (error) {
          // Another writer claimed this number first (EEXIST/ENOTEMPTY; EPERM on Windows): take the next one.
          if (!(await pathExists(target)) || attempt >= MAX_CLAIM_ATTEMPTS) throw error;
          version = Math.max(version + 1, (await this.latestVersion(name)) + 1);
          continue;
        }
        await fsyncDirectory(versionsDir);
        failpoint('register:committed');
        const stored: ModelVersion = { ...(JSON.parse(recordJson) as StoredVersionRecord), status: 'active' };
        // The version is published: an index line lost here only makes search read its files.
        await this.index.append(name, [registerLine(stored)], { sync: false }).catch(() => undefined);
        return stored;
      }
    } finally {
      if (!published) await rm(staging, { recursive: true, force: true });
    }
  }

  /** Metadata of a version by number, alias or `latest`; `NotFoundError` naming what is missing. */
  async getVersion(name: string, ref: VersionRef): Promise<ModelVersion> {
    assertValidName(name, 'model');
    const { version, alias } = await this.resolveRef(name, ref);
    try {
      return await this.readRecord(name, version);
    } catch (error) {
      if (alias === undefined || !NotFoundError.isInstance(error)) throw error;
      throw new IntegrityError(
        `alias ${quoteName(alias)} of ${label(name)} points at version ${version}, which does not exist`,
        {
          name,
          version,
        },
      );
    }
  }

  /** Loads an artifact and verifies its sha256 (`IntegrityError`) and shape (`InvalidArtifactError`). */
  async loadArtifact(name: string, ref: VersionRef): Promise<{ version: ModelVersion; artifact: ModelArtifact }> {
    const record = await this.getVersion(name, ref);
    return { version: record, artifact: await this.readArtifact(record) };
  }

  /** All versions of a model that were not deleted, oldest first (each record validated); `[]` for an unknown model. */
  async listVersions(name: string): Promise<ModelVersion[]> {
    assertValidName(name, 'model');
    const numbers = await this.versionNumbers(name);
    const records = await Promise.all(numbers.map((version) => this.readRecordUnlessDeleted(name, version)));
    return records.filter((record): record is ModelVersion => record !== undefined);
  }

  /** Names of all models with at least one version, sorted. */
  async listModels(): Promise<string[]> {
    return namesIn(this.root, this.layout.modelsDir(), async (name) => (await this.latestVersion(name)) > 0);
  }

  /**
   * Points `alias` at an existing active `version`. With `expectedVersion` (a number, or `null`: the alias
   * must not exist yet) it is a compare-and-set that throws `ConflictError` when the alias moved meanwhile.
   */
  async setAlias(name: string, alias: string, version: number, options: SetAliasOptions = {}): Promise<void> {
    checkAliasRequest(name, alias, version, options);
    await this.readRecord(name, version); // fail fast, before creating directories
    await this.underModelLock(name, async () => {
      await this.reconcileAliases(name, true);
      assertAliasable(await this.readRecord(name, version), alias);
      const current = await this.getAlias(name, alias);
      assertAliasExpectation(name, alias, current, options.expectedVersion);
      await this.moveAlias(name, {
        alias,
        version,
        previousVersion: current ?? null,
        kind: 'set',
        reason: options.reason ?? '',
      });
    });
  }

  /**
   * Moves `alias` back to the version it pointed at before its latest move not yet rolled back; repeated
   * rollbacks walk further back. `ConflictError` when there is nowhere to go or the target is archived.
   */
  async rollback(name: string, alias: string, options: RollbackOptions = {}): Promise<AliasMove> {
    checkRollbackRequest(name, alias, options);
    if ((await this.getAlias(name, alias)) === undefined) throw nothingToRollBack(name, alias, undefined);
    return this.underModelLock(name, async () => {
      await this.reconcileAliases(name, true);
      const current = await this.getAlias(name, alias);
      if (options.expectedVersion !== undefined) assertAliasExpectation(name, alias, current, options.expectedVersion);
      const target = rollbackTarget(await this.aliasHistory(name, alias));
      if (current === undefined || target === undefined || target === null)
        throw nothingToRollBack(name, alias, current);
      assertAliasable(await this.readRecord(name, target), alias);
      return this.moveAlias(name, {
        alias,
        version: target,
        previousVersion: current,
        kind: 'rollback',
        reason: options.reason ?? 'rollback',
      });
    });
  }

  /** Archives a version no alias points at: still loadable by number, skipped by `latest`, not aliasable. */
  async archiveVersion(name: string, version: number, options: VersionChangeOptions = {}): Promise<ModelVersion> {
    return this.changeStatus(name, version, 'archived', options);
  }

  /** Makes an archived version active again. */
  async restoreVersion(name: string, version: number, options: VersionChangeOptions = {}): Promise<ModelVersion> {
    return this.changeStatus(name, version, 'active', options);
  }

  /**
   * Deletes a version no alias points at. A tombstone (`deleted.json`) is committed first, then the record
   * and artifact are removed; the number stays taken, and `verify()` finishes a deletion cut short by a crash.
   */
  async deleteVersion(name: string, version: number, options: VersionChangeOptions = {}): Promise<void> {
    const reason = checkChangeRequest(name, version, options);
    await this.readRecord(name, version);
    await this.underModelLock(name, async () => {
      await this.readRecord(name, version);
      assertNoAliases(name, version, await this.aliasesAt(name, version), 'delete');
      const tombstone: Tombstone = { name, version, deletedAt: this.now().toISOString(), reason };
      await this.changeIndexed(name, { op: 'delete', version }, () =>
        this.placeFile(this.layout.tombstoneFile(name, version), tombstone),
      );
      await this.finishDeletion(name, version);
    });
  }

  /** Removes what a tombstoned version still holds; returns the removed file names (used by `verify()`). @internal */
  async finishDeletion(name: string, version: number): Promise<string[]> {
    const removed: string[] = [];
    await this.contained(this.layout.versionDir(name, version), 'dir');
    for (const file of [ARTIFACT_FILE, STATUS_FILE, VERSION_FILE]) {
      const path = join(this.layout.versionDir(name, version), file);
      if (await pathExists(path)) {
        await rm(path, { force: true });
        removed.push(file);
      }
    }
    if (removed.length > 0) await fsyncDirectory(this.layout.versionDir(name, version));
    return removed;
  }

  private async changeStatus(
    name: string,
    version: number,
    status: VersionStatus,
    options: VersionChangeOptions,
  ): Promise<ModelVersion> {
    const reason = checkChangeRequest(name, version, options);
    await this.readRecord(name, version);
    return this.underModelLock(name, async () => {
      const record = await this.readRecord(name, version);
      if (record.status === status) return record;
      if (status === 'archived') assertNoAliases(name, version, await this.aliasesAt(name, version), 'archive');
      const state: StatusRecord = { status, updatedAt: this.now().toISOString(), reason };
      await this.changeIndexed(name, { op: 'status', version, status }, () =>
        this.placeFile(this.layout.statusFile(name, version), state),
      );
      return { ...record, status };
    });
  }

  /**
   * Changes a version's files between a durable `pending` index line and the line saying what changed, so the index
   * never vouches for a version whose change a crash interrupted. The caller holds the model lock.
   */
  private async changeIndexed(name: string, done: IndexLine, change: () => Promise<void>): Promise<void> {
    await this.index.append(name, [{ op: 'pending', version: done.version }], { sync: true });
    await change();
    await this.index.append(name, [done], { sync: false }).catch(() => undefined); // still pending: files are read
  }

  /** Writes a small JSON file atomically: staged under `tmp/`, fsynced, renamed into place, directory fsynced. */
  private async placeFile(path: string, value: unknown): Promise<void> {
    await this.contained(this.layout.tmpDir(), 'dir');
    await this.contained(path, 'file');
    const staged = this.layout.tmpEntry(tempEntryName('place'));
    try {
      await writeFileDurably(staged, `${JSON.stringify(value)}\n`);
      await rename(staged, path);
    } catch (error) {
      await rm(staged, { force: true });
      throw error;
    }
    await fsyncDirectory(dirname(path));
  }

  private async underModelLock<T>(name: string, action: () => Promise<T>): Promise<T> {
    await this.contained(this.layout.aliasesDir(name), 'dir');
    await this.contained(this.layout.lockDir(name), 'dir');
    await this.contained(this.layout.tmpDir(), 'dir');
    await ensureDirectoryDurably(this.layout.aliasesDir(name));
    await mkdir(this.layout.tmpDir(), { recursive: true });
    return withDirectoryLock(this.layout.lockDir(name), this.lockOptions(name), action);
  }

  /**
   * Appends the move to the history first (the commit point), then writes the alias file; the caller holds the
   * model lock. A crash between the two leaves a history ahead of the alias file, which
   * {@link FileSystemModelStore.reconcileAliases} applies under the next lock (or `verify()`).
   */
  private async moveAlias(name: string, move: Omit<AliasMove, 'at'>): Promise<AliasMove> {
    const done: AliasMove = { ...move, at: this.now().toISOString() };
    await this.contained(this.layout.historyFile(name), 'file');
    failpoint('alias:before-history');
    await appendNdjsonLines(this.layout.historyFile(name), [JSON.stringify(done)]);
    await fsyncDirectory(this.layout.modelDir(name));
    failpoint('alias:history-appended');
    await this.placeFile(this.layout.aliasFile(name, move.alias), {
      alias: move.alias,
      version: move.version,
      updatedAt: done.at,
    } satisfies AliasRecord);
    failpoint('alias:placed');
    return done;
  }

  /**
   * Makes every alias file of a model agree with its history after a crash, under the model lock; returns what
   * it repaired. The newer side wins: a history line newer than the alias file (a move committed to the history
   * whose alias file was never written) is applied to the file; an alias file newer than the history's last line
   * for it (stores written before the history became the commit point) gets its missing history line.
   * @internal
   */
  async reconcileAliases(name: string, locked = false): Promise<string[]> {
    if (!locked) {
      const untouched = (await this.aliasHistory(name)).length === 0 && (await this.aliasFileNames(name)).length === 0;
      return untouched ? [] : this.underModelLock(name, () => this.reconcileAliases(name, true));
    }
    const repairs: string[] = [];
    const lastMoves = new Map((await this.aliasHistory(name)).map((move) => [move.alias, move]));
    const aliases = new Set([...lastMoves.keys(), ...(await this.aliasFileNames(name))]);
    for (const alias of [...aliases].sort()) {
      const record = await this.readAliasRecord(name, alias);
      const move = lastMoves.get(alias);
      if (move === undefined || move.version === record?.version) continue;
      if (record === undefined || move.at >= record.updatedAt) {
        await this.placeFile(this.layout.aliasFile(name, alias), {
          alias,
          version: move.version,
          updatedAt: move.at,
        } satisfies AliasRecord);
        repairs.push(
          `alias ${quoteName(alias)} of ${label(name)} set to version ${move.version}, as its history records`,
        );
      } else {
        const missing: AliasMove = {
          alias,
          version: record.version,
          previousVersion: move.version,
          kind: 'set',
          reason: 'recovered by verify',
          at: record.updatedAt,
        };
        await appendNdjsonLines(this.layout.historyFile(name), [JSON.stringify(missing)]);
        repairs.push(
          `alias history of ${label(name)} completed with the move of ${quoteName(alias)} to version ${record.version}`,
        );
      }
    }
    return repairs;
  }

  /** Write and delete paths go through this: no symbolic link below the root, no file where a directory belongs. */
  private contained(path: string, last: 'dir' | 'file'): Promise<void> {
    return assertContained(this.root, path, last);
  }

  /** Alias names with a file under `aliases/`. */
  private async aliasFileNames(name: string): Promise<string[]> {
    const entries = await listDir(this.root, this.layout.aliasesDir(name));
    return entries
      .filter((e) => e.endsWith('.json'))
      .map((e) => e.slice(0, -'.json'.length))
      .filter((a) => NAME_PATTERN.test(a));
  }

  /** Aliases of the model pointing at `version`, sorted. */
  private async aliasesAt(name: string, version: number): Promise<string[]> {
    const aliases = await this.aliasFileNames(name);
    const pointing = await Promise.all(
      aliases.map(async (alias) => ((await this.getAlias(name, alias)) === version ? alias : undefined)),
    );
    return pointing.filter((alias): alias is string => alias !== undefined).sort();
  }

  /** The version an alias points to, or `undefined` when it (or the model) does not exist. */
  async getAlias(name: string, alias: string): Promise<number | undefined> {
    assertValidName(name, 'model');
    return (await this.readAliasRecord(name, alias))?.version;
  }

  private async readAliasRecord(name: string, alias: string): Promise<AliasRecord | undefined> {
    const text = await readOptionalText(this.root, this.layout.aliasFile(name, alias));
    if (text === undefined) return undefined;
    const parsed = parseChecked<AliasRecord>(text, (value) => describeAliasRecordProblem(value, alias));
    if (!parsed.ok)
      throw new IntegrityError(`alias ${quoteName(alias)} of ${label(name)} is corrupt: ${parsed.reason}`, { name });
    return parsed.value;
  }

  /** Every move of the model's aliases (or of one alias), oldest first; a line torn by a crash is skipped. */
  async aliasHistory(name: string, alias?: string): Promise<AliasMove[]> {
    assertValidName(name, 'model');
    if (alias !== undefined) assertValidName(alias, 'alias');
    const text = await readOptionalText(this.root, this.layout.historyFile(name));
    if (text === undefined) return [];
    const { moves, problems } = parseAliasHistory(text);
    const damage = problems.find((problem) => !problem.torn);
    if (damage) {
      throw new IntegrityError(`alias history of ${label(name)} is corrupt at line ${damage.line}: ${damage.problem}`, {
        name,
      });
    }
    return alias === undefined ? moves : moves.filter((move) => move.alias === alias);
  }

  /** Versions matching a query (name, tags, metric bounds), newest first, one page at a time. */
  async searchVersions(query: VersionQuery = {}): Promise<VersionPage> {
    const { limit, offset } = checkQuery(query);
    const names = query.name === undefined ? await this.listModels() : [query.name];
    const all = (await Promise.all(names.map((name) => this.searchableVersions(name)))).flat();
    const found = all.filter((version) => matches(version, query)).sort(newestFirst);
    const page = await Promise.all(found.slice(offset, offset + limit).map((entry) => this.completeRecord(entry)));
    return { versions: page.filter((record): record is ModelVersion => record !== undefined), total: found.length };
  }

  /**
   * The full record of a search hit: read from its files already, or its `version.json` with the status the index
   * vouches for (the index saw every status change of it). `undefined` when it was deleted meanwhile.
   */
  private async completeRecord(entry: SearchableVersion | ModelVersion): Promise<ModelVersion | undefined> {
    if ('artifact' in entry) return entry;
    const text = await readOptionalText(this.root, this.layout.versionFile(entry.name, entry.version));
    if (text === undefined) return this.readRecordUnlessDeleted(entry.name, entry.version);
    return { ...this.parseRecord(entry.name, entry.version, text), status: entry.status };
  }

  /** The model's live versions as search needs them: from the version index, and from files where it cannot vouch. */
  private async searchableVersions(name: string): Promise<(SearchableVersion | ModelVersion)[]> {
    assertValidName(name, 'model');
    const index = await this.index.read(name);
    const { known, unknown } = index.lookup(await this.latestVersion(name, index.highest));
    const read = await Promise.all(unknown.map((version) => this.readRecordUnlessDeleted(name, version)));
    return [...known, ...read.filter((record): record is ModelVersion => record !== undefined)];
  }

  /**
   * Rebuilds the model's version index when it disagrees with the version files, read again under the model lock so
   * no status change slips between reading and rewriting; returns the repair made, if any (for `verify()`). @internal
   */
  async reindex(name: string): Promise<string[]> {
    return this.underModelLock(name, async () => {
      const latest = await this.latestVersion(name);
      const live: ModelVersion[] = [];
      const deleted: number[] = [];
      const unreadable = new Set<number>(); // verify() reports these; the index leaves them to their files
      for (let version = 1; version <= latest; version++) {
        const record = await this.readRecordUnlessDeleted(name, version).catch(() => null);
        if (record === undefined) deleted.push(version);
        else if (record === null) unreadable.add(version);
        else live.push(record);
      }
      const index = await this.index.read(name);
      const lookup = index.lookup(latest);
      const known = lookup.known.filter((entry) => !unreadable.has(entry.version));
      const same =
        lookup.unknown.every((version) => unreadable.has(version)) &&
        index.invalidLines === 0 &&
        known.length === live.length &&
        known.every((entry, i) => JSON.stringify(entry) === JSON.stringify(searchable(live[i]!)));
      if (same) return [];
      await this.index.rewrite(name, live, deleted);
      return [`version index of ${label(name)} rebuilt from its ${live.length} version records`];
    });
  }

  /**
   * Checks the whole store (fsck): every version's record and artifact checksum, that records match
   * their location, that aliases point at existing versions; removes leftover staging entries under
   * `tmp/` whose writer is gone. Problems are returned as data, never thrown.
   */
  async verify(): Promise<VerifyReport> {
    return verifyStore(this, this.layout, this.tempStaleMs);
  }
  /** Nothing to release: a directory holds no connections (here for the `Registry` contract). */
  async close(): Promise<void> {}

  /** Version numbers taken by a model (deleted ones included), ascending. @internal */
  versionNumbers(name: string): Promise<number[]> {
    return versionNumbersIn(this.root, this.layout.versionsDir(name));
  }

  /** Every model directory's name, with versions or without (decisions only), sorted. @internal */
  modelNames(): Promise<string[]> {
    return namesIn(this.root, this.layout.modelsDir(), async () => true);
  }

  /**
   * A version as a migration copies it: its record, the reason of its status and its artifact's bytes (checksum and
   * shape verified), or its tombstone when it was deleted. @internal
   */
  async exportVersion(
    name: string,
    version: number,
  ): Promise<{ record: ModelVersion; statusReason: string; bytes: Buffer } | { tombstone: Tombstone }> {
    const tombstone = await this.readTombstone(name, version);
    if (tombstone) return { tombstone };
    const record = await this.readRecord(name, version);
    const bytes = await this.readArtifactBytes(record);
    checkStoredArtifact(record, bytes);
    return { record, statusReason: (await this.readStatusRecord(name, version))?.reason ?? '', bytes };
  }

  /**
   * The highest version number taken (deleted ones included). Numbers are gap-free and never freed, so
   * after one directory listing per model this only probes upward from the last answer: one `stat` per call.
   */
  private async latestVersion(name: string, hint = 0): Promise<number> {
    let latest = this.latestSeen.get(name);
    // A published version number from the index spares listing the directory, once its directory is seen to exist.
    if (latest === undefined && hint > 0 && (await pathExists(this.layout.versionDir(name, hint)))) latest = hint;
    if (latest === undefined) {
      const numbers = await this.versionNumbers(name);
      latest = numbers[numbers.length - 1] ?? 0;
    }
    while (await pathExists(this.layout.versionDir(name, latest + 1))) latest++;
    if (latest > 0) this.latestSeen.set(name, latest);
    return latest;
  }

  /** The newest version that is neither archived nor deleted, or 0. */
  private async latestActiveVersion(name: string): Promise<number> {
    for (let version = await this.latestVersion(name); version >= 1; version--) {
      const record = await this.readRecordUnlessDeleted(name, version);
      if (record?.status === 'active') return version;
    }
    return 0;
  }

  private lockOptions(name: string): DirectoryLockOptions {
    return {
      tmpDir: this.layout.tmpDir(),
      staleMs: this.lockStaleMs,
      timeoutMs: this.lockTimeoutMs,
      description: label(name),
    };
  }

  private async notFound(name: string, what: string, version?: number): Promise<NotFoundError> {
    const exists = await pathExists(this.layout.versionsDir(name));
    const options = { name, ...(version === undefined ? {} : { version }) };
    return new NotFoundError(`${label(name)} ${exists ? what : 'does not exist'}`, options);
  }

  private async resolveRef(name: string, ref: VersionRef): Promise<{ version: number; alias?: string }> {
    if (typeof ref === 'number') {
      assertVersionNumber(ref);
      return { version: ref };
    }
    if (typeof ref !== 'string') {
      throw new InvalidInputError(`a version ref must be a version number, an alias or "latest", got ${typeof ref}`, {
        name,
      });
    }
    if (ref === LATEST) {
      const latest = await this.latestActiveVersion(name);
      if (latest === 0) throw await this.notFound(name, 'has no active versions');
      return { version: latest };
    }
    const version = await this.getAlias(name, ref);
    if (version === undefined) throw await this.notFound(name, `has no alias ${quoteName(ref)}`);
    return { version, alias: ref };
  }

  private async readRecord(name: string, version: number): Promise<ModelVersion> {
    const record = await this.readRecordUnlessDeleted(name, version);
    if (record === undefined) throw deletedVersionError(name, version);
    return record;
  }

  /** The validated record with its status, or `undefined` for a deleted (tombstoned) version. */
  private async readRecordUnlessDeleted(name: string, version: number): Promise<ModelVersion | undefined> {
    const [deleted, text] = await Promise.all([
      pathExists(this.layout.tombstoneFile(name, version)),
      readOptionalText(this.root, this.layout.versionFile(name, version)),
    ]);
    if (deleted) return undefined;
    if (text === undefined) {
      if (await pathExists(this.layout.tombstoneFile(name, version))) return undefined; // deleted meanwhile
      if (await pathExists(this.layout.versionDir(name, version))) {
        throw new IntegrityError(`${label(name, version)} has no readable ${VERSION_FILE}`, { name, version });
      }
      throw await this.notFound(name, `has no version ${version}`, version);
    }
    return { ...this.parseRecord(name, version, text), status: await this.readStatus(name, version) };
  }

  /** A `version.json` text, validated and checked against its location. */
  private parseRecord(name: string, version: number, text: string): StoredVersionRecord {
    const parsed = parseChecked<StoredVersionRecord>(text, describeVersionRecordProblem);
    if (!parsed.ok)
      throw new IntegrityError(`version record of ${label(name, version)} is corrupt: ${parsed.reason}`, {
        name,
        version,
      });
    const record = parsed.value;
    if (record.name !== name || record.version !== version) {
      throw new IntegrityError(
        `version record of ${label(name, version)} contradicts its location: it says ${label(record.name, record.version)}`,
        { name, version },
      );
    }
    return record;
  }

  private async readStatus(name: string, version: number): Promise<VersionStatus> {
    return (await this.readStatusRecord(name, version))?.status ?? 'active';
  }

  /** The version's status record, or `undefined` when it never changed (active). */
  private async readStatusRecord(name: string, version: number): Promise<StatusRecord | undefined> {
    const text = await readOptionalText(this.root, this.layout.statusFile(name, version));
    if (text === undefined) return undefined;
    const parsed = parseChecked<StatusRecord>(text, describeStatusRecordProblem);
    if (!parsed.ok)
      throw new IntegrityError(`${STATUS_FILE} of ${label(name, version)} is corrupt: ${parsed.reason}`, {
        name,
        version,
      });
    return parsed.value;
  }

  /** Reads and validates a tombstone (for `verify()`); `undefined` when the version is not deleted. @internal */
  async readTombstone(name: string, version: number): Promise<Tombstone | undefined> {
    const text = await readOptionalText(this.root, this.layout.tombstoneFile(name, version));
    if (text === undefined) return undefined;
    const parsed = parseChecked<Tombstone>(text, (value) => describeTombstoneProblem(value, name, version));
    if (!parsed.ok)
      throw new IntegrityError(`tombstone of ${label(name, version)} is corrupt: ${parsed.reason}`, { name, version });
    return parsed.value;
  }

  private async readArtifact(record: ModelVersion): Promise<ModelArtifact> {
    return checkStoredArtifact(record, await this.readArtifactBytes(record));
  }

  /** A version's artifact bytes as stored (`IntegrityError` when missing, unless it was deleted meanwhile). */
  private async readArtifactBytes({ name, version }: ModelVersion): Promise<Buffer> {
    const bytes = await readOptionalFile(this.root, this.layout.artifactFile(name, version));
    if (bytes !== undefined) return bytes;
    if (await pathExists(this.layout.tombstoneFile(name, version))) throw deletedVersionError(name, version);
    throw new IntegrityError(`artifact of ${label(name, version)} is missing`, { name, version });
  }
}
