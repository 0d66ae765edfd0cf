import { readdir } from 'node:fs/promises';
import { NAME_PATTERN } from '../names/names';
import { isNotFound } from './errno';
import { VERSION_DIR_PATTERN } from './layout';

/** Entry names of a directory, sorted; `[]` when it does not exist. */
export async function listDir(path: string): Promise<string[]> {
  try {
    return (await readdir(path)).sort();
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}

/** The version numbers of a `versions/` directory (entries named like `1`, `2`…), ascending. */
export async function versionNumbersIn(versionsDir: string): Promise<number[]> {
  return (await listDir(versionsDir))
    .filter((entry) => VERSION_DIR_PATTERN.test(entry))
    .map(Number)
    .sort((a, b) => a - b);
}

/** Names of the subdirectories of `dir` that are valid model or dataset names and pass `keep`, sorted. */
export async function namesIn(dir: string, keep: (name: string) => Promise<boolean>): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
  const names = entries.filter((entry) => entry.isDirectory() && NAME_PATTERN.test(entry.name)).map((entry) => entry.name);
  const kept = await Promise.all(names.map(async (name) => ((await keep(name)) ? name : undefined)));
  return kept.filter((name): name is string => name !== undefined).sort();
}
