import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IntegrityError, InvalidInputError } from '@mlops/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectDrift } from '../drift/detect-drift';
import { DriftLog } from './drift-log';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlops-drift-log-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const reference = Array.from({ length: 50 }, (_, i) => [i, i % 7]);
const shifted = Array.from({ length: 50 }, (_, i) => [i + 40, i % 7]);
const report = (current: number[][]) => detectDrift(reference, current, { featureNames: ['amount', 'days'] });

describe('DriftLog', () => {
  it('keeps checks per model, oldest first, as the reports detectDrift made', async () => {
    const log = new DriftLog({ path: join(dir, 'a.ndjson') });
    const calm = report(reference);
    const drifted = report(shifted);
    await log.append({ model: 'loans', version: 2, report: drifted, time: '2026-03-02T00:00:00Z' });
    await log.append({ model: 'loans', version: 1, report: calm, time: '2026-03-01T00:00:00Z' });
    await log.append({ model: 'iris', report: calm, time: '2026-03-03T00:00:00Z' });
    const loans = await log.read({ model: 'loans' });
    expect(loans.map((r) => [r.time, r.version, r.report.datasetDrift])).toEqual([
      ['2026-03-01T00:00:00.000Z', 1, false],
      ['2026-03-02T00:00:00.000Z', 2, true],
    ]);
    expect(loans[1]!.report).toEqual(JSON.parse(JSON.stringify(drifted)));
    expect((await log.read()).length).toBe(3);
  });

  it('reads an absent file as no checks, skips a torn last line and names a damaged one', async () => {
    expect(await new DriftLog({ path: join(dir, 'none.ndjson') }).read()).toEqual([]);
    const path = join(dir, 'b.ndjson');
    const log = new DriftLog({ path });
    await log.append({ model: 'loans', report: report(reference) });
    await appendFile(path, '{"time":"2026-');
    expect(await log.read()).toHaveLength(1);
    await writeFile(path, '{"time":"2026-03-01T00:00:00Z","model":"loans","report":{"features":[{}]}}\n{}\n');
    await expect(log.read()).rejects.toThrow(IntegrityError);
    await expect(log.read()).rejects.toThrow(/line 1 is damaged: report\.features\[0\]\.feature/);
  });

  it('refuses a bad entry and writes nothing', async () => {
    const path = join(dir, 'c.ndjson');
    const log = new DriftLog({ path });
    await expect(log.append({ model: '', report: report(reference) })).rejects.toThrow(InvalidInputError);
    await expect(log.append({ model: 'loans', version: 0, report: report(reference) })).rejects.toThrow(/version/);
    await expect(log.append({ model: 'loans', report: report(reference), time: 'soon' })).rejects.toThrow(/time/);
    expect(await log.read()).toEqual([]);
    expect(() => new DriftLog({ path: '' })).toThrow(InvalidInputError);
  });
});
