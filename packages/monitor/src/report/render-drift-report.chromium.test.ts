// Opens a rendered report in a real headless Chromium (Debian's `chromium`; `.ci/run` installs it).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { InputColumn } from '@mlops/core';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { detectDrift } from '../drift/detect-drift';
import { drifted } from './__fixtures__/drifted';
import { renderDriftReport } from './render-drift-report';

const executablePath = process.env.MLOPS_CHROMIUM ?? '/usr/bin/chromium';
const artifacts = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-artifacts');

function needChromium(context: { skip: () => void }): void {
  if (!existsSync(executablePath)) {
    if (process.env.CI === 'true')
      throw new Error(`no Chromium at ${executablePath}: CI must render the report (bash scripts/chromium.sh)`);
    context.skip(); // locally without Chromium: `bash scripts/chromium.sh` installs it
  }
}

describe('drift report in Chromium', () => {
  it('renders the table and every chart with no console errors and no network requests', async (context) => {
    needChromium(context);
    const names = Array.from({ length: 12 }, (_, j) => (j === 3 ? 'petal <width> & "length"' : `feature_${j}`));
    const reference = drifted(21, 600, 12, 0, 0);
    const current = drifted(22, 500, 12, 4, 0.25);
    const report = detectDrift(reference, current, { featureNames: names });
    const dir = await mkdtemp(join(tmpdir(), 'mlops-report-'));
    const file = join(dir, 'report.html');
    await writeFile(file, renderDriftReport(report, { reference, current, title: 'Drift report test' }));
    const browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

      expect(await page.title()).toBe('Drift report test');
      expect(await page.locator('tbody tr').count()).toBe(12);
      expect(await page.locator('tbody tr.drifted').count()).toBe(report.driftedCount);
      expect(await page.locator('tbody tr').first().getAttribute('class')).toBe('drifted');
      expect(await page.locator('td.name', { hasText: 'petal <width> & "length"' }).count()).toBe(1);
      const charts = page.locator('svg.histogram');
      expect(await charts.count()).toBe(12);
      for (let i = 0; i < 12; i++) {
        const box = await charts.nth(i).boundingBox();
        expect(box && box.width > 100 && box.height > 50).toBe(true);
      }
      const drawnBars = await page
        .locator('svg.histogram rect')
        .evaluateAll((rects) => rects.filter((r) => r.getBoundingClientRect().height > 0).length);
      expect(drawnBars).toBeGreaterThan(12 * 20);
      expect(problems).toEqual([]);
      expect(requests).toEqual([pathToFileURL(file).href]);
      await mkdir(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, 'drift-report.png'), fullPage: true });
    } finally {
      await browser.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('draws category levels by name and the model-quality tables', async (context) => {
    needChromium(context);
    const columns: InputColumn[] = [
      { name: 'x', type: 'number', nullable: false, missingCount: 0 },
      { name: 'color', type: 'category', levels: ['red', 'green', 'blue <b>'], nullable: false, missingCount: 0 },
    ];
    const rows = (codes: number[]) => codes.map((code, i) => [i / codes.length, code]);
    const reference = rows(Array.from({ length: 60 }, (_, i) => i % 3));
    const current = rows(Array.from({ length: 60 }, (_, i) => (i % 4) % 3));
    const report = detectDrift(reference, current, { featureNames: ['x', 'color'], columns });
    const html = renderDriftReport(report, {
      reference,
      current,
      title: 'Typed drift report',
      quality: {
        task: 'classification',
        classNames: ['no', 'yes'],
        windows: [{ model: 'm', version: 1, rows: 4, accuracy: 0.75, f1: 0.7333, from: 'a', to: 'b' }],
        confusion: [
          [2, 1],
          [0, 1],
        ],
      },
    });
    const dir = await mkdtemp(join(tmpdir(), 'mlops-report-'));
    const file = join(dir, 'report.html');
    await writeFile(file, html);
    const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
      page.on('pageerror', (error) => problems.push(error.message));
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      expect(await page.locator('svg.levels text').allTextContents()).toEqual(['red', 'green', 'blue <b>']);
      const widths = await page
        .locator('svg.levels rect')
        .evaluateAll((rects) => rects.map((r) => Math.round(r.getBoundingClientRect().width)));
      expect(widths).toHaveLength(6);
      widths.forEach((w) => {
        expect(w).toBeGreaterThan(0);
      });
      expect(await page.locator('table.confusion tbody th').allTextContents()).toEqual(['no', 'yes']);
      expect(await page.locator('table.windows tbody td').allTextContents()).toEqual([
        'm',
        '1',
        'a',
        'b',
        '4',
        '0.75',
        '0.7333',
      ]);
      expect(problems).toEqual([]);
      await mkdir(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, 'drift-report-typed.png'), fullPage: true });
    } finally {
      await browser.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
