// `mlops ui` over the registry this example fills, in a real headless Chromium (Debian's `chromium`; `.ci/run`
// installs it): every page shows its real content, draws its charts, asks nothing of any other host, and axe-core
// finds no serious or critical accessibility violation. Screenshots go to test-artifacts/.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { directoryMonitoring } from '@mlops/cli';
import type { Registry } from '@mlops/core';
import { openRegistry } from '@mlops/registry';
import { serveUi, type UiServer } from '@mlops/ui';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIrisLifecycle } from './lifecycle';

const executablePath = process.env.MLOPS_CHROMIUM ?? '/usr/bin/chromium';
const artifacts = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-artifacts');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TOKEN = 'iris-team-token-0123456789';
const hasChromium = existsSync(executablePath);
if (!hasChromium && process.env.CI === 'true')
  throw new Error(`no Chromium at ${executablePath}: CI must run the UI test (bash scripts/chromium.sh)`);

let dir: string;
let registry: Registry;
let ui: UiServer;
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) return;
  dir = mkdtempSync(join(tmpdir(), 'mlops-ui-iris-'));
  await runIrisLifecycle({ registryRoot: dir, log: () => {} });
  registry = await openRegistry(dir);
  ui = await serveUi({
    registry,
    token: TOKEN,
    port: 0,
    monitoring: directoryMonitoring(join(dir, 'monitoring'), registry, 40),
  });
  browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  mkdirSync(artifacts, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await ui?.close();
  await registry?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Opens `path`, collecting console errors and every request; checks both and axe-core; saves a screenshot. */
async function visit(path: string, shot: string, check: (page: Page) => Promise<void>): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  try {
    const response = await page.goto(`${ui.url}${path}`, { waitUntil: 'load' });
    expect(response?.status(), path).toBe(200);
    await check(page);
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const result = await (
        globalThis as unknown as {
          axe: { run: () => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> };
        }
      ).axe.run();
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    });
    expect(
      violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
      path,
    ).toEqual([]);
    expect(problems, path).toEqual([]);
    expect(
      requests.filter((url) => !url.startsWith(`${ui.url}/`)),
      path,
    ).toEqual([]);
    await page.screenshot({ path: join(artifacts, `ui-${shot}.png`), fullPage: true });
  } finally {
    await page.close();
  }
}

/** Charts uPlot drew on the page (a canvas inside each chart element). */
const drawnCharts = (page: Page) => page.locator('[data-chart] canvas').count();

describe.skipIf(!hasChromium)('mlops ui over the iris example registry, in Chromium', () => {
  it('models page: iris with production v2, its headline metric and the drift verdict', async () => {
    await visit('/', 'models', async (page) => {
      const row = page.locator('tbody tr', { hasText: 'iris' });
      await expect(row.locator('td').first().textContent()).resolves.toBe('v2');
      expect(await row.textContent()).toMatch(/holdoutAccuracy 0\.\d{4}/);
      expect(await row.textContent()).toContain('drift (');
      // v1 was scored on the test split (accuracy), v2 by the lifecycle on the holdout: no trend of one metric yet.
      expect(await row.locator('td').last().textContent()).toBe('—');
    });
  });

  it('model page: versions, aliases, alias history, lifecycle decisions and the metric chart', async () => {
    await visit('/models/iris', 'model', async (page) => {
      expect(await page.locator('#versions').textContent()).toBe('Versions (2)');
      expect(await page.locator('section[aria-labelledby="alias-history"] li').count()).toBe(2);
      expect(await page.locator('section[aria-labelledby="decisions"]').textContent()).toContain('promoted');
      expect(await drawnCharts(page)).toBe(1);
    });
  });

  it('version pages: schema, params, metrics, artifact and lineage; and the compare view', async () => {
    await visit('/models/iris/versions/2', 'version', async (page) => {
      const text = (await page.locator('main').textContent()) ?? '';
      expect(text).toContain('petal length (cm)');
      expect(text).toContain((await registry.getVersion('iris', 2)).artifact.sha256);
      expect(text).toContain('Replaced in production: v1');
    });
    await visit('/models/iris/compare?a=1&b=2', 'compare', async (page) => {
      expect(await page.locator('tr.changed').count()).toBeGreaterThan(0);
    });
  });

  it('datasets: the list, a version with per-column summaries, and the diff of two versions', async () => {
    const names = await registry.datasets.list();
    await visit('/datasets', 'datasets', async (page) => {
      expect(await page.locator('tbody tr').count()).toBe(names.length);
    });
    await visit('/datasets/iris-training', 'dataset', async (page) => {
      expect(await page.locator('section[aria-labelledby="columns"] tbody tr').count()).toBe(5);
    });
    const many = names.find((n) => n !== 'iris-training');
    expect(many).toBeDefined();
    const versions = await registry.datasets.listVersions(many!);
    const b = versions.length > 1 ? 2 : 1;
    await visit(`/datasets/${many}/compare?a=1&b=${b}`, 'dataset-diff', async (page) => {
      expect(await page.locator('main').textContent()).toContain('added');
    });
  });

  it('monitoring: scores per window from the prediction log and drift per feature from the drift log', async () => {
    await visit('/models/iris/monitoring', 'monitoring', async (page) => {
      expect(await page.locator('section[aria-labelledby="performance"] table:not(.u-legend) tbody tr').count()).toBe(
        3,
      ); // 120 rows / 40
      expect(await page.locator('td.drifted').count()).toBeGreaterThan(0);
      expect(await drawnCharts(page)).toBe(2);
    });
  });

  it('a promotion through the form lands in the alias history with its reason', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${ui.url}/models/iris/versions/1`);
      const form = page.locator('form', { hasText: 'Promote' }).first();
      await form.getByLabel('Reason').fill('checking the browser form');
      await form.getByLabel('Token').fill(TOKEN);
      await form.getByLabel('I confirm').check();
      await form.getByRole('button').click();
      await page.waitForURL(/\/models\/iris\?done=/);
      expect(await page.locator('section[aria-labelledby="alias-history"] li').first().textContent()).toContain(
        'checking the browser form',
      );
      expect(await registry.getAlias('iris', 'production')).toBe(1);
    } finally {
      await page.close();
    }
  });

  it('works from the keyboard alone: skip link, visible focus, a promotion typed and submitted with keys', async () => {
    const page = await browser.newPage();
    // Runs in the page (a string, as it uses the browser's DOM): what has the keyboard focus.
    const focused = () =>
      page.evaluate(`(() => {
        const element = document.activeElement;
        return {
          tag: element?.tagName.toLowerCase(),
          name: element?.getAttribute('name') ?? element?.textContent?.trim().slice(0, 40),
          form: element?.closest('form')?.getAttribute('action') ?? null,
          outline: element ? getComputedStyle(element).outlineStyle : 'none',
        };
      })()`) as Promise<{ tag?: string; name?: string; form: string | null; outline: string }>;
    try {
      await page.goto(`${ui.url}/models/iris/versions/2`);
      await page.keyboard.press('Tab');
      expect(await focused()).toMatchObject({ tag: 'a', name: expect.stringMatching(/skip/i) });
      expect((await focused()).outline).not.toBe('none');
      const promote = '/models/iris/versions/2/promote';
      for (let presses = 0; presses < 60; presses++) {
        await page.keyboard.press('Tab');
        const now = await focused();
        if (now.form === promote && now.name === 'alias') break;
      }
      expect(await focused()).toMatchObject({ tag: 'input', name: 'alias', form: promote });
      expect((await focused()).outline).not.toBe('none');
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type('staging');
      await page.keyboard.press('Tab');
      await page.keyboard.type('promoted from the keyboard');
      await page.keyboard.press('Tab');
      await page.keyboard.type(TOKEN);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Space'); // the confirmation box
      await page.keyboard.press('Tab');
      expect(await focused()).toMatchObject({ tag: 'button', form: promote });
      await page.keyboard.press('Enter');
      await page.waitForURL(/done=promoted/);
      expect(await page.locator('main').textContent()).toContain('staging now points at v2.');
      expect(await registry.getAlias('iris', 'staging')).toBe(2);
    } finally {
      await page.close();
    }
  });
});
