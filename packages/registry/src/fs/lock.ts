import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError } from '@mlops/core';
import { parseJsonSafely } from '../json/safe-parse';
import { errorCode, isNotFound } from './errno';
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
}

interface LockOwner extends Owner {
  readonly token: string;
}

const OWNER_FILE = 'owner.json';

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

/** Breaks the lock if it is abandoned (dead owner on this host, or older than `staleMs`). True when it was broken or is gone. */
async function breakIfStale(lockDir: string, options: DirectoryLockOptions): Promise<boolean> {
  let ageMs: number;
  try {
    ageMs = Date.now() - (await stat(lockDir)).mtimeMs;
  } catch (error) {
    if (isNotFound(error)) return true;
    throw error;
  }
  const owner = await readLockOwner(lockDir);
  const abandoned = ageMs > options.staleMs || (owner !== undefined && !mayBeAlive(owner));
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
  if (owner !== undefined && moved?.token !== owner.token) {
    // The lock was released and re-taken between our check and the rename: hand it back.
    await rename(tomb, lockDir).catch(() => undefined);
    return false;
  }
  await rm(tomb, { recursive: true, force: true });
  return true;
}

/**
 * Runs `action` while holding an exclusive lock shared by every process that uses the same `lockDir`:
 * `mkdir` is atomic, so exactly one caller creates the directory. Waiters retry with backoff; an
 * abandoned lock (its owner died on this host, or it is older than `staleMs`) is broken.
 */
export async function withDirectoryLock<T>(lockDir: string, options: DirectoryLockOptions, action: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let delayMs = 1;
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    if (await breakIfStale(lockDir, options)) continue;
    if (Date.now() >= deadline) {
      throw new ConflictError(`${options.description} is locked by another writer (waited ${options.timeoutMs} ms)`);
    }
    await sleep(delayMs * (0.5 + Math.random()));
    delayMs = Math.min(delayMs * 2, 50);
  }
  const owner: LockOwner = { ...currentOwner(), token: randomUUID() };
  let ownerWritten = false;
  try {
    await writeFile(join(lockDir, OWNER_FILE), JSON.stringify({ ...owner, acquiredAt: new Date().toISOString() }));
    ownerWritten = true;
    return await action();
  } finally {
    // Release only our own lock: if it was broken as stale meanwhile, the directory may be someone else's now.
    const holder = await readLockOwner(lockDir);
    if (ownerWritten ? holder?.token === owner.token : holder === undefined) await rm(lockDir, { recursive: true, force: true });
  }
}
