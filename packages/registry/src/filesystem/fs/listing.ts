import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { isValidName } from '../../names/names';
import { layoutError } from './containment';
import { isNotFound } from './errno';
import { VERSION_DIR_PATTERN } from './layout';

/** Entry names of a directory under `root`, sorted; `[]` when it does not exist; a file in its place is an `IntegrityError`. */
export async function listDir(root: string, path: string): Promise<string[]> {
  try {
    return (await readdir(path)).sort();
  } catch (error) {
    if (isNotFound(error)) return [];
    throw layoutError(root, error, path);
  }
}

/** The version numbers of a `versions/` directory (entries named like `1`, `2`…), ascending. */
export async function versionNumbersIn(root: string, versionsDir: string): Promise<number[]> {
  return (await listDir(root, versionsDir))
    .filter((entry) => VERSION_DIR_PATTERN.test(entry))
    .map(Number)
    .sort((a, b) => a - b);
}

/** Names of the real subdirectories (not links) of `dir` that are valid model or dataset names and pass `keep`, sorted (others are for `verify()` to report). */
export async function namesIn(root: string, dir: string, keep: (name: string) => Promise<boolean>): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isNotFound(error)) return [];
    throw layoutError(root, error, dir);
  }
  const names = entries.filter((entry) => entry.isDirectory() && isValidName(entry.name)).map((entry) => entry.name);
  const kept = await Promise.all(names.map(async (name) => ((await keep(name)) ? name : undefined)));
  return kept.filter((name): name is string => name !== undefined).sort();
}
