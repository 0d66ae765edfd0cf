import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError } from '@mlops/core';
import { parseJsonSafely } from '../../json/safe-parse';
import { errorCode, isNotFound } from './errno';
import { failpoint } from '../../failpoint';
import { currentOwner, mayBeAlive, tempEntryName, type Owner } from './owner';

/** How a directory lock waits and when it breaks an abandoned one. */
export interface DirectoryLockOptions {
  /** Where broken locks are moved before deletion (same filesystem as the lock). */
  readonly tmpDir: string;
  /** A lock older than this is considered abandoned and broken (ms). */
  readonly staleMs: number;
  /** Give up with `ConflictError` after waiting this long (ms). */
  readonly timeoutMs: number;
  /** What is locked, for the timeout message. */
  readonly description: string;
  /** While held, touch the lock this often so a long holder never looks stale (ms; default: no heartbeat). */
  readonly heartbeatMs?: number;
}

interface LockOwner extends Owner {
  readonly token: string;
}

const OWNER_FILE = 'owner.json';
/** A lock seen without its owner file for this long is broken (a release, which also removes it, takes far less). */
const OWNERLESS_GRACE_MS = 1000;

async function readLockOwner(lockDir: string): Promise<LockOwner | undefined> {
  try {
    const parsed = parseJsonSafely(await readFile(join(lockDir, OWNER_FILE), 'utf8'));
    if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) return undefined;
    const { host, pid, token } = parsed.value as Record<string, unknown>;
    if (typeof host !== 'string' || typeof pid !== 'number' || typeof token !== 'string') return undefined;
    return { host, pid, token };
  } catch {
    return undefined;
  }
}

/**
 * Breaks the lock if it is abandoned: its owner died on this host, it is older than `staleMs`, or it has had no
 * readable owner for a second (locks are created whole with their owner file, so an owner-less one is debris).
 * True when it was broken or is gone.
 */
async function breakIfStale(lockDir: string, options: DirectoryLockOptions): Promise<boolean> {
  let ageMs: number;
  try {
    ageMs = Date.now() - (await stat(lockDir)).mtimeMs;
  } catch (error) {
    if (isNotFound(error)) return true;
    throw error;
  }
  const owner = await readLockOwner(lockDir);
  // Owner-less for longer than a release takes: debris of a crash (or of a version that wrote the owner late).
  const abandoned = ageMs > options.staleMs || (owner === undefined ? ageMs > OWNERLESS_GRACE_MS : !mayBeAlive(owner));
  if (!abandoned) return false;
  const tomb = join(options.tmpDir, tempEntryName('lock'));
  try {
    await mkdir(options.tmpDir, { recursive: true });
    await rename(lockDir, tomb);
  } catch (error) {
    if (isNotFound(error)) return true;
    throw error;
  }
  const moved = await readLockOwner(tomb);
  if (moved?.token !== owner?.token) {
    // The lock was released and re-taken between our check and the rename: hand it back.
    await rename(tomb, lockDir).catch(() => undefined);
    return false;
  }
  await rm(tomb, { recursive: true, force: true });
  return true;
}

/**
 * Releases our lock: moved out of place by one atomic rename, then deleted. (Deleting it in place would empty it
 * first, and a waiter's rename may land on the empty directory.) Only our own lock: if it was broken as stale
 * meanwhile, the directory may be someone else's now.
 */
async function release(lockDir: string, tmpDir: string, token: string): Promise<void> {
  if ((await readLockOwner(lockDir))?.token !== token) return;
  const tomb = join(tmpDir, tempEntryName('unlock'));
  try {
    await rename(lockDir, tomb);
  } catch (error) {
    if (isNotFound(error)) return;
    throw error;
  }
  if ((await readLockOwner(tomb))?.token !== token) await rename(tomb, lockDir).catch(() => undefined);
  else await rm(tomb, { recursive: true, force: true });
}

/**
 * Runs `action` while holding an exclusive lock shared by every process that uses the same `lockDir`. The lock
 * is a directory holding its owner file, staged under `tmpDir` and renamed into place: the rename is atomic and
 * fails when the lock exists, so exactly one caller gets it, and a lock never exists without its owner. Waiters
 * retry with backoff; an abandoned lock (owner dead on this host, older than `staleMs`, or owner-less) is broken.
 */
export async function withDirectoryLock<T>(
  lockDir: string,
  options: DirectoryLockOptions,
  action: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const owner: LockOwner = { ...currentOwner(), token: randomUUID() };
  await mkdir(options.tmpDir, { recursive: true });
  const staged = join(options.tmpDir, tempEntryName('lock'));
  await mkdir(staged);
  let held = false;
  try {
    await writeFile(join(staged, OWNER_FILE), JSON.stringify({ ...owner, acquiredAt: new Date().toISOString() }));
    failpoint('lock:staged');
    let delayMs = 1;
    for (;;) {
      try {
        await rename(staged, lockDir);
        held = true;
        break;
      } catch (error) {
        if (!['EEXIST', 'ENOTEMPTY'].includes(errorCode(error) ?? '')) throw error;
      }
      if (await breakIfStale(lockDir, options)) continue;
      if (Date.now() >= deadline) {
        throw new ConflictError(`${options.description} is locked by another writer (waited ${options.timeoutMs} ms)`);
      }
      await sleep(delayMs * (0.5 + Math.random()));
      delayMs = Math.min(delayMs * 2, 50);
    }
    const beat = options.heartbeatMs
      ? setInterval(() => void utimes(lockDir, new Date(), new Date()).catch(() => undefined), options.heartbeatMs)
      : undefined;
    beat?.unref();
    try {
      return await action();
    } finally {
      clearInterval(beat);
    }
  } finally {
    if (!held) await rm(staged, { recursive: true, force: true });
    else await release(lockDir, options.tmpDir, owner.token);
  }
}
