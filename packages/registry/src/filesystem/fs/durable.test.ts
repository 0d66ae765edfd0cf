import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../__fixtures__/temp-root';
import { appendLineDurably, ensureDirectoryDurably, pathExists, writeFileDurably } from './durable';

describe('durable file helpers', () => {
  it('appends whole lines and cuts off a line torn by a crash first', async () => {
    const file = join(await tempDir(), 'log.ndjson');
    await appendLineDurably(file, '{"n":1}');
    await appendLineDurably(file, '{"n":2}');
    expect(await readFile(file, 'utf8')).toBe('{"n":1}\n{"n":2}\n');
    await writeFile(file, '{"n":1}\n{"n":2}\n{"n":');
    await appendLineDurably(file, '{"n":3}');
    expect(await readFile(file, 'utf8')).toBe('{"n":1}\n{"n":2}\n{"n":3}\n');
  });

  it('finds the last whole line across chunk boundaries and drops a file that is all torn', async () => {
    const file = join(await tempDir(), 'log.ndjson');
    const long = `${'x'.repeat(5000)}\n`;
    await writeFile(file, `${long}${'y'.repeat(9000)}`);
    await appendLineDurably(file, 'z');
    expect(await readFile(file, 'utf8')).toBe(`${long}z\n`);
    await writeFile(file, 'y'.repeat(9000));
    await appendLineDurably(file, 'z');
    expect(await readFile(file, 'utf8')).toBe('z\n');
  });

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
