import { constants } from 'node:fs';
import { lstat, mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errorCode, isNotFound } from './errno';

/** Writes `data` to `path` and fsyncs it before returning. `flag` `wx` (default) refuses to overwrite. */
export async function writeFileDurably(
  path: string,
  data: string | Uint8Array,
  flag: 'w' | 'wx' = 'wx',
): Promise<void> {
  const flags =
    constants.O_WRONLY |
    constants.O_CREAT |
    constants.O_NOFOLLOW |
    (flag === 'wx' ? constants.O_EXCL : constants.O_TRUNC);
  const handle = await open(path, flags, 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Fsyncs a directory so entries created or renamed in it survive a power loss (a no-op where unsupported). */
export async function fsyncDirectory(path: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch (error) {
    if (!['EISDIR', 'EPERM', 'EINVAL', 'EBADF', 'EACCES'].includes(errorCode(error) ?? '')) throw error;
  } finally {
    await handle?.close();
  }
}

/** `mkdir -p` that also fsyncs the parent of every directory it created. */
export async function ensureDirectoryDurably(path: string): Promise<void> {
  const first = await mkdir(path, { recursive: true });
  if (first === undefined) return;
  const created: string[] = [];
  for (let dir = path; ; dir = dirname(dir)) {
    created.push(dir);
    if (dir === first || dirname(dir) === dir) break;
  }
  for (const dir of created.reverse()) await fsyncDirectory(dirname(dir));
}

/** True when something (a link included, not followed) exists at `path`; false when a component is missing or a file. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if (isNotFound(error) || errorCode(error) === 'ENOTDIR') return false;
    throw error;
  }
}
