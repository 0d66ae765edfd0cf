import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IntegrityError, InvalidInputError } from '@mlops/core';
import { appendNdjsonLines } from '@mlops/core/internal';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PredictionLog } from './prediction-log';

// The real append, watched: labelMany must write its batch in one call.
vi.mock('@mlops/core/internal', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@mlops/core/internal')>();
  return { ...actual, appendNdjsonLines: vi.fn(actual.appendNdjsonLines) };
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlops-log-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A clock that advances one second per reading. */
function clock(start: string) {
  let t = Date.parse(start);
  return {
    now: () => {
      t += 1000;
      return t;
    },
  };
}

describe('PredictionLog', () => {
  it('appends NDJSON predictions and joins labels that arrive later', async () => {
    let n = 0;
    const log = new PredictionLog({
      path: join(dir, 'a.ndjson'),
      clock: clock('2026-01-01T00:00:00Z'),
      newId: () => `p${++n}`,
    });
    const [first] = await log.append({ model: 'iris', version: 1, inputs: [5.1, 3.5, 1.4, 0.2], prediction: 0 });
    await log.append([
      { model: 'iris', version: 1, inputs: { 'petal length (cm)': 4.7 }, prediction: 1 },
      { model: 'iris', version: 2, inputs: [6.3, 3.3, 6, 2.5], prediction: 2, id: 'custom' },
    ]);
    expect(first).toEqual({
      id: 'p1',
      time: '2026-01-01T00:00:01.000Z',
      model: 'iris',
      version: 1,
      inputs: [5.1, 3.5, 1.4, 0.2],
      prediction: 0,
    });
    await log.label('p2', 2);
    await log.label('custom', 2);
    const text = await readFile(log.path, 'utf8');
    expect(text.split('\n')).toHaveLength(6);
    expect(JSON.parse(text.split('\n')[3]!)).toEqual({
      type: 'label',
      id: 'p2',
      time: '2026-01-01T00:00:04.000Z',
      label: 2,
    });

    const all = await log.read();
    expect(all.map((r) => [r.id, r.prediction, r.label])).toEqual([
      ['p1', 0, undefined],
      ['p2', 1, 2],
      ['custom', 2, 2],
    ]);
    expect((await log.read({ version: 1, labelled: true })).map((r) => r.id)).toEqual(['p2']);
    expect((await log.read({ since: new Date('2026-01-01T00:00:02Z') })).map((r) => r.id)).toEqual(['p2', 'custom']);
    expect(await log.read({ model: 'wine' })).toEqual([]);
    expect(await new PredictionLog({ path: join(dir, 'missing.ndjson') }).read()).toEqual([]);
  });

  it('validates entries and writes nothing when one is bad', async () => {
    const log = new PredictionLog({ path: join(dir, 'b.ndjson') });
    const good = { model: 'iris', version: 1, inputs: [1, 2], prediction: 0 };
    await expect(log.append([good, { ...good, inputs: [1, Number.NaN] }])).rejects.toThrow(
      new InvalidInputError('prediction 1: inputs must be finite numbers', { row: 1 }),
    );
    await expect(log.append({ ...good, version: 0 })).rejects.toThrow('prediction: version must be a positive integer');
    await expect(log.append({ ...good, inputs: JSON.parse('{"__proto__": 1}') })).rejects.toThrow(
      'inputs may not use the key "__proto__"',
    );
    await expect(log.label('x', Number.POSITIVE_INFINITY)).rejects.toThrow(
      'label for "x" must be a finite number, got Infinity',
    );
    expect(await log.read()).toEqual([]);
  });

  it('ignores a line cut short by a crash, cuts it off on the next append, and names a damaged line', async () => {
    const path = join(dir, 'c.ndjson');
    const log = new PredictionLog({ path, newId: () => 'only' });
    await log.append({ model: 'iris', version: 1, inputs: [1], prediction: 1 });
    await appendFile(path, '{"type":"prediction","id":"torn","ti');
    expect((await log.read()).map((r) => r.id)).toEqual(['only']);
    await log.label('only', 1);
    expect((await readFile(path, 'utf8')).includes('torn')).toBe(false);
    expect((await log.read())[0]?.label).toBe(1);
    await writeFile(path, '{"type":"prediction"}\n{"type":"label","id":"a","time":"2026-01-01T00:00:00Z","label":1}\n');
    await expect(log.read()).rejects.toThrow(IntegrityError);
    await expect(log.read()).rejects.toThrow(`${path} line 1 is damaged: "id" must be a non-empty string`);
  });

  it('labelMany writes every label in one append, joins them, and keeps unknown ids', async () => {
    let n = 0;
    const log = new PredictionLog({
      path: join(dir, 'd.ndjson'),
      clock: clock('2026-01-01T00:00:00Z'),
      newId: () => `p${++n}`,
    });
    await log.append([1, 2, 3].map((x) => ({ model: 'price', version: 1, inputs: [x], prediction: x * 10 })));
    vi.mocked(appendNdjsonLines).mockClear();
    const at = new Date('2026-01-02T00:00:00Z');
    await log.labelMany(
      [
        { id: 'p1', label: 12.5 },
        { id: 'p3', label: 29 },
        { id: 'later', label: 1 },
      ],
      at,
    );
    expect(appendNdjsonLines).toHaveBeenCalledTimes(1);
    expect(vi.mocked(appendNdjsonLines).mock.calls[0]![1]).toEqual([
      '{"type":"label","id":"p1","time":"2026-01-02T00:00:00.000Z","label":12.5}',
      '{"type":"label","id":"p3","time":"2026-01-02T00:00:00.000Z","label":29}',
      '{"type":"label","id":"later","time":"2026-01-02T00:00:00.000Z","label":1}',
    ]);
    expect((await log.read()).map((r) => [r.id, r.label])).toEqual([
      ['p1', 12.5],
      ['p2', undefined],
      ['p3', 29],
    ]);
    // The unknown id was kept: its prediction arrives later and joins.
    await log.append({ model: 'price', version: 1, inputs: [4], prediction: 1, id: 'later' });
    expect((await log.read({ labelled: true })).map((r) => r.id)).toEqual(['p1', 'p3', 'later']);
    await log.labelMany([]); // writes nothing: the append of "later" stays the second call
    expect(appendNdjsonLines).toHaveBeenCalledTimes(2);
  });

  it('labelMany rejects a bad entry by index and id, and writes nothing', async () => {
    const path = join(dir, 'e.ndjson');
    const log = new PredictionLog({ path });
    await expect(
      log.labelMany([
        { id: 'a', label: 1 },
        { id: 'b', label: Number.NaN },
      ]),
    ).rejects.toThrow(new InvalidInputError('label 1 ("b") must be a finite number, got NaN', { row: 1 }));
    await expect(
      log.labelMany([
        { id: 'a', label: 1 },
        { id: '', label: 2 },
      ]),
    ).rejects.toThrow('label 1: id must be a non-empty string, got ');
    await expect(log.labelMany([{ id: 'a', label: 1 }], new Date('nope'))).rejects.toThrow(
      'label time must be a valid Date, got Invalid Date',
    );
    await expect(readFile(path, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
