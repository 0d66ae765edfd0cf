import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../__fixtures__/temp-root';
import { ensureDirectoryDurably, pathExists, writeFileDurably } from './durable';

describe('durable file helpers', () => {
  it('writeFileDurably refuses to overwrite by default; ensureDirectoryDurably creates nested directories', async () => {
    const dir = await tempDir();
    await ensureDirectoryDurably(join(dir, 'a', 'b', 'c'));
    await ensureDirectoryDurably(join(dir, 'a', 'b', 'c'));
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['c']);
    const file = join(dir, 'a', 'f.json');
    await writeFileDurably(file, 'one');
    await expect(writeFileDurably(file, 'two')).rejects.toMatchObject({ code: 'EEXIST' });
    await writeFileDurably(file, 'three', 'w');
    expect(await readFile(file, 'utf8')).toBe('three');
    expect([await pathExists(file), await pathExists(join(dir, 'nope'))]).toEqual([true, false]);
  });
});
