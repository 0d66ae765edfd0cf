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

/**
 * Appends one line to `path` (created if missing) and fsyncs it. A last line without its newline is
 * the remains of an append torn by a crash: it is cut off first, so every stored line stays whole.
 * Callers must serialise appends (e.g. hold a lock) for that to be safe.
 */
export async function appendLineDurably(path: string, line: string): Promise<void> {
  // O_NOFOLLOW: a symbolic link planted in place of the file is refused (ELOOP), never written through.
  const handle = await open(
    path,
    constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW,
    0o644,
  );
  try {
    const { size } = await handle.stat();
    const keep = await lengthWithoutTornLine(handle, size);
    if (keep < size) await handle.truncate(keep);
    await handle.writeFile(`${line}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Length of the file up to and including its last newline (the whole file when it ends with one). */
async function lengthWithoutTornLine(handle: FileHandle, size: number): Promise<number> {
  const chunk = Buffer.alloc(4096);
  for (let end = size; end > 0; ) {
    const start = Math.max(0, end - chunk.length);
    const { bytesRead } = await handle.read(chunk, 0, end - start, start);
    const newline = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (newline !== -1) return start + newline + 1;
    end = start;
  }
  return 0;
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
