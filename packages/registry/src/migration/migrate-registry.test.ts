// Migrations into PostgreSQL (+ S3 on s3rver): a filesystem registry copied whole, a copy cut short and resumed, a
// conflicting target, damaged source bytes, and bytea rows moved to object storage.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConflictError,
  InvalidInputError,
  ManualClock,
  type ModelArtifact,
  NotFoundError,
  StorageError,
  type Registry,
  type DatasetStore,
  type DecisionLog,
} from '@mlops/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSystemModelStore } from '../filesystem/file-system-store';
import { startS3Server, useS3Environment } from '../objects/__fixtures__/s3-server';
import { S3ObjectStore } from '../objects/s3-object-store';
import { PostgresModelStore } from '../postgres/postgres-store';
import { type MigrationProgress, migrateRegistry, moveArtifactsToObjectStorage } from './migrate-registry';

const url = process.env.MLOPS_PG_URL;

const artifact = (weights: number[]): ModelArtifact => ({
  format: 'test-linear',
  formatVersion: 1,
  featureNames: ['a', 'b'],
  classNames: ['no', 'yes'],
  params: {},
  payload: { weights },
});
const dataset = (shift: number) => ({
  features: [
    [1 + shift, -0],
    [2.5, 3],
    [4, 1],
  ],
  target: [0, 1, 1],
  featureNames: ['a', 'b'],
  classNames: ['no', 'yes'],
});

type FullRegistry = Registry & { datasets: DatasetStore; decisions: DecisionLog };

/** A registry with a bit of everything: datasets with lineage, archived and deleted versions, alias moves and rollbacks, decisions. */
async function fillSource(store: FileSystemModelStore): Promise<void> {
  const first = await store.datasets.register('churn-data', { dataset: dataset(0), tags: { source: 'crm' } });
  await store.datasets.register('churn-data', { dataset: dataset(1), description: 'with March' });
  await store.register('churn', { artifact: artifact([1, 2]), metrics: { accuracy: 0.81 }, dataset: first });
  await store.register('churn', { artifact: artifact([3, 4]), parentVersion: 1, tags: { team: 'growth' } });
  await store.register('churn', { artifact: artifact([5, 6]) });
  await store.register('churn', { artifact: artifact([7, 8]) });
  await store.register('churn', { artifact: artifact([9, 9]) });
  await store.setAlias('churn', 'production', 1, { expectedVersion: null, reason: 'first' });
  await store.setAlias('churn', 'production', 2, { reason: 'better' });
  await store.rollback('churn', 'production', { reason: 'regressed' });
  await store.setAlias('churn', 'staging', 4);
  await store.deleteVersion('churn', 3, { reason: 'leaked labels' });
  await store.archiveVersion('churn', 5, { reason: 'superseded' });
  await store.register('iris', { artifact: artifact([0.5, 0.25]) });
  await store.decisions.append({
    runId: 'r1',
    at: '2026-03-01T00:00:00.000Z',
    model: 'churn',
    trigger: 'accuracy',
    phase: 'started',
    championVersion: 1,
  });
  await store.decisions.append({
    runId: 'r1',
    at: '2026-03-01T00:00:01.000Z',
    model: 'churn',
    trigger: 'accuracy',
    phase: 'done',
    action: 'kept',
    reason: 'the challenger was not better',
  });
  await store.decisions.append({
    runId: 'r2',
    at: '2026-03-02T00:00:00.000Z',
    model: 'no-versions-yet',
    trigger: 'drift',
    phase: 'started',
  });
}

/** Everything a registry can read back, for comparing a source with its copy. */
async function readAll(store: FullRegistry) {
  const models = await store.listModels();
  const perModel = await Promise.all(
    models.map(async (name) => {
      const history = await store.aliasHistory(name);
      const aliases = [...new Set(history.map((move) => move.alias))];
      return {
        name,
        versions: await store.listVersions(name),
        artifacts: await Promise.all(
          (await store.listVersions(name)).map(async (v) => (await store.loadArtifact(name, v.version)).artifact),
        ),
        history,
        aliases: await Promise.all(aliases.map(async (alias) => [alias, await store.getAlias(name, alias)])),
        decisions: await store.decisions.list(name),
      };
    }),
  );
  const datasets = await Promise.all(
    (await store.datasets.list()).map(async (name) => ({
      name,
      versions: await store.datasets.listVersions(name),
      data: await store.datasets.load(name, 'latest'),
    })),
  );
  return {
    models,
    perModel,
    datasets,
    deleted: await store.getVersion('churn', 3).catch((error: Error) => error.message),
    decisionsOnly: await store.decisions.list('no-versions-yet'),
    search: (await store.searchVersions({ tags: { team: 'growth' } })).versions,
  };
}

describe.skipIf(!url)('migrating a registry into PostgreSQL', () => {
  let server: Awaited<ReturnType<typeof startS3Server>>;
  let admin: pg.Pool;
  let dir: string;
  let source: FileSystemModelStore;
  let expected: Awaited<ReturnType<typeof readAll>>;
  const opened: PostgresModelStore[] = [];
  const schemas: string[] = [];

  beforeAll(async () => {
    server = await startS3Server();
    useS3Environment(server.endpoint);
    admin = new pg.Pool({ connectionString: url, max: 2 });
    dir = await mkdtemp(join(tmpdir(), 'mlops-migrate-'));
    source = new FileSystemModelStore({
      root: join(dir, 'registry'),
      clock: new ManualClock(Date.parse('2026-01-05')),
    });
    await fillSource(source);
    expected = await readAll(source);
  });
  afterAll(async () => {
    await Promise.all(opened.map((store) => store.close()));
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function target(options: { schema?: string; s3?: string | false } = {}) {
    const schema = options.schema ?? `migrate_${randomBytes(4).toString('hex')}`;
    if (!schemas.includes(schema)) schemas.push(schema);
    const store = new PostgresModelStore({
      connectionString: url!,
      schema,
      ...(options.s3 === false
        ? {}
        : { artifacts: new S3ObjectStore({ url: options.s3 ?? `s3://mlops-test/${schema}` }) }),
    });
    await store.migrate();
    opened.push(store);
    return { store, schema };
  }

  it.each([
    ['PostgreSQL + S3', undefined],
    ['PostgreSQL alone', false as const],
  ])(
    'copies a filesystem registry into %s: numbers, records, bytes, aliases, history, deletions, decisions',
    async (_, s3) => {
      const { store, schema } = await target({ s3 });
      const seen: MigrationProgress[] = [];
      const report = await migrateRegistry(source, store, { onProgress: (p) => seen.push(p) });

      // 2 dataset versions, 5 + 1 model versions (one deleted), aliases and decisions of 2 models (iris has none).
      expect(report.copied).toEqual({ datasetVersions: 2, versions: 6, models: 2 });
      expect(report.present).toEqual({ datasetVersions: 0, versions: 0, models: 0 });
      expect(report.problems).toEqual([]);
      expect(report.verify.ok).toBe(true);
      expect(report.verify.orphanedObjects ?? []).toEqual([]);
      expect(seen.map((p) => p.done)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
      expect(seen.every((p) => p.total === 11)).toBe(true);
      expect(seen.at(-1)!.bytes).toBe(report.bytes);
      expect(report.bytes).toBeGreaterThan(0);

      expect(await readAll(store)).toEqual(expected);
      // Numbers go on where the source stopped, and the deleted one stays taken.
      expect((await store.register('churn', { artifact: artifact([1, 1]) })).version).toBe(6);
      await expect(store.getVersion('churn', 3)).rejects.toThrow(NotFoundError);

      const { rows } = await admin.query<{ inline: number; keyed: number }>(
        `SELECT count(artifact)::int AS inline, count(artifact_key)::int AS keyed FROM "${schema}".versions`,
      );
      expect(rows[0]).toEqual(s3 === false ? { inline: 6, keyed: 0 } : { inline: 0, keyed: 6 });
    },
  );

  it('a migration stopped part way resumes where it stopped, and a finished one finds everything there', async () => {
    const { store } = await target();
    const stop = new AbortController();
    const first = migrateRegistry(source, store, {
      signal: stop.signal,
      onProgress: ({ done }) => {
        if (done === 4) stop.abort(new Error('stopped by the test'));
      },
    });
    await expect(first).rejects.toThrow('stopped by the test');
    expect((await store.listVersions('churn')).length).toBe(2); // 2 datasets + churn 1, 2

    const resumed = await migrateRegistry(source, store);
    expect(resumed.present).toEqual({ datasetVersions: 2, versions: 2, models: 0 });
    expect(resumed.copied).toEqual({ datasetVersions: 0, versions: 4, models: 2 });
    expect(resumed.verify.ok).toBe(true);
    expect(await readAll(store)).toEqual(expected);

    const again = await migrateRegistry(source, store);
    expect(again.copied).toEqual({ datasetVersions: 0, versions: 0, models: 0 });
    expect(again.present).toEqual({ datasetVersions: 2, versions: 6, models: 2 });
    expect(again.bytes).toBe(0);
    expect(await readAll(store)).toEqual(expected);
  });

  it('refuses a target holding other versions under the same numbers, naming them, and changes nothing there', async () => {
    const { store } = await target();
    await store.register('churn', { artifact: artifact([42, 42]) });
    const before = await store.listVersions('churn');
    const failure = await migrateRegistry(source, store).catch((error: unknown) => error);
    expect(ConflictError.isInstance(failure)).toBe(true);
    expect((failure as Error).message).toContain('model "churn" version 1 is already there with other contents');
    expect(await store.listVersions('churn')).toEqual(before);
    expect((await store.loadArtifact('churn', 1)).artifact.payload).toEqual({ weights: [42, 42] });
  });

  it('stops at a missing bucket before writing or recording anything; the right bucket then works', async () => {
    const { store: wrong, schema } = await target({ s3: 's3://no-such-bucket/registry' });
    const failure = await migrateRegistry(source, wrong).catch((error: unknown) => error);
    expect(StorageError.isInstance(failure)).toBe(true);
    expect((failure as Error).message).toContain('create the bucket first');
    expect(await wrong.listModels()).toEqual([]);
    const { store } = await target({ schema });
    expect((await migrateRegistry(source, store)).verify.ok).toBe(true);
    expect(await readAll(store)).toEqual(expected);
  });

  it('copies everything else when source bytes are damaged, and names what it left', async () => {
    const root = join(dir, 'damaged');
    const damaged = new FileSystemModelStore({ root });
    await damaged.register('churn', { artifact: artifact([1, 2]) });
    await damaged.register('churn', { artifact: artifact([3, 4]) });
    const file = join(root, 'models', 'churn', 'versions', '1', 'artifact.json');
    const bytes = await readFile(file);
    bytes[bytes.indexOf('1')] = '7'.charCodeAt(0);
    await writeFile(file, bytes);

    const { store } = await target();
    const report = await migrateRegistry(damaged, store);
    expect(report.problems).toEqual([
      { name: 'churn', version: 1, problem: expect.stringMatching(/^not migrated: .*checksum/) },
    ]);
    expect(report.copied.versions).toBe(1);
    expect((await store.listVersions('churn')).map((v) => v.version)).toEqual([2]);
    expect(report.verify.ok).toBe(true);
  });

  it('moves a PostgreSQL registry’s bytea artifacts to S3, verified, resumably; writers without S3 are then refused', async () => {
    const { store: inline, schema } = await target({ s3: false });
    await migrateRegistry(source, inline);
    const before = await readAll(inline);
    await admin.query(`UPDATE "${schema}".versions SET artifact = 'damaged' WHERE name = 'iris'`);

    const { store } = await target({ schema, s3: `s3://mlops-test/moved-${schema}` });
    const seen: number[] = [];
    const report = await moveArtifactsToObjectStorage(store, { onProgress: (p) => seen.push(p.done) });
    expect(report.copied).toEqual({ datasetVersions: 2, versions: 4, models: 0 });
    expect(report.problems).toEqual([
      { name: 'iris', version: 1, problem: expect.stringMatching(/^not migrated: .*failed its checksum/) },
    ]);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const { rows } = await admin.query<{ name: string; inline: number; keyed: number }>(
      `SELECT name, count(artifact)::int AS inline, count(artifact_key)::int AS keyed FROM "${schema}".versions GROUP BY name ORDER BY name`,
    );
    expect(rows).toEqual([
      { name: 'churn', inline: 0, keyed: 4 },
      { name: 'iris', inline: 1, keyed: 0 },
    ]);
    expect(report.verify.problems.map((p) => p.name)).toEqual(['iris']); // still damaged, still named
    await admin.query(`DELETE FROM "${schema}".versions WHERE name = 'iris'`);
    await admin.query(`DELETE FROM "${schema}".aliases WHERE name = 'iris'`);
    const after = await readAll(store);
    expect(after.perModel.find((m) => m.name === 'churn')).toEqual(before.perModel.find((m) => m.name === 'churn'));
    expect(after.datasets).toEqual(before.datasets);

    const again = await moveArtifactsToObjectStorage(store);
    expect(again.copied).toEqual({ datasetVersions: 0, versions: 0, models: 0 });
    expect(again.present).toEqual({ datasetVersions: 2, versions: 4, models: 0 });
    expect(again.verify.ok).toBe(true);
    await expect(inline.register('churn', { artifact: artifact([1, 1]) })).rejects.toThrow(
      `keeps its artifacts in s3://mlops-test/moved-${schema}/`,
    );
    await expect(moveArtifactsToObjectStorage(inline)).rejects.toThrow(InvalidInputError);
  });
});
