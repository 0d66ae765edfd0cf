import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  IntegrityError,
  InvalidInputError,
  NotFoundError,
  type ModelArtifact,
  type ModelStore,
  type ModelVersion,
  type RegisterModelInput,
  type SetAliasOptions,
  type VersionRef,
} from '@mlops/core';
import { appendLineDurably, ensureDirectoryDurably, fsyncDirectory, pathExists, writeFileDurably } from '../fs/durable';
import { errorCode, isNotFound } from '../fs/errno';
import { ARTIFACT_FILE, StoreLayout, VERSION_DIR_PATTERN, VERSION_FILE } from '../fs/layout';
import { withDirectoryLock, type DirectoryLockOptions } from '../fs/lock';
import { tempEntryName } from '../fs/owner';
import { parseChecked } from '../json/safe-parse';
import { assertValidName, assertVersionNumber, LATEST, NAME_PATTERN, quoteName } from '../names/names';
import { describeAliasRecordProblem, parseAliasHistory, type AliasMove, type AliasRecord } from '../records/alias-record';
import { checkStoredArtifact } from '../records/stored-artifact';
import { assertAliasExpectation, checkAliasRequest, checkRegisterRequest, modelLabel } from '../records/requests';
import { isRecord } from '../records/shape';
import {
  buildVersionRecord,
  describeVersionRecordProblem,
} from '../records/version-record';
import type { FileSystemModelStoreOptions, VerifyReport } from './options';
import { verifyStore } from './verify';
import { checkQuery, matches, newestFirst, type VersionPage, type VersionQuery } from '../search/search';

const MAX_CLAIM_ATTEMPTS = 100_000;


const label = modelLabel;

/**
 * A `ModelStore` in a directory: the embedded default. Versions are staged completely under `tmp/`
 * and published by one atomic directory rename, so readers and crashes never see half a version;
 * concurrent writers (threads or processes) get consecutive numbers without gaps. Artifacts are
 * checksummed (sha256) and verified on every load; alias moves are compare-and-set under a per-model lock.
 */
export class FileSystemModelStore implements ModelStore {
  /** Absolute registry directory. */
  readonly root: string;
  private readonly layout: StoreLayout;
  private readonly now: () => Date;
  private readonly lockStaleMs: number;
  private readonly lockTimeoutMs: number;
  private readonly tempStaleMs: number;

  constructor(options: FileSystemModelStoreOptions) {
    if (!isRecord(options) || typeof options.root !== 'string' || options.root === '') {
      throw new InvalidInputError('FileSystemModelStore needs a non-empty "root" directory path');
    }
    this.layout = new StoreLayout(options.root);
    this.root = this.layout.root;
    this.now = options.now ?? (() => new Date());
    this.lockStaleMs = options.lockStaleMs ?? 30_000;
    this.lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
    this.tempStaleMs = options.tempStaleMs ?? 3_600_000;
  }

  /** Stores a new version: numbers 1, 2, 3… per name, assigned atomically even across processes. */
  async register(name: string, input: RegisterModelInput): Promise<ModelVersion> {
    const { bytes, digest } = checkRegisterRequest(name, input);
    const cannot = `cannot register ${label(name)}`;
    if (input.parentVersion !== undefined && !(await pathExists(this.layout.versionDir(name, input.parentVersion)))) {
      throw new NotFoundError(`${cannot}: parent version ${input.parentVersion} does not exist`, {
        name,
        version: input.parentVersion,
      });
    }

    const artifactBytes = bytes;
    const createdAt = this.now().toISOString();
    const versionsDir = this.layout.versionsDir(name);
    await ensureDirectoryDurably(versionsDir);
    await mkdir(this.layout.tmpDir(), { recursive: true });

    const staging = this.layout.tmpEntry(tempEntryName('register'));
    await mkdir(staging);
    let published = false;
    try {
      await writeFileDurably(join(staging, ARTIFACT_FILE), artifactBytes);
      let version = (await this.latestVersion(name)) + 1;
      for (let attempt = 1; ; attempt++) {
        const record = buildVersionRecord(name, version, input, input.artifact, digest, createdAt);
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
        return JSON.parse(recordJson) as ModelVersion;
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
      throw new IntegrityError(`alias ${quoteName(alias)} of ${label(name)} points at version ${version}, which does not exist`, {
        name,
        version,
      });
    }
  }

  /** Loads an artifact and verifies its sha256 (`IntegrityError`) and shape (`InvalidArtifactError`). */
  async loadArtifact(name: string, ref: VersionRef): Promise<{ version: ModelVersion; artifact: ModelArtifact }> {
    const record = await this.getVersion(name, ref);
    return { version: record, artifact: await this.readArtifact(record) };
  }

  /** All versions of a model, oldest first (each record validated); `[]` for an unknown model. */
  async listVersions(name: string): Promise<ModelVersion[]> {
    assertValidName(name, 'model');
    const numbers = await this.versionNumbers(name);
    return Promise.all(numbers.map((version) => this.readRecord(name, version)));
  }

  /** Names of all models with at least one version, sorted. */
  async listModels(): Promise<string[]> {
    let entries;
    try {
      entries = await readdir(this.layout.modelsDir(), { withFileTypes: true });
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
    const names = entries.filter((entry) => entry.isDirectory() && NAME_PATTERN.test(entry.name)).map((entry) => entry.name);
    const withVersions = await Promise.all(names.map(async (name) => ((await this.latestVersion(name)) > 0 ? name : undefined)));
    return withVersions.filter((name): name is string => name !== undefined).sort();
  }

  /**
   * Points `alias` at an existing `version`. With `expectedVersion` (a number, or `null`: the alias must not
   * exist yet) it is a compare-and-set that throws `ConflictError` when the alias moved meanwhile.
   */
  async setAlias(name: string, alias: string, version: number, options: SetAliasOptions = {}): Promise<void> {
    checkAliasRequest(name, alias, version, options);
    const expected = options.expectedVersion;
    await this.readRecord(name, version);

    const aliasesDir = this.layout.aliasesDir(name);
    await ensureDirectoryDurably(aliasesDir);
    await mkdir(this.layout.tmpDir(), { recursive: true });
    await withDirectoryLock(this.layout.lockDir(name), this.lockOptions(name), async () => {
      const current = await this.getAlias(name, alias);
      assertAliasExpectation(name, alias, current, expected);
      const at = this.now().toISOString();
      const record: AliasRecord = { alias, version, updatedAt: at };
      const staged = this.layout.tmpEntry(tempEntryName('alias'));
      try {
        await writeFileDurably(staged, `${JSON.stringify(record)}\n`);
        await rename(staged, this.layout.aliasFile(name, alias));
      } catch (error) {
        await rm(staged, { force: true });
        throw error;
      }
      await fsyncDirectory(aliasesDir);
      const move: AliasMove = { alias, version, previousVersion: current ?? null, reason: options.reason ?? '', at };
      await appendLineDurably(this.layout.historyFile(name), JSON.stringify(move));
      await fsyncDirectory(this.layout.modelDir(name));
    });
  }

  /** The version an alias points to, or `undefined` when it (or the model) does not exist. */
  async getAlias(name: string, alias: string): Promise<number | undefined> {
    assertValidName(name, 'model');
    let text: string;
    try {
      text = await readFile(this.layout.aliasFile(name, alias), 'utf8');
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    const parsed = parseChecked<AliasRecord>(text, (value) => describeAliasRecordProblem(value, alias));
    if (!parsed.ok) throw new IntegrityError(`alias ${quoteName(alias)} of ${label(name)} is corrupt: ${parsed.reason}`, { name });
    return parsed.value.version;
  }

  /** Every move of the model's aliases (or of one alias), oldest first; a line torn by a crash is skipped. */
  async aliasHistory(name: string, alias?: string): Promise<AliasMove[]> {
    assertValidName(name, 'model');
    if (alias !== undefined) assertValidName(alias, 'alias');
    let text: string;
    try {
      text = await readFile(this.layout.historyFile(name), 'utf8');
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
    const { moves, problems } = parseAliasHistory(text);
    const damage = problems.find((problem) => !problem.torn);
    if (damage) {
      throw new IntegrityError(`alias history of ${label(name)} is corrupt at line ${damage.line}: ${damage.problem}`, { name });
    }
    return alias === undefined ? moves : moves.filter((move) => move.alias === alias);
  }

  /** Versions matching a query (name, tags, metric bounds), newest first, one page at a time. */
  async searchVersions(query: VersionQuery = {}): Promise<VersionPage> {
    const { limit, offset } = checkQuery(query);
    const names = query.name === undefined ? await this.listModels() : [query.name];
    const all = (await Promise.all(names.map((name) => this.listVersions(name)))).flat();
    const found = all.filter((version) => matches(version, query)).sort(newestFirst);
    return { versions: found.slice(offset, offset + limit), total: found.length };
  }

  /**
   * Checks the whole store (fsck): every version's record and artifact checksum, that records match
   * their location, that aliases point at existing versions; removes leftover staging entries under
   * `tmp/` whose writer is gone. Problems are returned as data, never thrown.
   */
  async verify(): Promise<VerifyReport> {
    return verifyStore(this, this.layout, this.tempStaleMs);
  }

  private async versionNumbers(name: string): Promise<number[]> {
    let entries: string[];
    try {
      entries = await readdir(this.layout.versionsDir(name));
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
    return entries
      .filter((entry) => VERSION_DIR_PATTERN.test(entry))
      .map(Number)
      .sort((a, b) => a - b);
  }

  private async latestVersion(name: string): Promise<number> {
    const numbers = await this.versionNumbers(name);
    return numbers[numbers.length - 1] ?? 0;
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
      throw new InvalidInputError(`a version ref must be a version number, an alias or "latest", got ${typeof ref}`, { name });
    }
    if (ref === LATEST) {
      const latest = await this.latestVersion(name);
      if (latest === 0) throw await this.notFound(name, 'has no versions');
      return { version: latest };
    }
    const version = await this.getAlias(name, ref);
    if (version === undefined) throw await this.notFound(name, `has no alias ${quoteName(ref)}`);
    return { version, alias: ref };
  }

  private async readRecord(name: string, version: number): Promise<ModelVersion> {
    let text: string;
    try {
      text = await readFile(this.layout.versionFile(name, version), 'utf8');
    } catch (error) {
      if (!isNotFound(error) && errorCode(error) !== 'ENOTDIR') throw error;
      if (await pathExists(this.layout.versionDir(name, version))) {
        throw new IntegrityError(`${label(name, version)} has no readable ${VERSION_FILE}`, { name, version, cause: error });
      }
      throw await this.notFound(name, `has no version ${version}`, version);
    }
    const parsed = parseChecked<ModelVersion>(text, describeVersionRecordProblem);
    if (!parsed.ok) throw new IntegrityError(`version record of ${label(name, version)} is corrupt: ${parsed.reason}`, { name, version });
    const record = parsed.value;
    if (record.name !== name || record.version !== version) {
      throw new IntegrityError(
        `version record of ${label(name, version)} contradicts its location: it says ${label(record.name, record.version)}`,
        { name, version },
      );
    }
    return record;
  }

  private async readArtifact(record: ModelVersion): Promise<ModelArtifact> {
    const { name, version } = record;
    let bytes: Buffer;
    try {
      bytes = await readFile(this.layout.artifactFile(name, version));
    } catch (error) {
      if (!isNotFound(error)) throw error;
      throw new IntegrityError(`artifact of ${label(name, version)} is missing`, { name, version, cause: error });
    }
    return checkStoredArtifact(record, bytes);
  }
}
