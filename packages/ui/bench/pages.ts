// UI page benchmark: server time of the pages on big registries (in-process requests, no network).
//   node --import tsx bench/pages.ts [VERSIONS] [MODELS]   filesystem; PostgreSQL too when MLOPS_PG_URL is set
// Targets (issue 17): a model page with 10,000 versions ≤ 300 ms, the models page with 100 models ≤ 100 ms.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelArtifact, Registry } from '@mlops/core';
import { openRegistry } from '@mlops/registry';
import { createUi } from '../src/index';

const versions = Number(process.argv[2] ?? 10_000);
const models = Number(process.argv[3] ?? 100);
const artifact: ModelArtifact = {
  format: 'bench',
  formatVersion: 1,
  featureNames: ['a', 'b'],
  params: { trees: 100 },
  payload: { weights: [0.5, -0.25] },
};

/** Median server time of `repeats` requests of `path` (after one warm-up), in ms. */
async function median(registry: Registry, path: string, repeats = 15): Promise<number> {
  const app = createUi({ registry });
  const times: number[] = [];
  for (let i = 0; i <= repeats; i++) {
    const start = performance.now();
    const response = await app.request(path);
    await response.text();
    if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
    if (i > 0) times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

/** One model with `versions` versions and an alias moved 20 times. */
async function fillBig(registry: Registry): Promise<void> {
  for (let i = 0; i < versions; i++)
    await registry.register('big', { artifact, metrics: { accuracy: 0.8 + (i % 100) / 1000 }, tags: { run: `r${i}` } });
  for (let v = 1; v <= versions; v += Math.ceil(versions / 20))
    await registry.setAlias('big', 'production', v, { reason: `deploy ${v}` });
}

/** `models` models of 3 versions each, each with production on v2. */
async function fillFleet(registry: Registry): Promise<void> {
  for (let m = 0; m < models; m++) {
    for (let i = 0; i < 3; i++)
      await registry.register(`model-${m}`, { artifact, metrics: { accuracy: 0.9 - i / 100 } });
    await registry.setAlias(`model-${m}`, 'production', 2, { reason: 'first deploy' });
  }
}

/** Server times of the pages of a backend; `open(part)` opens an empty registry for `big` or `fleet`. */
async function measure(label: string, open: (part: string) => Promise<Registry>): Promise<string[]> {
  const [big, fleet] = [await open('big'), await open('fleet')];
  const start = performance.now();
  await Promise.all([fillBig(big), fillFleet(fleet)]);
  const fillS = (performance.now() - start) / 1000;
  const row = [
    label,
    (await median(big, '/models/big')).toFixed(1),
    (await median(big, `/models/big?page=${Math.ceil(versions / 100)}`)).toFixed(1),
    (await median(big, `/models/big/versions/${Math.ceil(versions / 2)}`)).toFixed(1),
    (await median(fleet, '/')).toFixed(1),
    fillS.toFixed(0),
  ];
  await Promise.all([big.close(), fleet.close()]);
  return row;
}

const rows: string[][] = [];
const root = await mkdtemp(join(tmpdir(), 'mlops-ui-bench-'));
rows.push(await measure('filesystem', (part) => openRegistry(join(root, part))));
await rm(root, { recursive: true, force: true });
if (process.env.MLOPS_PG_URL) {
  const id = randomBytes(4).toString('hex');
  rows.push(
    await measure('postgresql', (part) => openRegistry(process.env.MLOPS_PG_URL!, { schema: `ui_${part}_${id}` })),
  );
}
const header = [
  'backend',
  `model page, ${versions.toLocaleString('en-US')} versions (ms)`,
  'its middle page (ms)',
  'a version (ms)',
  `models page, ${models} models (ms)`,
  'fill (s)',
];
console.log(`Median server time of 15 requests; targets: model page ≤ 300 ms, models page ≤ 100 ms\n`);
console.log([header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n'));
