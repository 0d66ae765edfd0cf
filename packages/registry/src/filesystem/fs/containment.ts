import { constants, type Stats } from 'node:fs';
import { lstat, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { IntegrityError } from '@mlops/core';
import { errorCode, isNotFound } from './errno';

/**
 * Guards for a registry directory that may have been tampered with: nothing below the root is followed if it is
 * a symbolic link, and a file where a directory belongs (or the reverse) is an `IntegrityError` naming the entry,
 * never a raw `ENOTDIR`/`EISDIR`. The root itself may be a link (the user chose it).
 */

/** Damage a file-system error code stands for, as the end of a sentence; `undefined` for other errors (EACCES, ENOSPC…). */
const DAMAGE: Readonly<Record<string, string>> = {
  ENOTDIR: 'runs through a file where a directory belongs',
  EISDIR: 'is a directory where a file belongs',
  ELOOP: 'is a symbolic link, which the registry never follows',
  EEXIST: 'is in the way (a file where a directory belongs, or the reverse)',
};

/** `"models/iris/aliases"`: a path as messages show it, relative to the root. */
export function entryLabel(root: string, path: string): string {
  const rel = relative(root, path);
  return JSON.stringify(rel === '' ? '.' : isAbsolute(rel) ? path : rel.split(sep).join('/'));
}

/** The `IntegrityError` a damaged layout gives, or the error itself when it is something else. */
export function layoutError(root: string, error: unknown, path?: string): unknown {
  const damage = DAMAGE[errorCode(error) ?? ''];
  if (damage === undefined) return error;
  const at = path ?? (error as { path?: string }).path;
  return new IntegrityError(`registry entry ${at === undefined ? '' : `${entryLabel(root, at)} `}${damage}`, {
    cause: error,
  });
}

/**
 * Checks every existing component of `path` below `root` with `lstat` (links are not followed): none may be a
 * symbolic link, every one but the last must be a directory, and the last must be a `last` if it exists.
 * Called before every write or delete, so a link planted in the tree can never send one outside the root.
 */
export async function assertContained(root: string, path: string, last: 'dir' | 'file'): Promise<void> {
  const parts = relative(root, path).split(sep).filter(Boolean);
  if (parts[0] === '..' || isAbsolute(relative(root, path)))
    throw new IntegrityError(`${JSON.stringify(path)} is outside the registry root`);
  let current = root;
  for (let i = 0; i < parts.length; i++) {
    current = join(current, parts[i]!);
    let stats: Stats;
    try {
      stats = await lstat(current);
    } catch (error) {
      if (isNotFound(error)) return; // the rest does not exist yet: the caller creates it as real directories
      throw layoutError(root, error, current);
    }
    const expected = i < parts.length - 1 ? 'dir' : last;
    if (stats.isSymbolicLink()) throw new IntegrityError(`registry entry ${entryLabel(root, current)} ${DAMAGE.ELOOP}`);
    if (expected === 'dir' && !stats.isDirectory())
      throw new IntegrityError(`registry entry ${entryLabel(root, current)} is a file where a directory belongs`);
    if (expected === 'file' && !stats.isFile())
      throw new IntegrityError(`registry entry ${entryLabel(root, current)} is not a regular file`);
  }
}

/** A file's bytes, or `undefined` when it does not exist; a link or a directory in its place is an `IntegrityError`. */
export async function readOptionalFile(root: string, path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path, { flag: constants.O_RDONLY | constants.O_NOFOLLOW });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw layoutError(root, error, path);
  }
}

/** A UTF-8 file's text, or `undefined` when it does not exist (see {@link readOptionalFile}). */
export async function readOptionalText(root: string, path: string): Promise<string | undefined> {
  return (await readOptionalFile(root, path))?.toString('utf8');
}
