import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, serveProcess } from './__fixtures__/cli-process';

// The table the root README walks through: ids, text categories, blanks, a class and a numeric target.
const data = join(import.meta.dirname, '../../../examples/data');
const loans = join(data, 'loans.csv');
const requests = join(data, 'loans-requests.csv'); // unlabelled, with ids
const dir = mkdtempSync(join(tmpdir(), 'mlops-real-tables-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const mlops = (...args: string[]) => runCli(join(dir, 'registry'), ...args);

/** What the tests read of a JSON Schema or an OpenAPI document. */
interface Described {
  $schema?: string;
  properties: Record<string, { enum?: unknown[]; type?: unknown }>;
  components: { schemas: { PredictResponse: { properties: { predictions: { items: unknown } } } } };
}
const getJson = async (url: string) => (await (await fetch(url)).json()) as Described;

/** The first records of the requests file, as a client would send them (text, blanks as null). */
function requestRecords(): Record<string, string | null>[] {
  const [header, ...lines] = readFileSync(requests, 'utf8').trim().split('\n');
  const names = header!.split(',');
  return lines.map((line) =>
    Object.fromEntries(line.split(',').map((cell, j) => [names[j]!, cell === '' ? null : cell])),
  );
}

describe('a real table end to end: mlops train → predict (unlabelled) → serve raw records → /schema', () => {
  it('classification: defaulted yes/no from categories and blanks, the id and the other target left out', async () => {
    const trained = await mlops(
      'train',
      '--data',
      loans,
      '--target',
      'defaulted',
      '--exclude',
      'id,interest_rate',
      '--name',
      'loans',
      '--trees',
      '30',
      '--json',
    );
    expect(trained.status).toBe(0);
    const result = JSON.parse(trained.stdout);
    expect(result).toMatchObject({
      name: 'loans',
      version: 1,
      task: 'classification',
      features: ['age', 'income', 'home_ownership', 'purpose', 'credit_history', 'employment_years', 'loan_amount'],
      missing: { income: 23, home_ownership: 16, credit_history: 12, employment_years: 35 },
      trainRows: 320,
      testRows: 80,
      unseenCategory: 'error',
    });
    expect(Object.keys(result.metrics)).toEqual(['accuracy', 'f1']);
    expect(result.metrics.accuracy).toBeGreaterThan(0.6);
    const home = result.inputs.find((c: { name: string }) => c.name === 'home_ownership');
    expect(home).toMatchObject({ type: 'category', levels: ['MORTGAGE', 'OTHER', 'OWN', 'RENT'], nullable: true });

    const predicted = await mlops('predict', '--model', 'loans@production', '--input', requests, '--proba', '--json');
    expect(predicted.status).toBe(0);
    const answer = JSON.parse(predicted.stdout);
    expect(answer).toMatchObject({ model: 'loans', version: 1, task: 'classification' });
    expect(answer.predictions).toHaveLength(8);
    expect(answer.predictions.every((p: string) => p === 'no' || p === 'yes')).toBe(true);
    expect(Object.keys(answer.probabilities[0])).toEqual(['no', 'yes']);
    const csv = (await mlops('predict', '--model', 'loans@production', '--input', requests)).stdout.split('\n');
    expect(csv[0]).toBe('id,prediction');
    expect(csv[1]).toMatch(/^L20001,(no|yes)$/);
    const scored = JSON.parse((await mlops('predict', '--model', 'loans@1', '--input', loans, '--json')).stdout);
    expect(scored).toMatchObject({ labelledRows: 400 });
    expect(scored.score.accuracy).toBeGreaterThan(0.7);

    // Monitoring by the model's input columns: typed as at training time, the id and the targets ignored.
    const html = join(dir, 'drift.html');
    const monitored = await mlops(
      'monitor',
      '--model',
      'loans@production',
      '--reference',
      loans,
      '--current',
      requests,
      '--html',
      html,
    );
    expect(monitored.status).toBe(0);
    expect(monitored.stdout).toMatch(/^dataset drift: no \(0\/7 features, 400 vs 8 rows\)/);
    expect(monitored.stdout).toContain('home_ownership: chisquare');
    expect(monitored.stdout).not.toContain(' id:');
    expect(readFileSync(html, 'utf8')).toContain('MORTGAGE');

    const server = await serveProcess(join(dir, 'registry'), 'loans@production');
    try {
      const post = async (body: unknown) => {
        const response = await fetch(`${server.url}/predict`, { method: 'POST', body: JSON.stringify(body) });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      const served = await post({ rows: requestRecords(), proba: true });
      expect(served.status).toBe(200);
      expect(served.body.predictions).toEqual(answer.predictions); // the CLI and the server agree
      expect(served.body.probabilities).toEqual(answer.probabilities);
      const odd = await post({ rows: [{ ...requestRecords()[0], purpose: 'yacht' }] });
      expect(odd).toEqual({
        status: 400, // an unseen category is refused by default (mlops train --unseen missing fills it), never a 5xx
        body: {
          error:
            'predict input for loans v1 row 0, column "purpose" is "yacht", which is not one of its levels (car, credit_card, debt_consolidation, education, home_improvement, medical)',
        },
      });
      const wrong = await post({ rows: [{ ...requestRecords()[0], age: 'forty' }] });
      expect(wrong).toEqual({
        status: 400,
        body: {
          error:
            'predict input for loans v1 row 0, column "age" is "forty": expected a number (decimal digits, optional sign, point and exponent)',
        },
      });
      const schema = await getJson(`${server.url}/schema`);
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.properties.home_ownership!.enum).toEqual(['MORTGAGE', 'OTHER', 'OWN', 'RENT', null]);
      expect(schema.properties.credit_history!.enum).toEqual(['fair', 'good', 'poor', null]);
      expect(schema.properties.age!.type).toEqual(['number', 'null']);
      expect(Object.keys(schema.properties)).toEqual([
        'age',
        'income',
        'home_ownership',
        'purpose',
        'credit_history',
        'employment_years',
        'loan_amount',
        'defaulted',
        'id',
        'interest_rate',
      ]);
      const openapi = await getJson(`${server.url}/openapi.json`);
      expect(openapi.components.schemas.PredictResponse.properties.predictions.items).toEqual({
        type: 'string',
        enum: ['no', 'yes'],
      });
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('regression: interest_rate, through predict and serve as numbers', async () => {
    const trained = await mlops(
      'train',
      '--data',
      loans,
      '--target',
      'interest_rate',
      '--exclude',
      'id,defaulted',
      '--name',
      'rates',
      '--trees',
      '30',
      '--json',
    );
    expect(trained.status).toBe(0);
    const result = JSON.parse(trained.stdout);
    expect(result).toMatchObject({ name: 'rates', task: 'regression' });
    expect(Object.keys(result.metrics)).toEqual(['r2', 'mae', 'rmse']);
    expect(result.metrics.r2).toBeGreaterThan(0.7);
    const predicted = JSON.parse(
      (await mlops('predict', '--model', 'rates@production', '--input', requests, '--json')).stdout,
    );
    expect(predicted.task).toBe('regression');
    expect(predicted.predictions).toHaveLength(8);
    expect(predicted.predictions.every((p: unknown) => typeof p === 'number' && p > 3 && p < 25)).toBe(true);
    const server = await serveProcess(join(dir, 'registry'), 'rates@production');
    try {
      const response = await fetch(`${server.url}/predict`, {
        method: 'POST',
        body: JSON.stringify({ rows: requestRecords() }),
      });
      expect(await response.json()).toEqual({ model: 'rates', version: 1, predictions: predicted.predictions });
      const schema = await getJson(`${server.url}/schema`);
      expect(schema.properties.purpose!.enum).toContain('medical');
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('lifecycle: a new category and a new class arrive; mlops ingest retrains the pipeline and the promotion serves them', async () => {
    const registry = join(dir, 'lifecycle-registry');
    const cli = (...args: string[]) => runCli(registry, ...args);
    const [header, ...rows] = readFileSync(loans, 'utf8').trim().split('\n');
    const write = (name: string, lines: readonly string[]) => {
      writeFileSync(join(dir, name), `${[header, ...lines].join('\n')}\n`);
      return join(dir, name);
    };
    const purpose = header!.split(',').indexOf('purpose');
    // Production starts financing solar panels, and the lender starts recording a third outcome: "late".
    const solar = rows.slice(300, 350).map((line) => {
      const cells = line.split(',');
      cells[0] = `S${cells[0]}`;
      cells[purpose] = 'solar';
      cells[cells.length - 1] = 'late';
      return cells.join(',');
    });
    const batch = write('solar-batch.csv', [...rows.slice(300, 400), ...solar]);
    const train = write('first-300.csv', rows.slice(0, 300));
    expect(
      (
        await cli(
          'train',
          '--data',
          train,
          '--target',
          'defaulted',
          '--exclude',
          'id,interest_rate',
          '--name',
          'loans',
          '--trees',
          '30',
        )
      ).status,
    ).toBe(0);

    // Before production learns of "late", rows labelled so are predicted but not scored.
    const lateRows = rows.slice(300, 310).map((line, i) => (i < 4 ? line.replace(/,(yes|no)$/, ',late') : line));
    const early = await cli('predict', '--model', 'loans@production', '--input', write('late.csv', lateRows), '--json');
    expect(JSON.parse(early.stdout)).toMatchObject({ labelledRows: 6, unknownLabels: { late: 4 } });
    const ingested = await cli('ingest', '--model', 'loans', '--data', batch, '--json');
    expect(ingested.stderr).toBe('');
    const decision = JSON.parse(ingested.stdout);
    expect(decision).toMatchObject({ decision: 'promoted', version: 2, challengerVersion: 2, trainingRows: 240 + 120 });
    expect(decision.triggers).toContain('accuracy');
    expect(decision.reason).toMatch(/its inputs: column "purpose" gained levels solar; new class late$/);

    // The promoted version takes the new category as raw text and can answer the new class.
    const applicant = { ...requestRecords()[0], purpose: 'solar' };
    const server = await serveProcess(registry, 'loans@production');
    try {
      const response = await fetch(`${server.url}/predict`, {
        method: 'POST',
        body: JSON.stringify({ rows: [applicant] }),
      });
      expect(await response.json()).toEqual({ model: 'loans', version: 2, predictions: ['late'] });
      const schema = await getJson(`${server.url}/schema`);
      expect(schema.properties.purpose!.enum).toContain('solar');
    } finally {
      expect(await server.stop()).toBe(0);
    }

    // The same rows again: nothing to do; this new process rebuilt the same training rows from the registry.
    const again = JSON.parse((await cli('ingest', '--model', 'loans', '--data', batch, '--json')).stdout);
    expect(again).toMatchObject({ decision: 'skipped', version: 2, triggers: [], trainingRows: 360 });
    expect(JSON.parse((await cli('registry', 'list', 'loans', '--json')).stdout)).toMatchObject({
      total: 2,
      production: 2,
    });
  });

  it('logistic regression: mlops train --algorithm logistic, predictions on raw records, retrains of the same kind', async () => {
    const registry = join(dir, 'logistic-registry');
    const cli = (...args: string[]) => runCli(registry, ...args);
    const trained = await cli(
      'train',
      '--data',
      loans,
      '--target',
      'defaulted',
      '--exclude',
      'id,interest_rate',
      '--name',
      'loans',
      '--algorithm',
      'logistic',
      '--json',
    );
    expect(trained.status).toBe(0);
    const result = JSON.parse(trained.stdout);
    expect(result).toMatchObject({ algorithm: 'logistic', task: 'classification', version: 1 });
    expect(result.accuracy).toBe(0.7); // deterministic: the fit draws nothing at random
    const predicted = await cli('predict', '--model', 'loans@production', '--input', requests, '--json');
    expect(JSON.parse(predicted.stdout).predictions).toHaveLength(requestRecords().length);
    const shown = JSON.parse((await cli('registry', 'show', 'loans@production', '--json')).stdout);
    expect(shown.tags.trainer).toBe('logistic-regression');
    expect((await cli('ingest', '--model', 'loans', '--data', loans, '--threshold', '0.99', '--json')).status).toBe(0);
    const challenger = JSON.parse((await cli('registry', 'show', 'loans@2', '--json')).stdout);
    expect(challenger.tags.trainer).toBe('logistic-regression');
    const searched = await cli(
      'train',
      '--data',
      loans,
      '--target',
      'defaulted',
      '--exclude',
      'id,interest_rate',
      '--name',
      'searched',
      '--algorithm',
      'logistic',
      '--search',
      '--json',
    );
    expect(JSON.parse(searched.stdout).search).toEqual({
      best: { C: 1 },
      mean: 0.7249456298124963,
      std: 0.012880625658101403,
      candidates: 3,
    });
    expect(JSON.parse((await cli('registry', 'show', 'searched@1', '--json')).stdout).tags).toMatchObject({
      search: 'grid',
      searchBest: '{"C":1}',
    });
    const regression = await cli(
      'train',
      '--data',
      loans,
      '--target',
      'interest_rate',
      '--exclude',
      'id,defaulted',
      '--algorithm',
      'logistic',
    );
    expect(regression.status).toBe(2);
    expect(regression.stderr).toContain('--algorithm logistic is a classifier, and this is a regression');
  });

  it('gradient boosting: mlops train --algorithm boosting for a class and for a number, deterministic', async () => {
    const registry = join(dir, 'boosting-registry');
    const cli = (...args: string[]) => runCli(registry, ...args);
    const classified = await cli(
      'train',
      '--data',
      loans,
      '--target',
      'defaulted',
      '--exclude',
      'id,interest_rate',
      '--name',
      'loans',
      '--algorithm',
      'boosting',
      '--json',
    );
    expect(JSON.parse(classified.stdout)).toMatchObject({ algorithm: 'boosting', metrics: { accuracy: 0.7 } }); // 0.65 when category codes are split as numbers
    const rate = await cli(
      'train',
      '--data',
      loans,
      '--target',
      'interest_rate',
      '--exclude',
      'id,defaulted',
      '--name',
      'rate',
      '--algorithm',
      'boosting',
      '--json',
    );
    expect(JSON.parse(rate.stdout)).toMatchObject({ task: 'regression', metrics: { r2: 0.8090500875675729 } });
    const shown = JSON.parse((await cli('registry', 'show', 'rate@production', '--json')).stdout);
    expect(shown.tags.trainer).toBe('gradient-boosting-regressor');
    const predicted = JSON.parse(
      (await cli('predict', '--model', 'rate@production', '--input', requests, '--json')).stdout,
    );
    expect(predicted.predictions.every((v: unknown) => typeof v === 'number')).toBe(true);
  });

  it('--missing keep: boosting learns where blanks go; prediction leaves them missing; the forest refuses it', async () => {
    const registry = join(dir, 'keep-registry');
    const cli = (...args: string[]) => runCli(registry, ...args);
    const base = ['train', '--data', loans, '--target', 'defaulted', '--exclude', 'id,interest_rate'];
    const kept = await cli(...base, '--name', 'loans', '--algorithm', 'boosting', '--missing', 'keep', '--json');
    expect(kept.status).toBe(0);
    const result = JSON.parse(kept.stdout);
    expect(result).toMatchObject({ algorithm: 'boosting', version: 1 });
    expect(result.metrics.accuracy).toBeGreaterThan(0.6);
    const shown = JSON.parse((await cli('registry', 'show', 'loans@production', '--json')).stdout);
    expect(shown.dataset).toMatchObject({ name: 'loans-training', version: 1 }); // NaN cells stored and versioned
    const predicted = await cli('predict', '--model', 'loans@production', '--input', requests);
    expect(predicted.status).toBe(0);
    expect(predicted.stderr).toContain('income: 1 blank cell left missing (the model handles them)');
    // Labelled rows with blanks come back: the lifecycle scores, checks drift (blanks left out) and decides.
    const ingested = await cli('ingest', '--model', 'loans', '--data', loans, '--json');
    expect(ingested.status).toBe(0);
    expect(JSON.parse(ingested.stdout).decision).toMatch(/^(kept|promoted|rejected)$/);
    const forest = await cli(...base, '--name', 'forest', '--missing', 'keep');
    expect(forest.status).toBe(2);
    expect(forest.stderr).toContain('--missing keep needs --algorithm boosting');
  });
});
