import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DriftLog } from '@mlops/monitor';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../__fixtures__/cli-process';

const dir = mkdtempSync(join(tmpdir(), 'mlops-monitor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const registry = join(dir, 'registry');
const mlops = (...args: string[]) => runCli(registry, ...args);

/** Writes a CSV of `n` rows whose cells come from `row(i)`; returns its path. */
function csv(name: string, header: readonly string[], n: number, row: (i: number) => readonly (string | number)[]) {
  const path = join(dir, name);
  const lines = Array.from({ length: n }, (_, i) => row(i).join(','));
  writeFileSync(path, `${[header.join(','), ...lines].join('\n')}\n`);
  return path;
}

const side = (i: number) => (i % 2 === 0 ? 'east' : 'west');

// x: 0..39 with 4 blank cells (median of the rest 20); current: shifted by +15 with 5 `NA` cells.
// region: east/west with 5 blanks in the reference and 10 in the current.
const numericRef = csv('numeric-ref.csv', ['x', 'region'], 40, (i) => [
  i % 10 === 0 ? '' : i,
  i % 8 === 0 ? '' : side(i),
]);
const numericCur = csv('numeric-cur.csv', ['x', 'region'], 40, (i) => [
  i % 8 === 0 ? 'NA' : i + 15,
  i % 4 === 0 ? '' : side(i),
]);

interface Feature {
  feature: string;
  test: string;
  statistic: number;
  pValue?: number;
  drifted: boolean;
  levels?: { level: string; reference: number; current: number }[];
}

const json = (result: { stdout: string }) =>
  JSON.parse(result.stdout) as {
    features: Feature[];
    datasetDrift: boolean;
    driftShare: number;
    filled: Record<string, unknown>;
    skippedIdColumns: string[];
    newLevels: Record<string, string[]>;
  };

describe('mlops monitor', () => {
  it('compares a numeric column with blanks by KS, filled with the reference median, and blanks of a category as a level', async () => {
    const text = await mlops('monitor', '--reference', numericRef, '--current', numericCur);
    expect(text.stderr).toBe('');
    expect(text.status).toBe(0);
    // scipy: ks_2samp(ref, cur) = 0.35, p = 0.0143015; chi2_contingency([[15, 20, 5], [10, 20, 10]]) = 2.6667, p = 0.26360
    expect(text.stdout).toBe(
      [
        'dataset drift: YES (1/2 features, 40 vs 40 rows)',
        '  DRIFT x: ks 0.3500 p=1.430e-2',
        '  ok    region: chisquare 2.6667 p=2.636e-1',
        'x: filled 4 reference, 5 current blank cells with 20 (reference median)',
        '',
      ].join('\n'),
    );
    const report = json(await mlops('monitor', '--reference', numericRef, '--current', numericCur, '--json'));
    expect(report.features.map((f) => [f.feature, f.test, f.drifted])).toEqual([
      ['x', 'ks', true],
      ['region', 'chisquare', false],
    ]);
    expect(report.features[0]!.pValue).toBeCloseTo(0.0143015, 6);
    expect(report.features[1]!.levels).toEqual([
      { level: 'east', reference: 15, current: 10 },
      { level: 'west', reference: 20, current: 20 },
      { level: '(blank)', reference: 5, current: 10 },
    ]);
    expect(report.filled).toEqual({ x: { reference: 4, current: 5, value: 20, from: 'reference median' } });
    expect(report.skippedIdColumns).toEqual([]);
    expect(report.newLevels).toEqual({});
  });

  it('skips id-like text columns and leaves out every --target column', async () => {
    const row = (offset: number) => (i: number) => [`c${100 + i + offset}`, i % 5, i % 2, i * 10, side(i)];
    const header = ['customer_id', 'visits', 'churned', 'lifetime_value', 'region'];
    const ref = csv('ids-ref.csv', header, 30, row(0));
    const cur = csv('ids-cur.csv', header, 30, row(30));
    const result = await mlops(
      'monitor',
      '--reference',
      ref,
      '--current',
      cur,
      '--target',
      'churned,lifetime_value',
      '--json',
    );
    expect(result.status).toBe(0);
    const report = json(result);
    expect(report.features.map((f) => f.feature)).toEqual(['visits', 'region']);
    expect(report.skippedIdColumns).toEqual(['customer_id']);
    const text = await mlops('monitor', '--reference', ref, '--current', cur, '--target', 'churned, lifetime_value');
    expect(text.stdout.split('\n').slice(-2)).toEqual(['skipped id-like columns: customer_id', '']);
    // A short file's distinct text is not taken as an id.
    const short = csv('ids-short.csv', header, 20, row(0));
    expect(json(await mlops('monitor', '--reference', short, '--current', short, '--json')).skippedIdColumns).toEqual(
      [],
    );
    const typo = await mlops('monitor', '--reference', ref, '--current', cur, '--target', 'churned,lifetimevalue');
    expect([typo.status, typo.stderr]).toEqual([
      1,
      `mlops: --target names "lifetimevalue", which is not a column of ${ref}\n`,
    ]);
  });

  it("with --model, compares the model's inputs with new category values as new levels, whatever --unseen", async () => {
    const region = (i: number) => ['east', 'west', 'north'][i % 3]!;
    // x has one blank in training: the model fills it with the training median.
    const training = csv('shop.csv', ['id', 'region', 'x', 'y'], 60, (i) => [
      `r${i}`,
      region(i),
      i === 5 ? '' : i % 10,
      i % 2,
    ]);
    // One row in three is in a region the model never saw; two blanks of x; the id and target are ignored.
    const current = csv('shop-now.csv', ['id', 'region', 'x', 'y'], 60, (i) => [
      `n${i}`,
      i % 3 === 0 ? 'central' : region(i),
      i < 2 ? 'NA' : i % 10,
      1,
    ]);
    const trained = await mlops('train', '--data', training, '--target', 'y', '--exclude', 'id', '--trees', '5');
    expect(trained.status).toBe(0);
    const report = json(
      await mlops('monitor', '--reference', training, '--current', current, '--model', 'shop@production', '--json'),
    );
    const byRegion = report.features.find((f) => f.feature === 'region')!;
    expect(report.features.map((f) => [f.feature, f.test])).toEqual([
      ['region', 'chisquare'],
      ['x', 'ks'],
    ]);
    expect(byRegion.drifted).toBe(true);
    expect(byRegion.levels).toEqual([
      { level: 'east', reference: 20, current: 0 },
      { level: 'north', reference: 20, current: 20 },
      { level: 'west', reference: 20, current: 20 },
      { level: 'central', reference: 0, current: 20 },
    ]);
    expect(report.newLevels).toEqual({ region: ['central'] });
    expect(report.filled).toEqual({ x: { reference: 1, current: 2, value: 4, from: 'model fill' } });
    const text = await mlops('monitor', '--reference', training, '--current', current, '--model', 'shop@production');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^ {2}DRIFT region: chisquare /m);
    expect(text.stdout.split('\n').slice(-3)).toEqual([
      'x: filled 1 reference, 2 current blank cells with 4 (model fill)',
      'region: new levels central',
      '',
    ]);

    const strict = await mlops(
      'train',
      '--data',
      training,
      '--target',
      'y',
      '--exclude',
      'id',
      '--trees',
      '5',
      '--name',
      'strict',
      '--unseen',
      'error',
    );
    expect(strict.status).toBe(0);
    const html = join(dir, 'strict.html');
    const unseen = await mlops(
      'monitor',
      '--reference',
      training,
      '--current',
      current,
      '--model',
      'strict',
      '--html',
      html,
    );
    expect(unseen.stderr).toBe('');
    expect(unseen.status).toBe(0);
    expect(unseen.stdout).toContain('region: new levels central');
    expect(readFileSync(html, 'utf8')).toContain('central');

    // --drift-log keeps each check for `mlops ui --monitoring`: the model, its version, the report.
    const driftLog = join(dir, 'drift.ndjson');
    for (let i = 0; i < 2; i++) {
      const logged = await mlops(
        'monitor',
        '--reference',
        training,
        '--current',
        current,
        '--model',
        'shop@production',
        '--drift-log',
        driftLog,
      );
      expect(logged.stdout).toContain(`logged: ${driftLog}`);
    }
    const checks = await new DriftLog({ path: driftLog }).read({ model: 'shop' });
    expect(checks.map((c) => [c.version, c.report.features.map((f) => f.feature)])).toEqual([
      [1, ['region', 'x']],
      [1, ['region', 'x']],
    ]);
    const withoutModel = await mlops('monitor', '--reference', training, '--current', current, '--drift-log', driftLog);
    expect([withoutModel.status, withoutModel.stderr]).toEqual([
      1,
      'mlops: --drift-log needs --model: a drift check is logged for a model version\n',
    ]);

    const noRegion = csv('shop-no-region.csv', ['id', 'x'], 3, (i) => [`n${i}`, i]);
    const absent = await mlops('monitor', '--reference', training, '--current', noRegion, '--model', 'shop');
    expect([absent.status, absent.stderr]).toEqual([1, `mlops: ${noRegion} lacks column "region", an input of shop\n`]);
    const badX = csv('shop-bad-x.csv', ['region', 'x'], 3, (i) => ['east', i === 1 ? 'many' : i]);
    const bad = await mlops('monitor', '--reference', training, '--current', badX, '--model', 'shop');
    expect([bad.status, bad.stderr]).toEqual([
      1,
      `mlops: ${badX} line 3, column "x" is "many": expected a number (decimal digits, optional sign, point and exponent)\n`,
    ]);
  });

  it('--drift-share sets the share of drifted columns at which the dataset drifted', async () => {
    // x drifts (as above); `same` is identical in both files, so one column in two drifted.
    const ref = csv('share-ref.csv', ['x', 'same'], 40, (i) => [i % 10 === 0 ? '' : i, i % 7]);
    const cur = csv('share-cur.csv', ['x', 'same'], 40, (i) => [i % 8 === 0 ? 'NA' : i + 15, i % 7]);
    const run = (...extra: string[]) =>
      mlops('monitor', '--reference', ref, '--current', cur, '--fail-on-drift', ...extra);
    const byDefault = await run();
    expect(byDefault.status).toBe(3);
    expect(byDefault.stdout).toMatch(/^dataset drift: YES \(1\/2 features, 40 vs 40 rows\)\n/);
    const half = await run('--drift-share', '0.5', '--json');
    expect([half.status, json(half).datasetDrift, json(half).driftShare]).toEqual([3, true, 0.5]);
    const most = await run('--drift-share', '0.75');
    expect(most.status).toBe(0);
    expect(most.stdout).toMatch(/^dataset drift: no \(1\/2 features, 40 vs 40 rows\)\n/);
    for (const bad of ['0', '1.5', 'half']) {
      const result = await run('--drift-share', bad);
      expect([result.status, result.stderr]).toEqual([
        1,
        `mlops: --drift-share must be a number in (0, 1], got "${bad}"\n`,
      ]);
    }
  });
});
