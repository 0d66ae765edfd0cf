import { constants } from 'node:fs';
import { lstat, open, rename, rm } from 'node:fs/promises';
import type { DatasetLineage, VersionStatus } from '@mlops/core';
import { isNotFound } from './fs/errno';
import { writeFileDurably, fsyncDirectory } from './fs/durable';
import type { StoreLayout } from './fs/layout';
import { tempEntryName } from './fs/owner';
import type { SearchableVersion } from '../search/search';
import { isFiniteNumberMap, isPositiveInteger, isRecord, isStringMap } from '../records/shape';

/**
 * One line of `models/<name>/index.ndjson`. `register` holds a version's immutable facts; `pending` is written
 * (durably) before an archive, restore or deletion touches the version's files and `status`/`delete` after, so a
 * crash in between leaves a pending version, which readers take from its files.
 */
export type IndexLine =
  | {
      op: 'register';
      version: number;
      createdAt: string;
      metrics: Record<string, number>;
      tags: Record<string, string>;
      dataset?: DatasetLineage;
    }
  | { op: 'pending'; version: number }
  | { op: 'status'; version: number; status: VersionStatus }
  | { op: 'delete'; version: number };

/** A model's index as read once. */
export interface IndexView {
  /** The highest version number the index has a registration for (a version that was published), or 0. */
  readonly highest: number;
  /** Lines that are not valid index lines. */
  readonly invalidLines: number;
  /**
   * Versions 1 to `latest` as the index knows them, and the numbers it cannot vouch for (to read from their files).
   * Deleted versions are in neither list.
   */
  lookup(latest: number): { known: SearchableVersion[]; unknown: number[] };
}

/** What the index says about a model's versions, and how far its file was read. */
interface IndexState {
  /** File identity and how far it was read (up to the last whole line). */
  ino: number;
  offset: number;
  /** Registered versions with their current status, built once per line (search runs over these objects). */
  versions: Map<number, SearchableVersion>;
  status: Map<number, VersionStatus>;
  /** The highest registered version number seen. */
  highest: number;
  deleted: Set<number>;
  pending: Set<number>;
  /** Lines that are not valid index lines (torn by a crash or damaged); `verify()` rebuilds the index. */
  invalidLines: number;
}

/** How `register` writes `createdAt` (`Date.prototype.toISOString`). */
const ISO_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function isLineage(value: unknown): value is DatasetLineage {
  return (
    isRecord(value) &&
    typeof value.fingerprint === 'string' &&
    (value.name === undefined || typeof value.name === 'string') &&
    (value.version === undefined || isPositiveInteger(value.version))
  );
}

/** A parsed line, or `undefined` when it is not JSON. */
function parseLine(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** An index line, or `undefined` when the value is not one. */
function asIndexLine(value: unknown): IndexLine | undefined {
  if (!isRecord(value) || !isPositiveInteger(value.version)) return undefined;
  switch (value.op) {
    case 'register':
      return typeof value.createdAt === 'string' &&
        ISO_TIMESTAMP.test(value.createdAt) &&
        isFiniteNumberMap(value.metrics) &&
        isStringMap(value.tags) &&
        (value.dataset === undefined || isLineage(value.dataset))
        ? (value as IndexLine)
        : undefined;
    case 'status':
      return value.status === 'active' || value.status === 'archived' ? (value as IndexLine) : undefined;
    case 'pending':
    case 'delete':
      return value as IndexLine;
    default:
      return undefined;
  }
}

function apply(name: string, state: IndexState, line: IndexLine): void {
  const { version } = line;
  if (line.op === 'register') {
    const { createdAt, metrics, tags, dataset } = line;
    const status = state.status.get(version) ?? 'active';
    state.highest = Math.max(state.highest, version);
    state.versions.set(version, {
      name,
      version,
      createdAt,
      metrics,
      tags,
      ...(dataset === undefined ? {} : { dataset }),
      status,
    });
  } else if (line.op === 'pending') {
    state.pending.add(version);
  } else {
    state.pending.delete(version);
    if (line.op === 'delete') state.deleted.add(version);
    else {
      state.status.set(version, line.status);
      const registered = state.versions.get(version);
      if (registered) state.versions.set(version, { ...registered, status: line.status });
    }
  }
}

const emptyState = (ino: number): IndexState => ({
  ino,
  offset: 0,
  versions: new Map(),
  status: new Map(),
  highest: 0,
  deleted: new Set(),
  pending: new Set(),
  invalidLines: 0,
});

/** The `register` line of a version record. */
export function registerLine(record: SearchableVersion): IndexLine {
  const { version, createdAt, metrics, tags, dataset } = record;
  return { op: 'register', version, createdAt, metrics, tags, ...(dataset === undefined ? {} : { dataset }) };
}

/**
 * The per-model version index of the filesystem store: an append-only NDJSON file that lets `searchVersions`
 * filter and sort without opening every version's files. It is a cache the files always override: a version the
 * index does not vouch for (never indexed, a line lost to a crash, an unfinished status change) is read from its
 * files, so a damaged or missing index costs speed, never correctness. Each reader keeps what it parsed and reads
 * only the bytes appended since; `verify()` rebuilds an index that disagrees with the files.
 */
export class VersionIndex {
  private readonly states = new Map<string, IndexState>();

  constructor(private readonly layout: StoreLayout) {}

  /**
   * Appends lines without a lock (registrations never take one): each write is one `O_APPEND` write, and every
   * line starts with a newline so that the remains of a write cut short by a crash never swallow the next line.
   */
  async append(name: string, lines: readonly IndexLine[], options: { sync: boolean }): Promise<void> {
    const handle = await open(
      this.layout.indexFile(name),
      constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW,
      0o644,
    );
    try {
      await handle.write(`${lines.map((line) => `\n${JSON.stringify(line)}`).join('')}\n`);
      if (options.sync) await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** What the index says about the model now (reading only what was appended since the last call). */
  async read(name: string): Promise<IndexView> {
    const state = await this.refresh(name);
    return {
      highest: state.highest,
      invalidLines: state.invalidLines,
      lookup: (latest) => {
        const known: SearchableVersion[] = [];
        const unknown: number[] = [];
        for (let version = 1; version <= latest; version++) {
          if (state.deleted.has(version)) continue;
          const indexed = state.versions.get(version);
          if (indexed === undefined || state.pending.has(version)) unknown.push(version);
          else known.push(indexed);
        }
        return { known, unknown };
      },
    };
  }

  /**
   * Replaces the index with one describing exactly `live` (and `deleted`), atomically. The caller holds the model
   * lock, so no status changes meanwhile; a registration appending to the old file meanwhile only loses its line
   * (its version is then read from its files).
   */
  async rewrite(name: string, live: readonly SearchableVersion[], deleted: readonly number[]): Promise<void> {
    const lines: IndexLine[] = [];
    for (const record of live) {
      lines.push(registerLine(record));
      if (record.status !== 'active') lines.push({ op: 'status', version: record.version, status: record.status });
    }
    for (const version of deleted) lines.push({ op: 'delete', version });
    const staged = this.layout.tmpEntry(tempEntryName('index'));
    try {
      await writeFileDurably(staged, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
      await rename(staged, this.layout.indexFile(name));
    } catch (error) {
      await rm(staged, { force: true });
      throw error;
    }
    await fsyncDirectory(this.layout.modelDir(name));
    this.states.delete(name);
  }

  /** Reads what was appended since the last call (or everything, when the file was replaced). */
  private async refresh(name: string): Promise<IndexState> {
    const cached = this.states.get(name);
    if (cached !== undefined) {
      // One stat when nothing was appended (the usual case for a reader).
      const stats = await lstat(this.layout.indexFile(name)).catch(() => undefined);
      if (stats?.isFile() && stats.ino === cached.ino && stats.size === cached.offset) return cached;
    }
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(this.layout.indexFile(name), constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      this.states.delete(name);
      return emptyState(0);
    }
    try {
      const { ino, size } = await handle.stat();
      let state = this.states.get(name);
      if (state === undefined || state.ino !== ino || size < state.offset) state = emptyState(ino);
      if (size > state.offset) {
        const buffer = Buffer.alloc(size - state.offset);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, state.offset);
        const end = buffer.subarray(0, bytesRead).lastIndexOf(0x0a) + 1; // whole lines only
        for (const text of buffer.subarray(0, end).toString('utf8').split('\n')) {
          if (text === '') continue;
          const line = asIndexLine(parseLine(text));
          if (line === undefined) state.invalidLines++;
          else apply(name, state, line);
        }
        state.offset += end;
      }
      this.states.set(name, state);
      return state;
    } finally {
      await handle.close();
    }
  }
}
