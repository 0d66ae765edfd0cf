import type { Dataset } from '../contracts/dataset';
import type { DatasetStore, DatasetVersion, RegisterDatasetInput } from '../contracts/dataset-store';
import type { DecisionLog, DecisionRecord } from '../contracts/decision-log';
import type { ModelArtifact } from '../contracts/model';
import type { Registry, VerifyReport, VersionPage, VersionQuery } from '../contracts/registry';
import type {
  AliasMove,
  DatasetLineage,
  ModelStore,
  ModelVersion,
  RegisterModelInput,
  RollbackOptions,
  SetAliasOptions,
  VersionChangeOptions,
  VersionRef,
} from '../contracts/store';
import { ConflictError, NotFoundError } from '../errors/errors';
import { fingerprint } from '../fingerprint/fingerprint';
import { createDataset } from '../validation/dataset';
import { encodedFeatureType } from '../pipeline/pipeline-model';

const lineageOf = ({ fingerprint, name, version }: DatasetLineage): DatasetLineage => ({
  fingerprint,
  ...(name === undefined ? {} : { name }),
  ...(version === undefined ? {} : { version }),
});

/**
 * A small in-memory `ModelStore` for unit tests of code that takes a store (versions, aliases with compare-and-set
 * and rollback, archive, delete). Nothing is persisted or checksummed: use `@mlops/registry` for real registries.
 */
export class MemoryModelStore implements ModelStore {
  private readonly versions = new Map<string, ({ version: ModelVersion; artifact: string } | undefined)[]>();
  private readonly aliases = new Map<string, number>();
  /** Every alias move, oldest first, for assertions. */
  readonly aliasMoves: (AliasMove & { name: string })[] = [];

  async register(name: string, input: RegisterModelInput): Promise<ModelVersion> {
    const list = this.versions.get(name) ?? [];
    const artifact = JSON.stringify(input.artifact);
    const version: ModelVersion = {
      name,
      version: list.length + 1,
      createdAt: new Date(0).toISOString(),
      params: input.params ?? input.artifact.params,
      metrics: input.metrics ?? {},
      tags: input.tags ?? {},
      description: input.description ?? '',
      ...(input.dataset ? { dataset: lineageOf(input.dataset) } : {}),
      ...(input.parentVersion === undefined ? {} : { parentVersion: input.parentVersion }),
      signature: {
        featureNames: input.artifact.featureNames,
        featureTypes:
          input.artifact.inputs?.map((c) => encodedFeatureType(c.type)) ??
          input.featureTypes ??
          input.artifact.featureNames.map(() => 'number'),
        ...(input.artifact.classNames ? { classNames: input.artifact.classNames } : {}),
        ...(input.artifact.inputs ? { inputs: input.artifact.inputs } : {}),
      },
      status: 'active',
      artifact: {
        format: input.artifact.format,
        formatVersion: input.artifact.formatVersion,
        sha256: '',
        bytes: artifact.length,
      },
    };
    list.push({ version, artifact });
    this.versions.set(name, list);
    return version;
  }

  private entry(name: string, ref: VersionRef) {
    const list = this.versions.get(name) ?? [];
    const latest = list.findLast((e) => e?.version.status === 'active')?.version.version;
    const number = typeof ref === 'number' ? ref : ref === 'latest' ? latest : this.aliases.get(`${name}@${ref}`);
    const found = number === undefined ? undefined : list[number - 1];
    if (!found) throw new NotFoundError(`model "${name}" has no version ${String(ref)}`, { name });
    return found;
  }

  async getVersion(name: string, ref: VersionRef): Promise<ModelVersion> {
    return this.entry(name, ref).version;
  }

  async loadArtifact(name: string, ref: VersionRef): Promise<{ version: ModelVersion; artifact: ModelArtifact }> {
    const found = this.entry(name, ref);
    return { version: found.version, artifact: JSON.parse(found.artifact) as ModelArtifact };
  }

  async listVersions(name: string): Promise<ModelVersion[]> {
    return (this.versions.get(name) ?? []).flatMap((e) => (e ? [e.version] : []));
  }

  async listModels(): Promise<string[]> {
    return [...this.versions.keys()].sort();
  }

  async setAlias(name: string, alias: string, version: number, options: SetAliasOptions = {}): Promise<void> {
    this.entry(name, version);
    const current = this.aliases.get(`${name}@${alias}`);
    if (options.expectedVersion !== undefined && (current ?? null) !== options.expectedVersion) {
      throw new ConflictError(`alias "${alias}" is at ${String(current)}, expected ${String(options.expectedVersion)}`);
    }
    this.move(name, alias, version, current ?? null, 'set', options.reason ?? '');
  }

  private move(
    name: string,
    alias: string,
    version: number,
    previousVersion: number | null,
    kind: AliasMove['kind'],
    reason: string,
  ): AliasMove {
    this.aliases.set(`${name}@${alias}`, version);
    const move = { alias, version, previousVersion, kind, reason, at: new Date(0).toISOString() };
    this.aliasMoves.push({ name, ...move });
    return move;
  }

  async getAlias(name: string, alias: string): Promise<number | undefined> {
    return this.aliases.get(`${name}@${alias}`);
  }

  async aliasHistory(name: string, alias?: string): Promise<AliasMove[]> {
    return this.aliasMoves
      .filter((m) => m.name === name && (alias === undefined || m.alias === alias))
      .map(({ name: _, ...move }) => move);
  }

  async rollback(name: string, alias: string, options: RollbackOptions = {}): Promise<AliasMove> {
    const undo: (number | null)[] = [];
    for (const move of await this.aliasHistory(name, alias)) {
      if (move.kind === 'set') undo.push(move.previousVersion);
      else undo.pop();
    }
    const target = undo[undo.length - 1];
    const current = this.aliases.get(`${name}@${alias}`);
    if (target === undefined || target === null || current === undefined)
      throw new ConflictError(`alias "${alias}" has nothing to roll back to`);
    if (options.expectedVersion !== undefined && current !== options.expectedVersion)
      throw new ConflictError(`alias "${alias}" moved`);
    return this.move(name, alias, target, current, 'rollback', options.reason ?? 'rollback');
  }

  private setStatus(name: string, version: number, status: ModelVersion['status']): ModelVersion {
    const found = this.entry(name, version);
    found.version = { ...found.version, status };
    return found.version;
  }

  async archiveVersion(name: string, version: number, _options?: VersionChangeOptions): Promise<ModelVersion> {
    return this.setStatus(name, version, 'archived');
  }

  async restoreVersion(name: string, version: number, _options?: VersionChangeOptions): Promise<ModelVersion> {
    return this.setStatus(name, version, 'active');
  }

  async deleteVersion(name: string, version: number, _options?: VersionChangeOptions): Promise<void> {
    this.entry(name, version);
    this.versions.get(name)![version - 1] = undefined;
  }
}

/** A small in-memory `DatasetStore` for unit tests: same content (fingerprint) → same version. */
export class MemoryDatasetStore implements DatasetStore {
  private readonly versions = new Map<string, { version: DatasetVersion; dataset: Dataset }[]>();

  async register(name: string, input: RegisterDatasetInput): Promise<DatasetVersion> {
    const list = this.versions.get(name) ?? [];
    const dataset = createDataset(input.dataset, { allowMissing: true }); // NaN: a missing value kept for the estimator
    const print = fingerprint(dataset);
    const same = list.find((e) => e.version.fingerprint === print);
    if (same) return same.version;
    const version: DatasetVersion = {
      name,
      version: list.length + 1,
      fingerprint: print,
      createdAt: new Date(0).toISOString(),
      description: input.description ?? '',
      tags: input.tags ?? {},
      rows: dataset.target.length,
      featureNames: dataset.featureNames,
      featureTypes: dataset.featureTypes ?? dataset.featureNames.map(() => 'number'),
      ...(dataset.classNames ? { classNames: dataset.classNames } : {}),
      ...(dataset.levels ? { levels: dataset.levels } : {}),
      data: { sha256: '', bytes: 0 },
    };
    list.push({ version, dataset });
    this.versions.set(name, list);
    return version;
  }

  private entry(name: string, ref: number | 'latest') {
    const list = this.versions.get(name) ?? [];
    const found = list[(ref === 'latest' ? list.length : ref) - 1];
    if (!found) throw new NotFoundError(`dataset "${name}" has no version ${ref}`, { name });
    return found;
  }

  async getVersion(name: string, ref: number | 'latest'): Promise<DatasetVersion> {
    return this.entry(name, ref).version;
  }

  async findVersion(name: string, print: string): Promise<DatasetVersion | undefined> {
    return (this.versions.get(name) ?? []).find((e) => e.version.fingerprint === print)?.version;
  }

  async load(name: string, ref: number | 'latest'): Promise<{ version: DatasetVersion; dataset: Dataset }> {
    return this.entry(name, ref);
  }

  async listVersions(name: string): Promise<DatasetVersion[]> {
    return (this.versions.get(name) ?? []).map((e) => e.version);
  }

  async list(): Promise<string[]> {
    return [...this.versions.keys()].sort();
  }
}

/** An in-memory `DecisionLog` for unit tests, with a crash switch (`failOn`) and a lease that counts its holders. */
export class MemoryDecisionLog implements DecisionLog {
  /** Every appended record, oldest first. */
  readonly records: DecisionRecord[] = [];
  /** Makes the next append of this phase throw once, as a crash at that moment would stop the run. */
  failOn: DecisionRecord['phase'] | undefined;

  async append(record: DecisionRecord): Promise<void> {
    if (this.failOn === record.phase) {
      this.failOn = undefined;
      throw new Error(`crash before writing "${record.phase}"`);
    }
    this.records.push(record);
  }

  async list(model: string): Promise<DecisionRecord[]> {
    return this.records.filter((r) => r.model === model);
  }

  private readonly leases = new Map<string, Promise<unknown>>();
  /** Most holders of one model's lease at once (1 when the lease works). */
  mostHolders = 0;
  private holders = 0;

  withRunLease<T>(model: string, work: () => Promise<T>): Promise<T> {
    const held = (this.leases.get(model) ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => {
        this.mostHolders = Math.max(this.mostHolders, ++this.holders);
        try {
          return await work();
        } finally {
          this.holders--;
        }
      });
    this.leases.set(model, held);
    return held;
  }
}

/**
 * A small in-memory `Registry` for unit tests: a {@link MemoryModelStore} with a {@link MemoryDatasetStore} and a
 * {@link MemoryDecisionLog}. Search filters by name, status, tags, metric range and dataset, newest first; there is
 * nothing on disk for `verify()` to check.
 */
export class MemoryRegistry extends MemoryModelStore implements Registry {
  readonly datasets = new MemoryDatasetStore();
  readonly decisions = new MemoryDecisionLog();

  async searchVersions(query: VersionQuery = {}): Promise<VersionPage> {
    const names = query.name === undefined ? await this.listModels() : [query.name];
    const all = (await Promise.all(names.map((name) => this.listVersions(name)))).flat();
    const matches = all
      .filter((v) => query.status === undefined || v.status === query.status)
      .filter((v) => Object.entries(query.tags ?? {}).every(([key, value]) => v.tags[key] === value))
      .filter((v) => {
        if (!query.metric) return true;
        const value = v.metrics[query.metric.name];
        return (
          value !== undefined && value >= (query.metric.min ?? -Infinity) && value <= (query.metric.max ?? Infinity)
        );
      })
      .filter(
        (v) =>
          !query.dataset ||
          (v.dataset?.name === query.dataset.name &&
            (query.dataset.version === undefined || v.dataset.version === query.dataset.version)),
      )
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.name.localeCompare(b.name) || b.version - a.version);
    const offset = query.offset ?? 0;
    return { versions: matches.slice(offset, offset + (query.limit ?? 50)), total: matches.length };
  }

  async verify(): Promise<VerifyReport> {
    const versions = (await Promise.all((await this.listModels()).map((name) => this.listVersions(name)))).flat();
    return {
      ok: true,
      checkedVersions: versions.length,
      checkedDatasetVersions: (
        await Promise.all((await this.datasets.list()).map((name) => this.datasets.listVersions(name)))
      ).flat().length,
      problems: [],
      removedTempEntries: [],
      repairs: [],
    };
  }

  async close(): Promise<void> {}
}
