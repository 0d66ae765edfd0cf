import { lstat, readFile, rm } from 'node:fs/promises';
import { isNotFound } from '../fs/errno';
import { VERSION_DIR_PATTERN, type StoreLayout } from '../fs/layout';
import { listDir } from '../fs/listing';
import { mayBeAlive, ownerOfTempEntry } from '../fs/owner';
import { NAME_PATTERN } from '../names/names';
import { parseAliasHistory } from '../records/alias-record';
import type { FileSystemModelStore } from './file-system-store';
import type { VerifyProblem, VerifyReport } from './options';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Removes `tmp/` entries whose writer is known to be gone, or that are older than `staleMs`. */
async function removeLeftoverTempEntries(layout: StoreLayout, staleMs: number): Promise<string[]> {
  const removed: string[] = [];
  for (const entry of await listDir(layout.tmpDir())) {
    const path = layout.tmpEntry(entry);
    const owner = ownerOfTempEntry(entry);
    let ageMs: number;
    try {
      ageMs = Date.now() - (await lstat(path)).mtimeMs;
    } catch (error) {
      if (isNotFound(error)) continue; // finished meanwhile
      throw error;
    }
    if ((owner !== undefined && !mayBeAlive(owner)) || ageMs > staleMs) {
      await rm(path, { recursive: true, force: true });
      removed.push(entry);
    }
  }
  return removed;
}

/**
 * Checks every version directory of a model; finishes deletions a crash cut short (a tombstone commits a
 * deletion, so removing what is left is safe). Returns the live (not deleted) version numbers.
 */
async function verifyVersions(
  store: FileSystemModelStore,
  layout: StoreLayout,
  name: string,
  problems: VerifyProblem[],
  repairs: string[],
): Promise<Set<number>> {
  const entries = await listDir(layout.versionsDir(name));
  const versions = entries.filter((entry) => VERSION_DIR_PATTERN.test(entry)).map(Number).sort((a, b) => a - b);
  for (const entry of entries.filter((e) => !VERSION_DIR_PATTERN.test(e))) {
    problems.push({ name, problem: `unexpected entry ${JSON.stringify(entry)} in versions/` });
  }
  const live = new Set<number>();
  for (const version of versions) {
    try {
      if (await store.readTombstone(name, version)) {
        const removed = await store.finishDeletion(name, version);
        if (removed.length > 0) repairs.push(`finished deleting model "${name}" version ${version}: removed ${removed.join(', ')}`);
        continue;
      }
      live.add(version);
      await store.loadArtifact(name, version);
    } catch (error) {
      problems.push({ name, version, problem: messageOf(error) });
    }
  }
  const present = new Set(versions);
  const latest = versions[versions.length - 1] ?? 0;
  for (let version = 1; version < latest; version++) {
    if (!present.has(version)) problems.push({ name, version, problem: `version ${version} is missing (versions go up to ${latest})` });
  }
  return live;
}

/** Checks every dataset version: record, checksum, shape and fingerprint; returns how many were checked. */
async function verifyDatasets(store: FileSystemModelStore, layout: StoreLayout, problems: VerifyProblem[]): Promise<number> {
  let checked = 0;
  for (const name of await listDir(layout.datasetsDir())) {
    if (!NAME_PATTERN.test(name)) {
      problems.push({ kind: 'dataset', name, problem: `unexpected entry ${JSON.stringify(name)} in datasets/` });
      continue;
    }
    const numbers = await store.datasets.versionNumbers(name);
    for (const version of numbers) {
      checked++;
      try {
        await store.datasets.loadDataset(name, version);
      } catch (error) {
        problems.push({ kind: 'dataset', name, version, problem: messageOf(error) });
      }
    }
    const latest = numbers[numbers.length - 1] ?? 0;
    for (let version = 1; version < latest; version++) {
      if (!numbers.includes(version)) problems.push({ kind: 'dataset', name, version, problem: `version ${version} is missing (versions go up to ${latest})` });
    }
  }
  return checked;
}

async function verifyAliases(
  store: FileSystemModelStore,
  layout: StoreLayout,
  name: string,
  versions: ReadonlySet<number>,
  problems: VerifyProblem[],
): Promise<Map<string, number>> {
  const current = new Map<string, number>();
  for (const entry of await listDir(layout.aliasesDir(name))) {
    const alias = entry.endsWith('.json') ? entry.slice(0, -'.json'.length) : '';
    if (!NAME_PATTERN.test(alias)) {
      problems.push({ name, problem: `unexpected entry ${JSON.stringify(entry)} in aliases/` });
      continue;
    }
    try {
      const version = await store.getAlias(name, alias);
      if (version === undefined) continue; // removed meanwhile
      current.set(alias, version);
      if (!versions.has(version)) problems.push({ name, alias, version, problem: `alias "${alias}" points at version ${version}, which does not exist or was deleted` });
    } catch (error) {
      problems.push({ name, alias, problem: messageOf(error) });
    }
  }
  return current;
}

async function verifyHistory(layout: StoreLayout, name: string, aliases: ReadonlyMap<string, number>, problems: VerifyProblem[]): Promise<void> {
  let text: string;
  try {
    text = await readFile(layout.historyFile(name), 'utf8');
  } catch (error) {
    if (isNotFound(error)) text = '';
    else throw error;
  }
  const { moves, problems: lineProblems } = parseAliasHistory(text);
  for (const { line, problem, torn } of lineProblems) {
    problems.push({ name, problem: `alias-history.ndjson line ${line} ${torn ? 'was cut short by an interrupted write' : 'is corrupt'}: ${problem}` });
  }
  const lastMove = new Map(moves.map((move) => [move.alias, move.version]));
  for (const [alias, version] of aliases) {
    const recorded = lastMove.get(alias);
    if (recorded !== version) {
      const said = recorded === undefined ? 'has no entry for it' : `last records version ${recorded}`;
      problems.push({ name, alias, version, problem: `alias "${alias}" points at version ${version} but alias-history.ndjson ${said}` });
    }
  }
}

/**
 * The fsck behind `FileSystemModelStore.verify()`: checks every model and dataset, reports problems as data,
 * finishes interrupted deletions and cleans `tmp/`.
 */
export async function verifyStore(store: FileSystemModelStore, layout: StoreLayout, tempStaleMs: number): Promise<VerifyReport> {
  const problems: VerifyProblem[] = [];
  const repairs: string[] = [];
  let checkedVersions = 0;
  for (const name of await listDir(layout.modelsDir())) {
    if (!NAME_PATTERN.test(name)) {
      problems.push({ name, problem: `unexpected entry ${JSON.stringify(name)} in models/` });
      continue;
    }
    const versions = await verifyVersions(store, layout, name, problems, repairs);
    checkedVersions += versions.size;
    const aliases = await verifyAliases(store, layout, name, versions, problems);
    await verifyHistory(layout, name, aliases, problems);
  }
  const checkedDatasetVersions = await verifyDatasets(store, layout, problems);
  const removedTempEntries = await removeLeftoverTempEntries(layout, tempStaleMs);
  return { ok: problems.length === 0, checkedVersions, checkedDatasetVersions, problems, removedTempEntries, repairs };
}
