// Registry benchmark: register N versions (default 10,000), then time the reads a serving app makes.
//   node --import tsx bench/registry.ts [N] [BACKENDS]   filesystem; PostgreSQL too when MLOPS_PG_URL is set;
//   BACKENDS narrows them (`postgresql` for the 100,000-version figures)
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelArtifact } from '@mlops/core';
import pg from 'pg';
import { FileSystemModelStore, PostgresModelStore } from '../src/index';
import { newestFirst } from '../src/search/search';

const versions = Number(process.argv[2] ?? 10_000);
const backends = (process.argv[3] ?? 'filesystem,postgresql').split(',');
const artifact: ModelArtifact = {
  format: 'bench',
  formatVersion: 1,
  featureNames: ['a', 'b'],
  params: {},
  payload: { weights: [0.5, -0.25] },
};
type Store = FileSystemModelStore | PostgresModelStore;

async function time(repeats: number, op: () => Promise<unknown>): Promise<number> {
  await op(); // warm
  const start = performance.now();
  for (let i = 0; i < repeats; i++) await op();
  return (performance.now() - start) / repeats;
}

/** One search by a store that has read nothing yet (a process just started). */
async function coldMs(fresh: () => Store): Promise<number> {
  const store = fresh();
  const start = performance.now();
  await store.searchVersions({ name: 'bench', limit: 50 });
  const ms = performance.now() - start;
  if (store instanceof PostgresModelStore) await store.close();
  return ms;
}

/** The baseline: what search did before the filesystem index (every record read, then sorted). */
async function newest50ByReadingEveryRecord(store: Store) {
  return (await store.listVersions('bench')).sort(newestFirst).slice(0, 50);
}

async function measure(label: string, store: Store, fresh: () => Store): Promise<string[]> {
  const start = performance.now();
  for (let i = 0; i < versions; i++)
    await store.register('bench', {
      artifact,
      metrics: { accuracy: (i % 100) / 100 },
      tags: { fold: String(i % 10) },
    });
  const registerMs = (performance.now() - start) / versions;
  await store.setAlias('bench', 'production', Math.floor(versions / 2));
  return [
    label,
    registerMs.toFixed(2),
    (await time(50, () => store.getVersion('bench', 'production'))).toFixed(2),
    (await time(50, () => store.getVersion('bench', 'latest'))).toFixed(2),
    (await time(50, () => store.loadArtifact('bench', 'production'))).toFixed(2),
    (await time(20, () => store.searchVersions({ name: 'bench', limit: 50 }))).toFixed(1),
    (await time(20, () => store.searchVersions({ tags: { fold: '7' }, limit: 50 }))).toFixed(1),
    (await coldMs(fresh)).toFixed(1),
    (await time(3, () => newest50ByReadingEveryRecord(store))).toFixed(1),
  ];
}

const rows: string[][] = [];
if (backends.includes('filesystem')) {
  const root = await mkdtemp(join(tmpdir(), 'mlops-registry-bench-'));
  rows.push(await measure('filesystem', new FileSystemModelStore({ root }), () => new FileSystemModelStore({ root })));
  await rm(root, { recursive: true, force: true });
}
if (process.env.MLOPS_PG_URL && backends.includes('postgresql')) {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const store = new PostgresModelStore({ connectionString: process.env.MLOPS_PG_URL, schema });
  await store.migrate();
  rows.push(
    await measure(
      'postgresql',
      store,
      () => new PostgresModelStore({ connectionString: process.env.MLOPS_PG_URL!, schema }),
    ),
  );
  await store.close();
  const admin = new pg.Pool({ connectionString: process.env.MLOPS_PG_URL, max: 1 });
  await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
  await admin.end();
}
const header = [
  'backend',
  'register ms',
  'resolve alias ms',
  'resolve latest ms',
  'load artifact ms',
  'list newest 50 ms',
  'search by tag ms',
  'newest 50, new store ms',
  'newest 50 reading every record ms',
];
console.log(
  `${versions.toLocaleString('en-US')} versions of one model; per-operation means (target: resolve ≤ 10 ms)\n`,
);
console.log([header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n'));
