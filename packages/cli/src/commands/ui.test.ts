import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DriftLog, detectDrift, PredictionLog } from '@mlops/monitor';
import { openRegistry } from '@mlops/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, serverProcess } from '../__fixtures__/cli-process';

// A real table: ids, text categories, blanks and a numeric target (interest_rate), trained twice by the CLI.
const loans = join(import.meta.dirname, '../../../../examples/data/loans.csv');
const dir = mkdtempSync(join(tmpdir(), 'mlops-cli-ui-'));
const registry = join(dir, 'registry');
const monitoring = join(dir, 'monitoring');
const tokenFile = join(dir, 'token');
const TOKEN = 'a-token-of-the-team-0123456789';
const mlops = (...args: string[]) => runCli(registry, ...args);
let ui: { url: string; stop: () => Promise<number | null> };

beforeAll(async () => {
  for (const trees of ['20', '30']) {
    const args = ['--target', 'interest_rate', '--exclude', 'id,defaulted', '--name', 'loans', '--trees', trees];
    const trained = await mlops('train', '--data', loans, ...args);
    expect(trained.status, trained.stderr).toBe(0);
  }
  // What production monitoring wrote: 30 labelled predictions of v1, and two drift checks.
  mkdirSync(monitoring);
  const predictions = new PredictionLog({ path: join(monitoring, 'predictions.ndjson') });
  const logged = await predictions.append(
    Array.from({ length: 30 }, (_, i) => ({
      model: 'loans',
      version: 1,
      inputs: { age: 30 + i },
      prediction: 10,
      time: new Date(Date.UTC(2026, 10, 1, 0, i)),
    })),
  );
  await predictions.labelMany(logged.map((r, i) => ({ id: r.id, label: i < 20 ? 11 : 14 })));
  const drift = new DriftLog({ path: join(monitoring, 'drift.ndjson') });
  const reference = Array.from({ length: 40 }, (_, i) => [i]);
  const current = Array.from({ length: 40 }, (_, i) => [i + 30]);
  await drift.append({
    model: 'loans',
    version: 1,
    report: detectDrift(reference, current, { featureNames: ['age'] }),
  });
  writeFileSync(tokenFile, `${TOKEN}\n`);
  ui = await serverProcess(registry, [
    'ui',
    '--monitoring',
    monitoring,
    '--window',
    '20',
    '--port',
    '0',
    '--token-file',
    tokenFile,
  ]);
}, 120_000);

afterAll(async () => {
  await ui?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('mlops ui', () => {
  it('shows the models, a version trained from the real table and its training dataset', async () => {
    const models = await (await fetch(`${ui.url}/`)).text();
    expect(models).toContain('<a href="/models/loans">loans</a>');
    expect(models).toContain('drift ('); // the drift log's latest verdict
    const version = await (await fetch(`${ui.url}/models/loans/versions/2`)).text();
    expect(version).toContain('home_ownership');
    expect(version).toContain('RENT');
    const dataset = await (await fetch(`${ui.url}/datasets/loans-training`)).text();
    expect(dataset).toMatch(/home_ownership<\/th><td>category<\/td><td>\d levels:/);
  });

  it('shows windows of the prediction log scored as a regressor, and the drift log', async () => {
    const html = await (await fetch(`${ui.url}/models/loans/monitoring`)).text();
    expect(html).toContain('<th scope="col">mae</th>');
    expect(html).toContain('<td class="number">1</td>'); // the first 20 predictions are 1 off
    expect(html).toContain('<td class="number">4</td>'); // the last 10 are 4 off
    expect(html).toContain('dataset drift');
  });

  it('promotes with the token from the file, and refuses without it', async () => {
    const form = (fields: Record<string, string>) => ({
      method: 'POST',
      redirect: 'manual' as const,
      headers: { origin: ui.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ confirm: 'yes', ...fields }).toString(),
    });
    expect((await fetch(`${ui.url}/models/loans/versions/2/promote`, form({ reason: 'x' }))).status).toBe(401);
    const done = await fetch(`${ui.url}/models/loans/versions/2/promote`, form({ reason: 'retrained', token: TOKEN }));
    expect(done.status).toBe(303);
    const store = await openRegistry(registry);
    try {
      expect((await store.aliasHistory('loans', 'production')).at(-1)).toMatchObject({
        version: 2,
        reason: 'retrained',
      });
    } finally {
      await store.close();
    }
  });

  it('refuses a bad port, window or token file with one line on stderr', async () => {
    const badPort = await mlops('ui', '--port', '99999');
    expect(badPort.status).toBe(1);
    expect(badPort.stderr).toContain('--port must be a whole number from 0 to 65535');
    const badWindow = await mlops('ui', '--window', '0');
    expect(badWindow.stderr).toContain('--window must be a whole number');
    writeFileSync(join(dir, 'short'), 'abc\n');
    const shortToken = await mlops('ui', '--token-file', join(dir, 'short'));
    expect(shortToken.stderr).toContain('at least 16 characters');
    const noTokenFile = await mlops('ui', '--token-file', join(dir, 'missing'));
    expect(noTokenFile.stderr).toContain(`--token-file ${join(dir, 'missing')} cannot be read (ENOENT)`);
    const typo = await mlops('ui', '--registry', join(dir, 'regsitry'));
    expect(typo.stderr).toContain(`--registry ${join(dir, 'regsitry')} is not a directory`);
    const noLogs = await mlops('ui', '--monitoring', join(dir, 'nothing'));
    expect(noLogs.stderr).toContain(`--monitoring ${join(dir, 'nothing')} is not a directory`);
  });
});
