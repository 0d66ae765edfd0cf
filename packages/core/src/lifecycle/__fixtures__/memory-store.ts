// A minimal, real in-memory ModelStore for the lifecycle tests (the registry package has the real backends).
import type { ModelArtifact } from '../../contracts/model';
import type { ModelStore, ModelVersion, RegisterModelInput, SetAliasOptions, VersionRef } from '../../contracts/store';
import { ConflictError, NotFoundError } from '../../errors/errors';

export class MemoryModelStore implements ModelStore {
  private readonly versions = new Map<string, { version: ModelVersion; artifact: string }[]>();
  private readonly aliases = new Map<string, number>();
  readonly aliasMoves: { alias: string; version: number; reason?: string }[] = [];

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
      ...(input.dataset ? { dataset: input.dataset } : {}),
      ...(input.parentVersion === undefined ? {} : { parentVersion: input.parentVersion }),
      signature: { featureNames: input.artifact.featureNames, ...(input.artifact.classNames ? { classNames: input.artifact.classNames } : {}) },
      artifact: { format: input.artifact.format, formatVersion: input.artifact.formatVersion, sha256: '', bytes: artifact.length },
    };
    list.push({ version, artifact });
    this.versions.set(name, list);
    return version;
  }

  private entry(name: string, ref: VersionRef) {
    const list = this.versions.get(name) ?? [];
    const number = typeof ref === 'number' ? ref : ref === 'latest' ? list.length : this.aliases.get(`${name}@${ref}`);
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
    return (this.versions.get(name) ?? []).map((e) => e.version);
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
    this.aliases.set(`${name}@${alias}`, version);
    this.aliasMoves.push({ alias, version, ...(options.reason ? { reason: options.reason } : {}) });
  }

  async getAlias(name: string, alias: string): Promise<number | undefined> {
    return this.aliases.get(`${name}@${alias}`);
  }
}
