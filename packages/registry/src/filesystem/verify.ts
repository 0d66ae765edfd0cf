import type { Dirent } from 'node:fs';
import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { assertContained, entryLabel, readOptionalText } from './fs/containment';
import { isNotFound } from './fs/errno';
import { VERSION_DIR_PATTERN, type StoreLayout } from './fs/layout';
import { listDir } from './fs/listing';
import { mayBeAlive, ownerOfTempEntry } from './fs/owner';
import { isValidName, NAME_PATTERN } from '../names/names';
import { parseAliasHistory } from '../records/alias-record';
import type { Tombstone } from '../records/version-state';
import type { VerifyProblem, VerifyReport } from '@mlops/core';

/**
 * What {@link verifyStore} needs of the store it checks: reads that validate (their errors become problems)
 * and the repairs only the store can make under its locks. `FileSystemModelStore` implements it and passes
 * itself, so this file never names the store class and the dependency runs one way (store → verify).
 */
export interface VerifiableStore {
  /** The version's tombstone, or `undefined` when it was not deleted. */
  readTombstone(name: string, version: number): Promise<Tombstone | undefined>;
  /** Removes what a tombstoned version still holds; the removed file names. */
  finishDeletion(name: string, version: number): Promise<string[]>;
  /** Loads and checks a version's record and artifact (throws what is wrong). */
  loadArtifact(name: string, version: number): Promise<unknown>;
  /** The version an alias points to (throws when its file is corrupt). */
  getAlias(name: string, alias: string): Promise<number | undefined>;
  /** Makes the model's alias files agree with its history; the repairs made. */
  reconcileAliases(name: string): Promise<string[]>;
  /** Rebuilds the model's version index when it disagrees with the version files; the repairs made. */
  reindex(name: string): Promise<string[]>;
  /** The dataset versions in the same root. */
  readonly datasets: {
    versionNumbers(name: string): Promise<number[]>;
    load(name: string, version: number): Promise<unknown>;
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Every symbolic link below the root (not followed), as paths; the registry never creates one. */
async function findLinks(root: string): Promise<string[]> {
  const links: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isSymbolicLink()) links.push(path);
      else if (entry.isDirectory()) await walk(path);
    }
  };
  await walk(root);
  return links.sort();
}

/** Removes `tmp/` entries whose writer is known to be gone, or that are older than `staleMs`. */
async function removeLeftoverTempEntries(layout: StoreLayout, staleMs: number): Promise<string[]> {
  const removed: string[] = [];
  await assertContained(layout.root, layout.tmpDir(), 'dir');
  for (const entry of await listDir(layout.root, layout.tmpDir())) {
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
      await assertContained(layout.root, path, (await lstat(path)).isDirectory() ? 'dir' : 'file');
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
  store: VerifiableStore,
  layout: StoreLayout,
  name: string,
  problems: VerifyProblem[],
  repairs: string[],
): Promise<Set<number>> {
  const entries = await listDir(layout.root, layout.versionsDir(name));
  const versions = entries
    .filter((entry) => VERSION_DIR_PATTERN.test(entry))
    .map(Number)
    .sort((a, b) => a - b);
  for (const entry of entries.filter((e) => !VERSION_DIR_PATTERN.test(e))) {
    problems.push({ name, problem: `unexpected entry ${JSON.stringify(entry)} in versions/` });
  }
  const live = new Set<number>();
  for (const version of versions) {
    try {
      if (await store.readTombstone(name, version)) {
        const removed = await store.finishDeletion(name, version);
        if (removed.length > 0)
          repairs.push(`finished deleting model "${name}" version ${version}: removed ${removed.join(', ')}`);
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
    if (!present.has(version))
      problems.push({ name, version, problem: `version ${version} is missing (versions go up to ${latest})` });
  }
  return live;
}

/** Checks every dataset version: record, checksum, shape and fingerprint; returns how many were checked. */
async function verifyDatasets(store: VerifiableStore, layout: StoreLayout, problems: VerifyProblem[]): Promise<number> {
  let checked = 0;
  for (const name of await listDir(layout.root, layout.datasetsDir())) {
    if (!isValidName(name) || !(await isDirectory(join(layout.datasetsDir(), name)))) {
      problems.push({ kind: 'dataset', name, problem: `unexpected entry ${JSON.stringify(name)} in datasets/` });
      continue;
    }
    let numbers: number[];
    try {
      numbers = await store.datasets.versionNumbers(name);
    } catch (error) {
      problems.push({ kind: 'dataset', name, problem: messageOf(error) });
      continue;
    }
    for (const version of numbers) {
      checked++;
      try {
        await store.datasets.load(name, version);
      } catch (error) {
        problems.push({ kind: 'dataset', name, version, problem: messageOf(error) });
      }
    }
    const latest = numbers[numbers.length - 1] ?? 0;
    for (let version = 1; version < latest; version++) {
      if (!numbers.includes(version))
        problems.push({
          kind: 'dataset',
          name,
          version,
          problem: `version ${version} is missing (versions go up to ${latest})`,
        });
    }
  }
  return checked;
}

async function verifyAliases(
  store: VerifiableStore,
  layout: StoreLayout,
  name: string,
  versions: ReadonlySet<number>,
  problems: VerifyProblem[],
): Promise<Map<string, number>> {
  const current = new Map<string, number>();
  for (const entry of await listDir(layout.root, layout.aliasesDir(name))) {
    const alias = entry.endsWith('.json') ? entry.slice(0, -'.json'.length) : '';
    if (!NAME_PATTERN.test(alias)) {
      problems.push({ name, problem: `unexpected entry ${JSON.stringify(entry)} in aliases/` });
      continue;
    }
    try {
      const version = await store.getAlias(name, alias);
      if (version === undefined) continue; // removed meanwhile
      current.set(alias, version);
      if (!versions.has(version))
        problems.push({
          name,
          alias,
          version,
          problem: `alias "${alias}" points at version ${version}, which does not exist or was deleted`,
        });
    } catch (error) {
      problems.push({ name, alias, problem: messageOf(error) });
    }
  }
  return current;
}

async function verifyHistory(
  layout: StoreLayout,
  name: string,
  aliases: ReadonlyMap<string, number>,
  problems: VerifyProblem[],
): Promise<void> {
  const text = (await readOptionalText(layout.root, layout.historyFile(name))) ?? '';
  const { moves, problems: lineProblems } = parseAliasHistory(text);
  for (const { line, problem, torn } of lineProblems) {
    problems.push({
      name,
      problem: `alias-history.ndjson line ${line} ${torn ? 'was cut short by an interrupted write' : 'is corrupt'}: ${problem}`,
    });
  }
  const lastMove = new Map(moves.map((move) => [move.alias, move.version]));
  for (const [alias, version] of aliases) {
    const recorded = lastMove.get(alias);
    if (recorded !== version) {
      const said = recorded === undefined ? 'has no entry for it' : `last records version ${recorded}`;
      problems.push({
        name,
        alias,
        version,
        problem: `alias "${alias}" points at version ${version} but alias-history.ndjson ${said}`,
      });
    }
  }
}

async function isDirectory(path: string): Promise<boolean> {
  return (await lstat(path)).isDirectory();
}

/** Runs one check; what it throws becomes a problem, so `verify()` reports everything and never throws. */
async function attempt<T>(problems: VerifyProblem[], name: string, check: () => Promise<T>): Promise<T | undefined> {
  try {
    return await check();
  } catch (error) {
    problems.push({ name, problem: messageOf(error) });
    return undefined;
  }
}

/**
 * The fsck behind `FileSystemModelStore.verify()`: checks every model and dataset, reports problems as data,
 * finishes interrupted deletions and alias moves, rebuilds version indexes that disagree with the files, and
 * cleans `tmp/`. Symbolic links below the root are reported
 * and never followed; a damaged layout (a file where a directory belongs) is reported, never thrown.
 */
export async function verifyStore(
  store: VerifiableStore,
  layout: StoreLayout,
  tempStaleMs: number,
): Promise<VerifyReport> {
  const problems: VerifyProblem[] = [];
  const repairs: string[] = [];
  let checkedVersions = 0;
  const links = (await attempt(problems, '.', () => findLinks(layout.root))) ?? [];
  for (const link of links)
    problems.push({
      name: entryLabel(layout.root, link).slice(1, -1),
      problem: `${entryLabel(layout.root, link)} is a symbolic link, which the registry never follows`,
    });
  if (links.length > 0) {
    // A link could send a repair (or a deletion) outside the root: report only, change nothing.
    return { ok: false, checkedVersions, checkedDatasetVersions: 0, problems, removedTempEntries: [], repairs };
  }
  for (const name of (await attempt(problems, 'models', () => listDir(layout.root, layout.modelsDir()))) ?? []) {
    if (!isValidName(name) || !(await isDirectory(join(layout.modelsDir(), name)))) {
      problems.push({ name, problem: `unexpected entry ${JSON.stringify(name)} in models/` });
      continue;
    }
    await attempt(problems, name, async () => {
      const versions = await verifyVersions(store, layout, name, problems, repairs);
      checkedVersions += versions.size;
      repairs.push(...(await store.reconcileAliases(name)));
      repairs.push(...(await store.reindex(name)));
      const aliases = await verifyAliases(store, layout, name, versions, problems);
      await verifyHistory(layout, name, aliases, problems);
    });
  }
  const checkedDatasetVersions =
    (await attempt(problems, 'datasets', () => verifyDatasets(store, layout, problems))) ?? 0;
  const removedTempEntries =
    (await attempt(problems, 'tmp', () => removeLeftoverTempEntries(layout, tempStaleMs))) ?? [];
  return { ok: problems.length === 0, checkedVersions, checkedDatasetVersions, problems, removedTempEntries, repairs };
}
