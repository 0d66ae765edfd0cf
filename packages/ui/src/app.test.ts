import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError, type Registry } from '@mlops/core';
import { blobs, centroidTrainer } from '@mlops/core/testing';
import { openRegistry } from '@mlops/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUi } from './app';
import type { UiMonitoring } from './monitoring';
import { serveUi, type UiServer } from './serve';

const TOKEN = 's3cret-token-for-tests';

const feature = (name: string, statistic: number, drifted: boolean) => ({
  feature: name,
  test: 'ks',
  statistic,
  pValue: drifted ? 1e-6 : 0.4,
  threshold: 0.05,
  drifted,
});
const driftReport = (drifted: boolean) => ({
  features: [feature('x', drifted ? 0.61 : 0.08, drifted)],
  driftedCount: drifted ? 1 : 0,
  driftedShare: drifted ? 1 : 0,
  datasetDrift: drifted,
  referenceRows: 60,
  currentRows: 40,
});
/** What a monitoring source reports for churn: two windows and two drift checks. */
const monitoring: UiMonitoring = {
  windows: async (model) =>
    model !== 'churn'
      ? []
      : [
          {
            version: 2,
            from: '2026-11-29T08:00:00.000Z',
            to: '2026-11-29T09:00:00.000Z',
            rows: 100,
            metrics: { accuracy: 0.91, f1: 0.9 },
          },
          {
            version: 2,
            from: '2026-11-30T08:00:00.000Z',
            to: '2026-11-30T09:00:00.000Z',
            rows: 100,
            metrics: { accuracy: 0.62, f1: 0.6 },
          },
        ],
  drift: async (model) =>
    model !== 'churn'
      ? []
      : [
          { time: '2026-11-29T09:00:00.000Z', version: 2, report: driftReport(false) },
          { time: '2026-11-30T09:00:00.000Z', version: 2, report: driftReport(true) },
        ],
};
let dir: string;
let registry: Registry;
let ui: UiServer;
let readOnly: UiServer;

/** A filesystem registry with a model of three versions (v2 in production after v1), aliases and a decision. */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mlops-ui-'));
  registry = await openRegistry(dir);
  const data = blobs(0, 1, 30);
  const model = await centroidTrainer.fit(data);
  for (const [accuracy, tag] of [
    [0.81, 'first'],
    [0.9, 'second'],
    [0.86, 'third'],
  ] as const)
    await registry.register('churn', {
      artifact: model.toArtifact(),
      metrics: { accuracy, f1: accuracy - 0.02 },
      tags: { run: tag },
      params: { shrink: accuracy > 0.85 },
    });
  await registry.setAlias('churn', 'production', 1, { reason: 'first deploy' });
  await registry.setAlias('churn', 'production', 2, { reason: 'better accuracy' });
  await registry.decisions.append({
    runId: 'run-1',
    phase: 'done',
    at: '2026-11-30T10:00:00.000Z',
    model: 'churn',
    trigger: 'drift',
    triggers: ['drift', 'accuracy'],
    action: 'promoted',
    reason: 'challenger v2 beat champion v1 on the holdout',
    championVersion: 1,
    challengerVersion: 2,
    metrics: { championAccuracy: 0.81, challengerAccuracy: 0.9 },
  });
  const loans = {
    features: [
      [0, 1200],
      [1, 800],
      [0, 1500],
    ],
    target: [0.1, 0.4, 0.2],
    featureNames: ['region', 'amount'],
    featureTypes: ['integer', 'number'] as const,
    levels: [['north', 'south'], null],
  };
  await registry.datasets.register('loans', { dataset: loans });
  await registry.datasets.register('loans', {
    dataset: { ...loans, features: [...loans.features.slice(1), [1, 900]], target: [0.4, 0.2, 0.3] },
    tags: { source: 'march' },
  });
  ui = await serveUi({ registry, token: TOKEN, port: 0, monitoring });
  readOnly = await serveUi({ registry, port: 0 });
});

afterAll(async () => {
  await ui.close();
  await readOnly.close();
  await registry.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (path: string, server = ui) => fetch(`${server.url}${path}`);
/** A form POST as the page sends it: same origin, urlencoded fields. */
const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}, server = ui) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ confirm: 'yes', ...fields }).toString(),
  });

describe('mlops ui pages', () => {
  it('lists every model with its production version, headline metric and drift verdict', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).toContain('<a href="/models/churn">churn</a>');
    expect(html).toContain('<a href="/models/churn/versions/2">v2</a>');
    expect(html).toContain('accuracy 0.9000');
    expect(html).toContain('drift (2026-11-30 09:00 UTC)'); // the latest drift check
    expect(html).toContain('data-chart="sparkline"');
  });

  it('shows a model: versions, aliases, alias history with reasons, decisions and the metric chart', async () => {
    const html = await (await get('/models/churn')).text();
    expect(html).toContain('Versions (3)');
    expect(html.indexOf('>v3<')).toBeLessThan(html.indexOf('>v1<')); // newest first
    expect(html).toContain('better accuracy');
    expect(html).toContain('set to <a href="/models/churn/versions/2">v2</a> from v1');
    expect(html).toContain('challenger v2 beat champion v1 on the holdout');
    expect(html).toContain('triggered by drift, accuracy');
    expect(html).toContain('&quot;x&quot;:[1,2,3],&quot;y&quot;:[0.81,0.9,0.86]');
  });

  it('pages through versions', async () => {
    const small = await serveUi({ registry, port: 0, pageSize: 2 });
    try {
      const first = await (await get('/models/churn', small)).text();
      expect(first).toContain('Page 1 of 2');
      expect(first).toContain('href="/models/churn?page=2"');
      const second = await (await get('/models/churn?page=2', small)).text();
      expect(second).toContain('>v1<');
      expect(second).not.toContain('>v3<');
      const beyond = await get('/models/churn?page=3', small);
      expect(beyond.status).toBe(404);
      expect(await beyond.text()).toContain('has 2 page(s) of versions, not 3');
      for (const page of ['abc', '0', '-1', '1e400'])
        expect((await get(`/models/churn?page=${page}`, small)).status).toBe(400);
    } finally {
      await small.close();
    }
  });

  it('shows a version: schema, params, metrics, artifact and lineage', async () => {
    const html = await (await get('/models/churn/versions/2')).text();
    const version = await registry.getVersion('churn', 2);
    expect(html).toContain(version.artifact.sha256);
    expect(html).toContain('Replaced in production: <a href="/models/churn/versions/1">v1</a>');
    for (const feature of version.signature.featureNames) expect(html).toContain(`<th scope="row">${feature}</th>`);
    expect(html).toContain('<span class="badge">production</span>');
  });

  it('compares two versions, marking what differs', async () => {
    const html = await (await get('/models/churn/compare?a=1&b=2')).text();
    expect(html).toMatch(/<tr class="changed"><th scope="row">accuracy/);
    expect(html).toContain('0.8100');
    expect(html).toContain('0.9000');
  });

  it('answers 404 for an unknown model or version and 400 for a malformed version', async () => {
    expect((await get('/models/nope')).status).toBe(404);
    expect((await get('/models/churn/versions/99')).status).toBe(404);
    expect((await get('/models/churn/versions/1e3')).status).toBe(400);
    expect((await get('/models/churn/compare?a=1')).status).toBe(400);
    expect((await get('/no/such/page')).status).toBe(404);
  });

  it('lists datasets and shows a version: fingerprint, shape and per-column summaries', async () => {
    const list = await (await get('/datasets')).text();
    expect(list).toContain('<a href="/datasets/loans">loans</a>');
    const latest = await registry.datasets.getVersion('loans', 'latest');
    const html = await (await get('/datasets/loans')).text();
    expect(html).toContain(latest.fingerprint);
    expect(html).toContain('<th scope="row">region</th><td>category</td><td>2 levels: south 66.7%, north 33.3%</td>');
    expect(html).toContain('mean 1066.6667, std 309.1206, min 800, max 1500, 3 distinct');
    expect(html).toContain('source=march');
    const first = await (await get('/datasets/loans/versions/1')).text();
    expect(first).toContain('2 levels: north 66.7%, south 33.3%');
  });

  it('diffs two dataset versions: rows added and removed, changed columns marked', async () => {
    const html = await (await get('/datasets/loans/compare?a=1&b=2')).text();
    expect(html).toContain('3 → 3 (1 added, 1 removed)');
    expect(html).toMatch(/<tr class="changed"><th scope="row">region/);
    expect(html).toMatch(/<tr class="changed"><th scope="row">amount/);
    expect((await get('/datasets/nope')).status).toBe(404);
    expect((await get('/datasets/loans/versions/7')).status).toBe(404);
  });

  it('shows monitoring: scores per window, drift per feature over time and the latest check', async () => {
    const html = await (await get('/models/churn/monitoring')).text();
    expect(html).toContain('<td class="number">0.6200</td>');
    expect(html).toContain('&quot;y&quot;:[0.91,0.62]');
    expect(html).toContain('<td class="number drifted">0.6100<span class="badge bad">drift</span></td>');
    expect(html).toContain(
      '<span class="badge bad">dataset drift</span> 1 of 1 features drifted; 60 reference rows vs 40 current rows.',
    );
    expect(html).toContain('1.00e-6');
    const unconnected = await (await get('/models/churn/monitoring', readOnly)).text();
    expect(unconnected).toContain('No monitoring source is connected');
    expect((await get('/models/nope/monitoring')).status).toBe(404);
  });

  it('serves its own chart assets', async () => {
    const script = await get('/assets/uPlot.iife.min.js');
    expect(script.status).toBe(200);
    expect(await script.text()).toContain('uPlot');
    expect((await get('/assets/charts.js')).headers.get('content-type')).toContain('javascript');
    expect((await get('/assets/other.js')).status).toBe(404);
  });
});

describe('mlops ui writes', () => {
  it('refuses a promotion without the token and changes nothing', async () => {
    const response = await post('/models/churn/versions/3/promote', { alias: 'production', reason: 'try' });
    expect(response.status).toBe(401);
    expect(await registry.getAlias('churn', 'production')).toBe(2);
    const wrong = await post('/models/churn/versions/3/promote', { reason: 'try', token: 'guess' });
    expect(wrong.status).toBe(401);
    expect(await registry.getAlias('churn', 'production')).toBe(2);
  });

  it('refuses every write when no token is configured', async () => {
    const response = await post('/models/churn/versions/3/promote', { reason: 'try', token: TOKEN }, {}, readOnly);
    expect(response.status).toBe(403);
    expect(await registry.getAlias('churn', 'production')).toBe(2);
    expect(await (await get('/models/churn/versions/3', readOnly)).text()).toContain('This UI is read-only');
  });

  it('refuses a cross-origin write even with the token', async () => {
    const fromElsewhere = await post(
      '/models/churn/versions/3/promote',
      { reason: 'csrf', token: TOKEN },
      { origin: 'http://evil.example' },
    );
    expect(fromElsewhere.status).toBe(403);
    const crossSite = await post(
      '/models/churn/versions/3/promote',
      { reason: 'csrf', token: TOKEN },
      { 'sec-fetch-site': 'cross-site' },
    );
    expect(crossSite.status).toBe(403);
    expect(await registry.getAlias('churn', 'production')).toBe(2);
  });

  it('requires a reason and the confirmation', async () => {
    const response = await post('/models/churn/versions/3/promote', { reason: '  ', token: TOKEN });
    expect(response.status).toBe(400);
    for (const confirm of ['no', '']) {
      const unconfirmed = await post('/models/churn/versions/3/promote', { reason: 'x', token: TOKEN, confirm });
      expect(unconfirmed.status).toBe(400);
      expect(await unconfirmed.text()).toContain('send confirm=yes');
    }
    expect(await registry.getAlias('churn', 'production')).toBe(2);
  });

  it('promotes with the token (form field or bearer header); the reason lands in the alias history', async () => {
    const response = await post('/models/churn/versions/3/promote', {
      alias: 'production',
      reason: 'weekly refresh',
      token: TOKEN,
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/models/churn?done=promoted&version=3&alias=production');
    expect(await registry.getAlias('churn', 'production')).toBe(3);
    const history = await registry.aliasHistory('churn', 'production');
    expect(history.at(-1)).toMatchObject({ version: 3, previousVersion: 2, reason: 'weekly refresh' });
    const page = await (await get('/models/churn?done=promoted&version=3&alias=production')).text();
    expect(page).toContain('weekly refresh');
    expect(page).toContain('production now points at v3.');
    // A crafted link cannot make the page claim what the registry does not say.
    const crafted = await (await get('/models/churn?done=promoted&version=1&alias=production')).text();
    expect(crafted).not.toContain('now points at');
    const again = await post('/models/churn/versions/3/promote', { reason: 'again', token: TOKEN });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('production already points at v3');
    expect(await registry.aliasHistory('churn', 'production')).toHaveLength(history.length);

    const rollback = await post(
      '/models/churn/aliases/production/rollback',
      { reason: 'v3 misbehaves' },
      { authorization: `Bearer ${TOKEN}` },
    );
    expect(rollback.status).toBe(303);
    expect(await registry.getAlias('churn', 'production')).toBe(2);
    expect((await registry.aliasHistory('churn', 'production')).at(-1)).toMatchObject({
      kind: 'rollback',
      reason: 'v3 misbehaves',
    });
  });

  it('archives a version no alias points at, and says why an aliased one cannot be', async () => {
    expect((await post('/models/churn/versions/2/archive', { reason: 'old', token: TOKEN })).status).toBe(409);
    expect((await post('/models/churn/versions/3/archive', { reason: 'superseded', token: TOKEN })).status).toBe(303);
    expect((await registry.getVersion('churn', 3)).status).toBe('archived');
    const archived = await (await get('/models/churn/versions/3')).text();
    expect(archived).toContain('action="/models/churn/versions/3/restore"');
    expect((await post('/models/churn/versions/3/restore', { reason: 'needed', token: TOKEN })).status).toBe(303);
    expect((await registry.getVersion('churn', 3)).status).toBe('active');
  });

  it('refuses a body over 16 KiB', async () => {
    const response = await post('/models/churn/versions/2/promote', { reason: 'x'.repeat(20_000), token: TOKEN });
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('forms take at most 16384 bytes');
  });

  it('refuses a token shorter than 16 characters', () => {
    expect(() => createUi({ registry, token: 'short' })).toThrow(InvalidInputError);
  });

  it('never puts the token in a page', async () => {
    for (const path of ['/', '/models/churn', '/models/churn/versions/2'])
      expect(await (await get(path)).text()).not.toContain(TOKEN);
  });
});
