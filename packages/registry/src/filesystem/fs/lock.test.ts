import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError } from '@mlops/core';
import { describe, expect, it } from 'vitest';
import { deadPid, tempDir } from '../__fixtures__/temp-root';
import { withDirectoryLock, type DirectoryLockOptions } from './lock';
import { hostTag } from './owner';

async function setup(overrides: Partial<DirectoryLockOptions> = {}) {
  const dir = await tempDir();
  const options: DirectoryLockOptions = {
    tmpDir: join(dir, 'tmp'),
    staleMs: 30_000,
    timeoutMs: 60_000,
    description: 'model "iris"',
    ...overrides,
  };
  return { dir, lockDir: join(dir, '.lock'), options };
}

async function plantLock(lockDir: string, owner: { host: string; pid: number }, ageSeconds = 0): Promise<void> {
  await mkdir(lockDir);
  await writeFile(join(lockDir, 'owner.json'), JSON.stringify({ ...owner, token: 'someone-else' }));
  if (ageSeconds > 0) {
    const then = new Date(Date.now() - ageSeconds * 1000);
    await utimes(lockDir, then, then);
  }
}

describe('withDirectoryLock', () => {
  it('lets one holder in at a time and removes the lock afterwards', async () => {
    const { dir, lockDir, options } = await setup();
    let inside = 0;
    let mostInside = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        withDirectoryLock(lockDir, options, async () => {
          inside++;
          mostInside = Math.max(mostInside, inside);
          await sleep(1);
          order.push(i);
          inside--;
        }),
      ),
    );
    expect(mostInside).toBe(1);
    expect(order.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await readdir(dir)).toEqual(['tmp']); // locks are staged in tmp/, which is left empty
    expect(await readdir(options.tmpDir)).toEqual([]);
  });

  it('releases the lock when the action throws', async () => {
    const { dir, lockDir, options } = await setup();
    await expect(withDirectoryLock(lockDir, options, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await readdir(dir)).toEqual(['tmp']);
    expect(await readdir(options.tmpDir)).toEqual([]);
  });

  it('breaks a lock whose owner process on this host has died', async () => {
    const { lockDir, options } = await setup();
    await plantLock(lockDir, { host: hostTag(), pid: deadPid() });
    expect(await withDirectoryLock(lockDir, options, async () => 'ran')).toBe('ran');
    expect(await readdir(options.tmpDir)).toEqual([]);
  });

  it('breaks a lock older than staleMs even when its owner looks alive', async () => {
    const { lockDir, options } = await setup();
    await plantLock(lockDir, { host: 'ffffffff', pid: process.pid }, 60);
    expect(await withDirectoryLock(lockDir, options, async () => 'ran')).toBe('ran');
  });

  it('waits for a live lock and gives up with ConflictError after timeoutMs, leaving it intact', async () => {
    const { dir, lockDir, options } = await setup({ timeoutMs: 20 });
    await plantLock(lockDir, { host: 'ffffffff', pid: 1 });
    let ran = false;
    await expect(
      withDirectoryLock(lockDir, options, async () => {
        ran = true;
      }),
    ).rejects.toThrow(new ConflictError('model "iris" is locked by another writer (waited 20 ms)'));
    expect(ran).toBe(false);
    expect(await readdir(dir)).toEqual(['.lock', 'tmp']);
    expect(await readdir(options.tmpDir)).toEqual([]); // the staged lock of the waiter is gone
  });

  it('never leaves a lock without its owner, and breaks an owner-less one at once instead of waiting staleMs', async () => {
    const { lockDir, options } = await setup();
    await mkdir(lockDir); // what a crash between mkdir and the owner write used to leave
    const started = Date.now();
    expect(await withDirectoryLock(lockDir, options, async () => (await readdir(lockDir)).sort())).toEqual([
      'owner.json',
    ]);
    expect(Date.now() - started).toBeLessThan(options.staleMs / 10);
  });
});
