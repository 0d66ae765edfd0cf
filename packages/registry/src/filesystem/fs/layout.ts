import { resolve, sep } from 'node:path';
import { InvalidNameError } from '@mlops/core';
import { assertValidName } from '../../names/names';

/**
 * Paths of the on-disk layout under one root. Every name is validated and every path is resolved and
 * checked to stay inside the root before it is returned.
 *
 * ```
 * <root>/models/<name>/versions/<n>/version.json    metadata (ModelVersion)
 * <root>/models/<name>/versions/<n>/artifact.json   the artifact, exactly the checksummed bytes
 * <root>/models/<name>/versions/<n>/status.json     { status, updatedAt, reason } once archived/restored
 * <root>/models/<name>/versions/<n>/deleted.json    tombstone of a deleted version (keeps its number)
 * <root>/models/<name>/aliases/<alias>.json         { alias, version, updatedAt }
 * <root>/models/<name>/alias-history.ndjson         one alias move per line
 * <root>/models/<name>/index.ndjson                 version index for search (a cache the files override)
 * <root>/models/<name>/.lock/                       per-model lock (alias moves)
 * <root>/models/<name>/decisions.ndjson             lifecycle decisions, one per line
 * <root>/models/<name>/.decisions.lock/             lock of the decision log
 * <root>/models/<name>/.run.lease/                  lifecycle run lease (one run at a time across processes)
 * <root>/datasets/<name>/versions/<n>/dataset.json  metadata (DatasetVersion)
 * <root>/datasets/<name>/versions/<n>/data.json     the snapshot, exactly the checksummed bytes
 * <root>/datasets/<name>/.lock/                     per-dataset lock (registration)
 * <root>/tmp/                                       staging; leftovers are removed by verify()
 * ```
 */
export class StoreLayout {
  /** Absolute root directory. */
  readonly root: string;
  private readonly rootPrefix: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.rootPrefix = this.root.endsWith(sep) ? this.root : this.root + sep;
  }

  private inside(...segments: string[]): string {
    const path = resolve(this.root, ...segments);
    if (!path.startsWith(this.rootPrefix)) {
      throw new InvalidNameError(
        `path ${JSON.stringify(path)} would leave the registry root ${JSON.stringify(this.root)}`,
      );
    }
    return path;
  }

  /** `<root>/models`. */
  modelsDir(): string {
    return this.inside('models');
  }

  /** `<root>/tmp`, where new versions and alias files are staged. */
  tmpDir(): string {
    return this.inside('tmp');
  }

  /** `<root>/tmp/<entry>`. */
  tmpEntry(entry: string): string {
    return this.inside('tmp', entry);
  }

  /** `<root>/models/<name>`. */
  modelDir(name: string): string {
    assertValidName(name, 'model');
    return this.inside('models', name);
  }

  /** `<root>/models/<name>/versions`. */
  versionsDir(name: string): string {
    return this.inside(this.modelDir(name), 'versions');
  }

  /** `<root>/models/<name>/versions/<version>`. */
  versionDir(name: string, version: number): string {
    if (!Number.isSafeInteger(version) || version < 1)
      throw new InvalidNameError(`invalid version directory ${String(version)}`);
    return this.inside(this.versionsDir(name), String(version));
  }

  /** `<root>/models/<name>/versions/<version>/version.json`. */
  versionFile(name: string, version: number): string {
    return this.inside(this.versionDir(name, version), VERSION_FILE);
  }

  /** `<root>/models/<name>/versions/<version>/artifact.json`. */
  artifactFile(name: string, version: number): string {
    return this.inside(this.versionDir(name, version), ARTIFACT_FILE);
  }

  /** `<root>/models/<name>/versions/<version>/status.json`. */
  statusFile(name: string, version: number): string {
    return this.inside(this.versionDir(name, version), STATUS_FILE);
  }

  /** `<root>/models/<name>/versions/<version>/deleted.json`. */
  tombstoneFile(name: string, version: number): string {
    return this.inside(this.versionDir(name, version), TOMBSTONE_FILE);
  }

  /** `<root>/models/<name>/aliases`. */
  aliasesDir(name: string): string {
    return this.inside(this.modelDir(name), 'aliases');
  }

  /** `<root>/models/<name>/aliases/<alias>.json`. */
  aliasFile(name: string, alias: string): string {
    assertValidName(alias, 'alias');
    return this.inside(this.aliasesDir(name), `${alias}.json`);
  }

  /** `<root>/models/<name>/alias-history.ndjson`. */
  historyFile(name: string): string {
    return this.inside(this.modelDir(name), 'alias-history.ndjson');
  }

  /** `<root>/models/<name>/index.ndjson`. */
  indexFile(name: string): string {
    return this.inside(this.modelDir(name), 'index.ndjson');
  }

  /** `<root>/models/<name>/.lock`. */
  lockDir(name: string): string {
    return this.inside(this.modelDir(name), '.lock');
  }

  /** `<root>/models/<name>/decisions.ndjson`. */
  decisionFile(name: string): string {
    return this.inside(this.modelDir(name), 'decisions.ndjson');
  }

  /** `<root>/models/<name>/.decisions.lock`. */
  decisionLockDir(name: string): string {
    return this.inside(this.modelDir(name), '.decisions.lock');
  }

  /** `<root>/models/<name>/.run.lease`. */
  runLeaseDir(name: string): string {
    return this.inside(this.modelDir(name), '.run.lease');
  }

  /** `<root>/datasets`. */
  datasetsDir(): string {
    return this.inside('datasets');
  }

  /** `<root>/datasets/<name>`. */
  datasetDir(name: string): string {
    assertValidName(name, 'dataset');
    return this.inside('datasets', name);
  }

  /** `<root>/datasets/<name>/versions`. */
  datasetVersionsDir(name: string): string {
    return this.inside(this.datasetDir(name), 'versions');
  }

  /** `<root>/datasets/<name>/versions/<version>`. */
  datasetVersionDir(name: string, version: number): string {
    if (!Number.isSafeInteger(version) || version < 1)
      throw new InvalidNameError(`invalid version directory ${String(version)}`);
    return this.inside(this.datasetVersionsDir(name), String(version));
  }

  /** `<root>/datasets/<name>/versions/<version>/dataset.json`. */
  datasetRecordFile(name: string, version: number): string {
    return this.inside(this.datasetVersionDir(name, version), DATASET_RECORD_FILE);
  }

  /** `<root>/datasets/<name>/versions/<version>/data.json`. */
  datasetDataFile(name: string, version: number): string {
    return this.inside(this.datasetVersionDir(name, version), DATASET_DATA_FILE);
  }

  /** `<root>/datasets/<name>/.lock`. */
  datasetLockDir(name: string): string {
    return this.inside(this.datasetDir(name), '.lock');
  }
}

/** File names inside a version directory. */
export const VERSION_FILE = 'version.json';
/** See {@link VERSION_FILE}. */
export const ARTIFACT_FILE = 'artifact.json';
/** See {@link VERSION_FILE}. */
export const STATUS_FILE = 'status.json';
/** See {@link VERSION_FILE}. */
const TOMBSTONE_FILE = 'deleted.json';
/** File names inside a dataset version directory. */
export const DATASET_RECORD_FILE = 'dataset.json';
/** See {@link DATASET_RECORD_FILE}. */
export const DATASET_DATA_FILE = 'data.json';
/** Version directory names: a positive integer without leading zeros. */
export const VERSION_DIR_PATTERN = /^[1-9][0-9]{0,15}$/;
