import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  IntegrityError,
  InvalidInputError,
  NotFoundError,
  type Dataset,
  type DatasetStore,
  type DatasetVersion,
  type RegisterDatasetInput,
} from '@mlops/core';
import { ensureDirectoryDurably, fsyncDirectory, pathExists, writeFileDurably } from './fs/durable';
import { assertContained, readOptionalFile, readOptionalText } from './fs/containment';
import { DATASET_DATA_FILE, DATASET_RECORD_FILE, type StoreLayout } from './fs/layout';
import { namesIn, versionNumbersIn } from './fs/listing';
import { withDirectoryLock, type DirectoryLockOptions } from './fs/lock';
import { tempEntryName } from './fs/owner';
import { parseChecked } from '../json/safe-parse';
import { assertValidName, assertVersionNumber, LATEST } from '../names/names';
import {
  buildDatasetRecord,
  checkDatasetRequest,
  datasetLabel,
  decodeStoredDataset,
  describeDatasetRecordProblem,
} from '../records/dataset-record';

/**
 * Dataset versions in the same directory as a `FileSystemModelStore` (`<root>/datasets/`). A snapshot is
 * staged under `tmp/` and published by one directory rename under a per-dataset lock, after checking that
 * no version of that name has the same fingerprint: same content, same version, one copy.
 */
export class FileSystemDatasetStore implements DatasetStore {
  /** Created by the model store of the same root or schema (`store.datasets`). @internal */
  constructor(
    private readonly layout: StoreLayout,
    private readonly now: () => Date,
    private readonly lockOptions: Omit<DirectoryLockOptions, 'description' | 'tmpDir'>,
  ) {}

  /** Stores a snapshot as the next version, or returns the existing version with the same fingerprint. */
  async register(name: string, input: RegisterDatasetInput): Promise<DatasetVersion> {
    const checked = checkDatasetRequest(name, input);
    const existing = await this.findVersion(name, checked.fingerprint);
    if (existing) return existing;
    const versionsDir = this.layout.datasetVersionsDir(name);
    for (const dir of [versionsDir, this.layout.datasetLockDir(name), this.layout.tmpDir()])
      await assertContained(this.layout.root, dir, 'dir');
    await ensureDirectoryDurably(versionsDir);
    await mkdir(this.layout.tmpDir(), { recursive: true });
    const lock = { ...this.lockOptions, tmpDir: this.layout.tmpDir(), description: datasetLabel(name) };
    return withDirectoryLock(this.layout.datasetLockDir(name), lock, async () => {
      const raced = await this.findVersion(name, checked.fingerprint);
      if (raced) return raced;
      const numbers = await this.versionNumbers(name);
      const version = (numbers[numbers.length - 1] ?? 0) + 1;
      const record = buildDatasetRecord(name, version, input, checked, this.now().toISOString());
      const staging = this.layout.tmpEntry(tempEntryName('dataset'));
      await mkdir(staging);
      try {
        await writeFileDurably(join(staging, DATASET_DATA_FILE), checked.bytes);
        await writeFileDurably(join(staging, DATASET_RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
        await fsyncDirectory(staging);
        await rename(staging, this.layout.datasetVersionDir(name, version));
      } catch (error) {
        await rm(staging, { recursive: true, force: true });
        throw error;
      }
      await fsyncDirectory(versionsDir);
      return record;
    });
  }

  /** Metadata of a dataset version by number or `latest`. */
  async getVersion(name: string, ref: number | 'latest'): Promise<DatasetVersion> {
    assertValidName(name, 'dataset');
    return this.readRecord(name, await this.resolve(name, ref));
  }

  /** The version of `name` whose content has this fingerprint, or `undefined` (scans the records). */
  async findVersion(name: string, fingerprint: string): Promise<DatasetVersion | undefined> {
    const versions = await this.listVersions(name);
    return versions.find((version) => version.fingerprint === fingerprint);
  }

  /** Loads a snapshot; checksum, shape and fingerprint are verified (`IntegrityError`). */
  async load(name: string, ref: number | 'latest'): Promise<{ version: DatasetVersion; dataset: Dataset }> {
    const version = await this.getVersion(name, ref);
    return { version, dataset: decodeStoredDataset(version, await this.readData(version)) };
  }

  /** A version's snapshot bytes, as stored (`IntegrityError` when missing). */
  private async readData({ name, version }: DatasetVersion): Promise<Buffer> {
    const bytes = await readOptionalFile(this.layout.root, this.layout.datasetDataFile(name, version));
    if (bytes === undefined)
      throw new IntegrityError(`data of ${datasetLabel(name, version)} is missing`, { name, version });
    return bytes;
  }

  /** A version's record and snapshot bytes (checksum, shape and fingerprint verified), as a migration copies them. @internal */
  async exportVersion(name: string, version: number): Promise<{ record: DatasetVersion; bytes: Buffer }> {
    const record = await this.getVersion(name, version);
    const bytes = await this.readData(record);
    decodeStoredDataset(record, bytes);
    return { record, bytes };
  }

  /** All versions of a dataset, oldest first; `[]` for an unknown name. */
  async listVersions(name: string): Promise<DatasetVersion[]> {
    assertValidName(name, 'dataset');
    const numbers = await this.versionNumbers(name);
    return Promise.all(numbers.map((version) => this.readRecord(name, version)));
  }

  /** Names of all datasets with at least one version, sorted. */
  async list(): Promise<string[]> {
    return namesIn(
      this.layout.root,
      this.layout.datasetsDir(),
      async (name) => (await this.versionNumbers(name)).length > 0,
    );
  }

  /** Version numbers present for a dataset, ascending. */
  versionNumbers(name: string): Promise<number[]> {
    return versionNumbersIn(this.layout.root, this.layout.datasetVersionsDir(name));
  }

  private async resolve(name: string, ref: number | 'latest'): Promise<number> {
    if (ref === LATEST) {
      const numbers = await this.versionNumbers(name);
      const latest = numbers[numbers.length - 1];
      if (latest === undefined) throw new NotFoundError(`${datasetLabel(name)} does not exist`, { name });
      return latest;
    }
    if (typeof ref !== 'number')
      throw new InvalidInputError(`a dataset version ref must be a version number or "latest", got ${String(ref)}`, {
        name,
      });
    assertVersionNumber(ref);
    return ref;
  }

  private async readRecord(name: string, version: number): Promise<DatasetVersion> {
    const text = await readOptionalText(this.layout.root, this.layout.datasetRecordFile(name, version));
    if (text === undefined) {
      if (await pathExists(this.layout.datasetVersionDir(name, version))) {
        throw new IntegrityError(`${datasetLabel(name, version)} has no readable ${DATASET_RECORD_FILE}`, {
          name,
          version,
        });
      }
      const exists = await pathExists(this.layout.datasetVersionsDir(name));
      throw new NotFoundError(`${datasetLabel(name)} ${exists ? `has no version ${version}` : 'does not exist'}`, {
        name,
        version,
      });
    }
    const parsed = parseChecked<DatasetVersion>(text, describeDatasetRecordProblem);
    if (!parsed.ok)
      throw new IntegrityError(`record of ${datasetLabel(name, version)} is corrupt: ${parsed.reason}`, {
        name,
        version,
      });
    if (parsed.value.name !== name || parsed.value.version !== version) {
      throw new IntegrityError(`record of ${datasetLabel(name, version)} contradicts its location`, { name, version });
    }
    return parsed.value;
  }
}
