import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadIris, shiftFeatures } from '@mlops/data';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, serveProcess } from './__fixtures__/cli-process';

const dir = mkdtempSync(join(tmpdir(), 'mlops-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const registry = join(dir, 'registry');

const mlops = (...args: string[]) => runCli(registry, ...args);

function writeCsv(path: string, header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  writeFileSync(path, `${[header.join(','), ...rows.map((r) => r.join(','))].join('\n')}\n`);
  return path;
}

const iris = loadIris();
const names = iris.featureNames;
const irisCsv = writeCsv(
  join(dir, 'iris.csv'),
  [...names, 'species'],
  iris.features.map((r, i) => [...r, iris.classNames![iris.target[i]!]!]),
);
const shifted = shiftFeatures(iris, { seed: 3, offsets: { 'petal length (cm)': 1.5, 'petal width (cm)': 0.6 } });
const shiftedCsv = writeCsv(
  join(dir, 'shifted.csv'),
  [...names, 'species'],
  shifted.features.map((r, i) => [...r, iris.classNames![iris.target[i]!]!]),
);

describe('mlops CLI, end to end', () => {
  it('trains from a CSV, registers, and sets production on the first version', async () => {
    const first = await mlops(
      'train',
      '--data',
      irisCsv,
      '--target',
      'species',
      '--name',
      'flowers',
      '--trees',
      '30',
      '--json',
    );
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const result = JSON.parse(first.stdout);
    expect(result).toMatchObject({
      name: 'flowers',
      version: 1,
      trainRows: 120,
      testRows: 30,
      alias: 'production',
      dataset: { name: 'flowers-training', version: 1 },
    });
    expect(result.accuracy).toBeGreaterThan(0.9);
    const second = await mlops(
      'train',
      '--data',
      irisCsv,
      '--target',
      'species',
      '--name',
      'flowers',
      '--trees',
      '10',
      '--seed',
      '7',
    );
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/^data {5}150 rows × 4 features/m);
    expect(second.stdout).toMatch(
      /^saved {4}flowers v2: accuracy [01]\.\d{4}, macro F1 [01]\.\d{4} on 30 held-out rows; datasets flowers-training v\d, flowers-holdout v\d$/m,
    );
    expect(second.stderr).toMatch(/train {4}trees: 10\/10/); // progress goes to stderr (plain lines when not a TTY)
  });

  it('lists, shows, promotes, rolls back and verifies', async () => {
    const listed = JSON.parse((await mlops('registry', 'list', 'flowers', '--json')).stdout);
    expect(listed).toMatchObject({ name: 'flowers', total: 2, production: 1 });
    expect(listed.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect((await mlops('registry', 'list')).stdout.trim()).toBe('flowers');
    expect(JSON.parse((await mlops('registry', 'show', 'flowers@production', '--json')).stdout)).toMatchObject({
      name: 'flowers',
      version: 1,
    });
    expect((await mlops('registry', 'promote', 'flowers', '2', '--reason', 'better')).stdout.trim()).toBe(
      'flowers@production: v1 → v2',
    );
    expect((await mlops('registry', 'rollback', 'flowers')).stdout.trim()).toBe(
      'flowers@production: v2 → v1 (rollback)',
    );
    expect((await mlops('registry', 'archive', 'flowers', '2', '--reason', 'superseded')).stdout.trim()).toBe(
      'flowers v2: archived',
    );
    expect(JSON.parse((await mlops('registry', 'show', 'flowers@latest', '--json')).stdout).version).toBe(1);
    const refused = await mlops('registry', 'archive', 'flowers', '1');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('production'); // an aliased version stays active
    expect((await mlops('registry', 'restore', 'flowers', '2')).stdout.trim()).toBe('flowers v2: active');
    const verified = await mlops('registry', 'verify');
    expect(verified.status).toBe(0);
    expect(verified.stdout).toMatch(/^ok: 2 model versions, 4 dataset versions checked/); // training and held-out rows of each
  });

  it('predicts a file of records, encoded as at training time', async () => {
    const input = writeCsv(join(dir, 'input.csv'), names, [iris.features[0]!, iris.features[100]!]);
    const plain = await mlops('predict', '--model', 'flowers@production', '--input', input);
    expect(plain.stdout).toBe('prediction\nsetosa\nvirginica\n');
    expect(plain.stderr).toBe('flowers v1: 2 predictions\n');
    writeFileSync(
      join(dir, 'input.json'),
      JSON.stringify([Object.fromEntries(names.map((n, j) => [n, iris.features[50]![j]]))]),
    );
    const json = JSON.parse(
      (await mlops('predict', '--model', 'flowers@1', '--input', join(dir, 'input.json'), '--json')).stdout,
    );
    expect(json).toEqual({ model: 'flowers', version: 1, task: 'classification', predictions: ['versicolor'] });
    const proba = await mlops('predict', '--model', 'flowers@1', '--input', input, '--proba');
    expect(proba.stdout).toMatch(
      /^prediction,p\(setosa\),p\(versicolor\),p\(virginica\)\nsetosa,1,0,0\nvirginica,0(\.\d+)?,0(\.\d+)?,(1|0\.\d+)\n$/,
    );
    const withProba = JSON.parse(
      (await mlops('predict', '--model', 'flowers@1', '--input', input, '--proba', '--json')).stdout,
    );
    expect(withProba.probabilities[0]).toEqual({ setosa: 1, versicolor: 0, virginica: 0 });
    // A file that has the target column is also scored.
    const labelled = writeCsv(
      join(dir, 'labelled.csv'),
      [...names, 'species'],
      [
        [...iris.features[0]!, 'setosa'],
        [...iris.features[100]!, 'setosa'],
      ],
    );
    const scored = await mlops('predict', '--model', 'flowers@1', '--input', labelled, '--json');
    expect(JSON.parse(scored.stdout)).toMatchObject({ score: { accuracy: 0.5 }, labelledRows: 2 });
    expect((await mlops('predict', '--model', 'flowers@1', '--input', labelled)).stderr).toBe(
      'flowers v1: 2 predictions\nscore on 2 labelled rows: accuracy 0.5000, macro F1 0.2222\n',
    );
  });

  it('writes class names that look like formulas or hold separators as safe CSV', async () => {
    const { parse } = await import('csv-parse/sync');
    const evil = ["=cmd|' /C calc'!A0", 'a,b\nINJECTED,ROW'];
    const rows = Array.from(
      { length: 40 },
      (_, i) => `${i % 2 ? 5 + i / 10 : 1 + i / 10},"${evil[i % 2]!.replaceAll('"', '""')}"`,
    );
    writeFileSync(join(dir, 'evil.csv'), `x,label\n${rows.join('\n')}\n`);
    expect(
      (await mlops('train', '--data', join(dir, 'evil.csv'), '--target', 'label', '--name', 'evil', '--trees', '5'))
        .status,
    ).toBe(0);
    writeFileSync(join(dir, 'evil-input.csv'), 'x\n1\n9\n');
    const out = await mlops('predict', '--model', 'evil@production', '--input', join(dir, 'evil-input.csv'));
    expect(out.stdout).toBe("prediction\n'=cmd|' /C calc'!A0\n\"a,b\nINJECTED,ROW\"\n");
    expect(parse(out.stdout, { columns: true })).toEqual([
      { prediction: "'=cmd|' /C calc'!A0" },
      { prediction: 'a,b\nINJECTED,ROW' },
    ]);
  });

  it('trains on a real table with blanks and an id column, and predicts an unlabelled file that keeps its ids', async () => {
    const grades = ['A', 'B', 'C', 'D', 'E'];
    const rows = Array.from({ length: 120 }, (_, i) => {
      const grade = grades[i % 5]!;
      const income = i % 17 === 3 ? '' : String(20_000 + ((i * 7919) % 90_000));
      const home = i % 13 === 5 ? '' : ['RENT', 'OWN', 'MORTGAGE'][i % 3];
      const label = i % 29 === 7 ? '' : grade > 'C' ? 'yes' : 'no';
      return `${1000 + i},${income},${home},${grade},${label}`;
    });
    writeFileSync(join(dir, 'loans.csv'), `id,income,home,grade,default\n${rows.join('\n')}\n`);
    const trained = await mlops(
      'train',
      '--data',
      join(dir, 'loans.csv'),
      '--target',
      'default',
      '--exclude',
      'id',
      '--name',
      'loans',
      '--trees',
      '10',
      '--json',
    );
    expect(trained.status).toBe(0);
    expect(JSON.parse(trained.stdout)).toMatchObject({
      name: 'loans',
      version: 1,
      features: ['income', 'home', 'grade'],
      missing: { income: 7, home: 9, default: 4 },
      skippedRows: 4,
    });
    const plain = await mlops(
      'train',
      '--data',
      join(dir, 'loans.csv'),
      '--target',
      'default',
      '--exclude',
      'id',
      '--name',
      'loans',
      '--trees',
      '10',
    );
    expect(plain.stdout).toContain('missing  filled: income 7, home 9; skipped 4 rows (no target)');
    const badTrees = await mlops('train', '--data', join(dir, 'loans.csv'), '--target', 'default', '--trees', 'abc');
    expect([badTrees.status, badTrees.stderr]).toEqual([
      2,
      'mlops: --trees must be an integer from 1 to 10000, got "abc"\n',
    ]);
    expect(
      (await mlops('train', '--data', join(dir, 'loans.csv'), '--target', 'default', '--test-size', '1.5')).stderr,
    ).toBe('mlops: --test-size must be a number between 0 and 1, got "1.5"\n');
    expect((await mlops('--version')).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    writeFileSync(join(dir, 'loans-requests.csv'), 'id,income,home,grade\n9001,,RENT,A\n9002,50000,,E\n');
    const predicted = await mlops('predict', '--model', 'loans@1', '--input', join(dir, 'loans-requests.csv'));
    expect([predicted.status, predicted.stdout]).toEqual([0, 'id,prediction\n9001,no\n9002,yes\n']);
    writeFileSync(join(dir, 'loans-unseen.csv'), 'id,income,home,grade\n9003,40000,CASTLE,Z\n');
    const unseen = await mlops('predict', '--model', 'loans@1', '--input', join(dir, 'loans-unseen.csv'));
    expect([unseen.status, unseen.stderr]).toEqual([
      1,
      `mlops: ${join(dir, 'loans-unseen.csv')}: line 2, column "home" is "CASTLE", which is not one of its levels (MORTGAGE, OWN, RENT)\n`,
    ]);
    // Trained with --unseen missing, unseen levels are filled like blanks, and counted.
    await mlops(
      'train',
      '--data',
      join(dir, 'loans.csv'),
      '--target',
      'default',
      '--exclude',
      'id',
      '--name',
      'lenient',
      '--trees',
      '5',
      '--unseen',
      'missing',
    );
    const lenient = await mlops('predict', '--model', 'lenient@1', '--input', join(dir, 'loans-unseen.csv'), '--json');
    expect(JSON.parse(lenient.stdout)).toMatchObject({
      predictions: [expect.any(String)],
      passedThrough: { id: ['9003'] },
      filled: { home: { missing: 0, unseen: 1 }, grade: { missing: 0, unseen: 1 } },
    });
    const noted = await mlops('predict', '--model', 'lenient@1', '--input', join(dir, 'loans-unseen.csv'));
    expect(noted.stderr).toBe(
      'lenient v1: 1 prediction\nnote: home: 1 unseen category filled\nnote: grade: 1 unseen category filled\n',
    );
    const strict = await mlops('train', '--data', join(dir, 'loans.csv'), '--target', 'default', '--missing', 'error');
    expect(strict.stderr).toMatch(/^mlops: \S+loans\.csv: line \d+, column "income" is missing/);
  });

  it('picks regression for a numeric target with many values, and sorts numeric class labels as numbers', async () => {
    const rows = Array.from(
      { length: 80 },
      (_, i) => `${i},${(i * 37) % 11},${(2 * i + ((i * 7) % 5) / 10).toFixed(1)}`,
    );
    writeFileSync(join(dir, 'numbers.csv'), `x,noise,y\n${rows.join('\n')}\n`);
    const regression = JSON.parse(
      (
        await mlops(
          'train',
          '--data',
          join(dir, 'numbers.csv'),
          '--target',
          'y',
          '--name',
          'numbers',
          '--trees',
          '20',
          '--json',
        )
      ).stdout,
    );
    expect(regression).toMatchObject({ name: 'numbers', version: 1, task: 'regression' });
    expect(Object.keys(regression.metrics).sort()).toEqual(['mae', 'r2', 'rmse']);
    expect(regression.metrics.r2).toBeGreaterThan(0.95);
    const text = await mlops(
      'train',
      '--data',
      join(dir, 'numbers.csv'),
      '--target',
      'y',
      '--name',
      'numbers',
      '--trees',
      '20',
    );
    expect(text.stdout).toContain(
      'task     regression (the target is numeric with 80 distinct values; --task classification to override)',
    );
    expect(text.stdout).toMatch(
      /^saved {4}numbers v2: R² 0\.9\d{3}, MAE \d+\.\d{4}, RMSE \d+\.\d{4} on 16 held-out rows/m,
    );
    writeFileSync(join(dir, 'numbers-input.csv'), 'x,noise\n10,3\n');
    const predicted = await mlops(
      'predict',
      '--model',
      'numbers@1',
      '--input',
      join(dir, 'numbers-input.csv'),
      '--json',
    );
    expect(JSON.parse(predicted.stdout)).toMatchObject({ task: 'regression' });
    expect(JSON.parse(predicted.stdout).predictions[0]).toBeCloseTo(20, -1);

    const labels = Array.from({ length: 60 }, (_, i) => `${i % 3},${[2, 10, 1][i % 3]}`);
    writeFileSync(join(dir, 'levels.csv'), `x,level\n${labels.join('\n')}\n`);
    const levels = await mlops(
      'train',
      '--data',
      join(dir, 'levels.csv'),
      '--target',
      'level',
      '--name',
      'levels',
      '--trees',
      '5',
    );
    expect(levels.stdout).toContain('classes 1, 2, 10');
    expect(levels.stdout).toContain('task     classification (the target has 3 numeric classes)');
    expect(
      (await mlops('train', '--data', join(dir, 'levels.csv'), '--target', 'level', '--task', 'guess')).stderr,
    ).toBe('mlops: --task must be classification or regression, got "guess"\n');
  });

  it('compares two files for drift, writes the HTML report, and can fail a pipeline on drift', async () => {
    const html = join(dir, 'report.html');
    const same = await mlops(
      'monitor',
      '--reference',
      irisCsv,
      '--current',
      irisCsv,
      '--target',
      'species',
      '--fail-on-drift',
    );
    expect(same.status).toBe(0);
    expect(same.stdout).toMatch(/^dataset drift: no \(0\/4 features, 150 vs 150 rows\)/);
    const drifted = await mlops(
      'monitor',
      '--reference',
      irisCsv,
      '--current',
      shiftedCsv,
      '--target',
      'species',
      '--html',
      html,
      '--fail-on-drift',
    );
    expect(drifted.status).toBe(3);
    expect(drifted.stdout).toContain('DRIFT petal length (cm): ks');
    expect(readFileSync(html, 'utf8')).toContain('<svg class="histogram"');
    const json = JSON.parse(
      (await mlops('monitor', '--reference', irisCsv, '--current', shiftedCsv, '--target', 'species', '--json')).stdout,
    );
    expect(json.features.find((f: { feature: string }) => f.feature === 'petal length (cm)').drifted).toBe(true);

    // Text columns are categories: level counts are compared, and the report names the levels.
    const homes = (shares: readonly [string, number][]) =>
      `home,years\n${shares.flatMap(([home, n]) => Array.from({ length: n }, (_, i) => `${home},${i % 9}`)).join('\n')}\n`;
    writeFileSync(
      join(dir, 'homes-ref.csv'),
      homes([
        ['RENT', 40],
        ['OWN', 40],
        ['MORTGAGE', 40],
      ]),
    );
    writeFileSync(
      join(dir, 'homes-now.csv'),
      homes([
        ['RENT', 100],
        ['OWN', 10],
        ['MORTGAGE', 10],
      ]),
    );
    const categoryHtml = join(dir, 'homes.html');
    const byLevel = await mlops(
      'monitor',
      '--reference',
      join(dir, 'homes-ref.csv'),
      '--current',
      join(dir, 'homes-now.csv'),
      '--html',
      categoryHtml,
    );
    expect(byLevel.stdout).toMatch(/DRIFT home: chisquare 61\.7143/); // scipy chi2_contingency([[40, 40, 40], [10, 10, 100]]): 61.714
    expect(readFileSync(categoryHtml, 'utf8')).toMatch(/MORTGAGE[\s\S]*OWN[\s\S]*RENT/);
  });

  it('fails with one line and a non-zero code', async () => {
    const missing = await mlops('train');
    expect([missing.status, missing.stderr]).toEqual([2, 'mlops: Missing required argument: --data\n']);
    const notFound = await mlops('predict', '--model', 'flowers@staging', '--input', irisCsv);
    expect([notFound.status, notFound.stderr]).toEqual([1, 'mlops: model "flowers" has no alias "staging"\n']);
    const badInput = writeCsv(join(dir, 'bad.csv'), names, [[1, 2, 'x', 4]]);
    const bad = await mlops('predict', '--model', 'flowers@production', '--input', badInput);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe(
      `mlops: ${badInput}: line 2, column "petal length (cm)" is "x": expected a number (decimal digits, optional sign, point and exponent)\n`,
    );
    expect((await mlops('registry', 'list', '--registry', '')).stderr).toMatch(/^mlops: /);
    const s3ForDirectory = await mlops(
      'train',
      '--data',
      irisCsv,
      '--target',
      'species',
      '--artifacts',
      's3://models/x',
    );
    expect([s3ForDirectory.status, s3ForDirectory.stdout, s3ForDirectory.stderr]).toEqual([
      1,
      '', // refused before training
      `mlops: --artifacts s3://models/x goes with a postgres:// registry, not ${registry}\n`,
    ]);
    const badS3 = await mlops('registry', 'list', '--registry', 'postgres://127.0.0.1:9/x', '--artifacts', 'models/x');
    expect(badS3.stderr).toBe('mlops: artifact storage must be an s3://bucket/prefix URL, got "models/x"\n');
    const unknown = await mlops('train', '--data', irisCsv, '--target', 'species', '--exlude', 'id');
    expect([unknown.status, unknown.stderr]).toEqual([
      2,
      'mlops: unknown option --exlude for mlops train (see mlops train --help)\n',
    ]);
  });

  it('serves as a process until SIGTERM', async () => {
    const server = await serveProcess(registry, 'flowers@production');
    const health = await (await fetch(`${server.url}/health`)).json();
    expect(health).toMatchObject({ status: 'ok', model: 'flowers', version: 1 });
    expect(await server.stop()).toBe(0);
  });
});
