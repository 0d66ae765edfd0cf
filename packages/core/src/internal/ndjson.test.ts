import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJsonSafely } from '../validation/safe-json';
import { appendNdjsonLines, parseNdjsonLines } from './ndjson';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlops-ndjson-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('appendNdjsonLines', () => {
  it('appends whole lines and cuts off a line torn by a crash first', async () => {
    const file = join(dir, 'a.ndjson');
    await appendNdjsonLines(file, ['{"n":1}']);
    await appendNdjsonLines(file, ['{"n":2}']);
    expect(await readFile(file, 'utf8')).toBe('{"n":1}\n{"n":2}\n');
    await writeFile(file, '{"n":1}\n{"n":2}\n{"n":');
    await appendNdjsonLines(file, ['{"n":3}', '{"n":4}'], { sync: false });
    expect(await readFile(file, 'utf8')).toBe('{"n":1}\n{"n":2}\n{"n":3}\n{"n":4}\n');
  });

  it('finds the last whole line across chunk boundaries and drops a file that is all torn', async () => {
    const file = join(dir, 'b.ndjson');
    const long = `${'x'.repeat(70_000)}\n`;
    await writeFile(file, `${long}${'y'.repeat(90_000)}`);
    await appendNdjsonLines(file, ['z']);
    expect(await readFile(file, 'utf8')).toBe(`${long}z\n`);
    await writeFile(file, 'y'.repeat(9000));
    await appendNdjsonLines(file, ['z']);
    expect(await readFile(file, 'utf8')).toBe('z\n');
  });

  it('refuses to write through a symbolic link in place of the file', async () => {
    const target = join(dir, 'elsewhere.ndjson');
    await writeFile(target, '');
    await symlink(target, join(dir, 'link.ndjson'));
    await expect(appendNdjsonLines(join(dir, 'link.ndjson'), ['{}'])).rejects.toMatchObject({ code: 'ELOOP' });
    expect(await readFile(target, 'utf8')).toBe('');
  });
});

describe('parseNdjsonLines', () => {
  it('parses lines, skips blank ones and marks only an unreadable last line as torn', () => {
    const { values, problems } = parseNdjsonLines('{"a":1}\n\nnope\n{"a":2}\n{"a"', parseJsonSafely);
    expect(values).toEqual([{ a: 1 }, { a: 2 }]);
    expect(problems.map(({ line, torn }) => [line, torn])).toEqual([
      [3, false],
      [5, true],
    ]);
  });
});
