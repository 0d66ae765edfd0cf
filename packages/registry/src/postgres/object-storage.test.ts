// PostgreSQL + S3 (s3rver): where the bytes go, what a load checks, crashes around the upload, orphans.
import { execFile, spawn } from 'node:child_process';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { IntegrityError, InvalidInputError, type ModelArtifact, StorageError } from '@mlops/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, useS3Environment } from '../objects/__fixtures__/s3-server';
import { S3ObjectStore } from '../objects/s3-object-store';
import { PostgresModelStore } from './postgres-store';

const url = process.env.MLOPS_PG_URL;
const run = promisify(execFile);
const here = import.meta.dirname;
const ARTIFACTS = 's3://mlops-test/team';
const ARTIFACT: ModelArtifact = {
  format: 'test-linear',
  formatVersion: 1,
  featureNames: ['x'],
  params: {},
  payload: { weights: [0.25] },
};

describe.skipIf(!url)('PostgreSQL registry with S3 artifact storage', () => {
  let server: Awaited<ReturnType<typeof startS3Server>>;
  let admin: pg.Pool;
  let raw: S3Client;
  const opened: PostgresModelStore[] = [];
  const schemas: string[] = [];

  beforeAll(async () => {
    server = await startS3Server();
    useS3Environment(server.endpoint);
    admin = new pg.Pool({ connectionString: url, max: 2 });
    raw = new S3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true });
  });
  afterAll(async () => {
    await Promise.all(opened.map((store) => store.close()));
    for (const schema of schemas) await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
    await admin.end();
    raw.destroy();
    await server.close();
  });

  async function open(options: { schema?: string; s3?: boolean; prefix?: string } = {}) {
    const schema = options.schema ?? `objects_${randomBytes(4).toString('hex')}`;
    if (!schemas.includes(schema)) schemas.push(schema);
    const objects = new S3ObjectStore({ url: options.prefix ?? ARTIFACTS });
    const store = new PostgresModelStore({
      connectionString: url!,
      schema,
      ...(options.s3 === false ? {} : { artifacts: objects }),
    });
    await store.migrate();
    opened.push(store);
    return { store, schema, objects };
  }

  const row = async (schema: string, name: string, version: number) =>
    (
      await admin.query<{ artifact: Buffer | null; artifact_key: string | null; sha256: string }>(
        `SELECT artifact, artifact_key, sha256 FROM "${schema}".versions WHERE name = $1 AND version = $2`,
        [name, version],
      )
    ).rows[0];

  it('stores artifacts and snapshots as objects named by their sha256, and the row holds only the key', async () => {
    const { store, schema, objects } = await open({ prefix: 's3://mlops-test/stored' });
    const version = await store.register('churn', { artifact: ARTIFACT });
    const stored = await row(schema, 'churn', 1);
    expect(stored).toEqual({
      artifact: null,
      artifact_key: `stored/sha256/${version.artifact.sha256}`,
      sha256: version.artifact.sha256,
    });
    expect((await objects.digest(stored!.artifact_key!))?.sha256).toBe(version.artifact.sha256);
    expect((await store.loadArtifact('churn', 1)).artifact).toEqual(ARTIFACT);

    const data = { featureNames: ['x'], features: [[1], [2]], target: [0, 1] };
    const snapshot = await store.datasets.register('train', { dataset: data });
    const { rows } = await admin.query(`SELECT data, data_key FROM "${schema}".dataset_versions WHERE name = 'train'`);
    expect(rows[0]).toEqual({ data: null, data_key: `stored/sha256/${snapshot.data.sha256}` });
    expect((await store.datasets.load('train', 1)).dataset.features).toEqual([[1], [2]]);
  });

  it('reads rows stored before (bytea) next to objects, and names the missing storage option', async () => {
    const { store: plain, schema } = await open({ s3: false });
    await plain.register('churn', { artifact: ARTIFACT });
    const { store } = await open({ schema });
    await store.register('churn', { artifact: { ...ARTIFACT, payload: { weights: [0.5] } } });
    expect((await store.loadArtifact('churn', 1)).artifact).toEqual(ARTIFACT);
    expect((await store.loadArtifact('churn', 2)).artifact.payload).toEqual({ weights: [0.5] });
    const refused = plain.loadArtifact('churn', 2);
    await expect(refused).rejects.toThrow(InvalidInputError);
    await expect(refused).rejects.toThrow(
      /model "churn" version 2 is in object storage: open the registry with its artifact storage/,
    );
    expect((await store.verify()).ok).toBe(true);
    // Verified without its storage: one refusal, not a problem per version.
    await expect(plain.verify()).rejects.toThrow(
      "cannot verify: this registry keeps its artifacts in s3://mlops-test/team/: open it with that artifact storage (artifacts: 's3://mlops-test/team/', --artifacts or MLOPS_ARTIFACTS)",
    );
  });

  it("keeps every writer on the registry's artifact storage", async () => {
    const { store, schema } = await open({ prefix: 's3://mlops-test/kept' });
    await store.register('churn', { artifact: ARTIFACT });
    const { store: plain } = await open({ schema, s3: false });
    await expect(plain.register('churn', { artifact: ARTIFACT })).rejects.toThrow(
      `cannot register model "churn": this registry keeps its artifacts in s3://mlops-test/kept/: open it with that artifact storage`,
    );
    const { store: elsewhere } = await open({ schema, prefix: 's3://mlops-test/elsewhere' });
    await expect(
      elsewhere.datasets.register('train', { dataset: { featureNames: ['x'], features: [[1]], target: [0] } }),
    ).rejects.toThrow(
      'cannot register dataset "train": this registry keeps its artifacts in s3://mlops-test/kept/, not s3://mlops-test/elsewhere/',
    );
    // Reads too: the row's key holds the prefix, but the bucket and endpoint would be the wrong storage's.
    await expect(elsewhere.loadArtifact('churn', 1)).rejects.toThrow(
      'the artifact of model "churn" version 1: this registry keeps its artifacts in s3://mlops-test/kept/, not s3://mlops-test/elsewhere/: open it with that artifact storage',
    );
    expect((await store.listVersions('churn')).map((v) => v.version)).toEqual([1]);
  });

  it('names the model, the storage and a likely fix when object storage fails', async () => {
    const { store, schema } = await open({ prefix: 's3://mlops-test/down' });
    await store.register('churn', { artifact: ARTIFACT });
    const down = new PostgresModelStore({
      connectionString: url!,
      schema,
      artifacts: new S3ObjectStore({ url: 's3://mlops-test/down', endpoint: 'http://127.0.0.1:9' }),
    });
    opened.push(down);
    const failed = down.loadArtifact('churn', 1);
    await expect(failed).rejects.toThrow(StorageError);
    await expect(failed).rejects.toThrow(
      /^the artifact of model "churn" version 1: reading down\/sha256\/[0-9a-f]{64} in s3:\/\/mlops-test\/down\/ failed: .*ECONNREFUSED.* \(is http:\/\/127\.0\.0\.1:9 reachable\?/,
    );
    const report = await down.verify();
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.problem)).toEqual([
      expect.stringContaining('failed'),
      expect.stringMatching(
        /^orphaned objects not checked: listing objects in s3:\/\/mlops-test\/down\/ failed: .*ECONNREFUSED/,
      ),
    ]);
    const { store: noBucket } = await open({ prefix: 's3://no-such-bucket/x' });
    await expect(noBucket.register('churn', { artifact: ARTIFACT })).rejects.toThrow(
      /^cannot register model "churn": listing objects in s3:\/\/no-such-bucket\/x\/ failed: .*\(create the bucket first\)$/,
    );
  });

  it('an endpoint that answers but is no S3 API is a StorageError saying so, before any training would start', async () => {
    // One server answers every request with an empty 404 (a proxy's catch-all), one with an HTML page.
    const servers = await Promise.all(
      [
        (response: ServerResponse) => response.writeHead(404).end(),
        (response: ServerResponse) =>
          response.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><meta></head></html>'),
      ].map(async (answer) => {
        const server = createServer((_, response) => answer(response));
        await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
        return server;
      }),
    );
    try {
      for (const server of servers) {
        const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const schema = `objects_${randomBytes(4).toString('hex')}`;
        schemas.push(schema);
        const store = new PostgresModelStore({
          connectionString: url!,
          schema,
          artifacts: new S3ObjectStore({ url: 's3://models/notes3', endpoint }),
        });
        opened.push(store);
        await store.migrate();
        const early = await store.checkArtifactStorage().catch((e: unknown) => e);
        expect(StorageError.isInstance(early)).toBe(true);
        expect((early as Error).message).toContain(`(is ${endpoint} an S3 API? AWS_ENDPOINT_URL must point at S3`);
        const late = await store.register('churn', { artifact: ARTIFACT }).catch((e: unknown) => e);
        expect(StorageError.isInstance(late)).toBe(true);
        expect((late as Error).message).toMatch(
          /^cannot register model "churn": listing objects in s3:\/\/models\/notes3\/ failed: .* an S3 API\?/,
        );
        expect((late as Error).message).not.toMatch(/failed: UnknownError/);
        expect(await store.listVersions('churn')).toEqual([]);
      }
    } finally {
      for (const server of servers) server.close();
    }
  });

  it('gives IntegrityError for a missing or altered object, on load and in verify()', async () => {
    const { store, schema } = await open({ prefix: 's3://mlops-test/damaged' });
    await store.register('churn', { artifact: ARTIFACT });
    await store.register('churn', { artifact: { ...ARTIFACT, payload: { weights: [0.75] } } });
    const [one, two] = [(await row(schema, 'churn', 1))!, (await row(schema, 'churn', 2))!];
    await raw.send(new DeleteObjectCommand({ Bucket: 'mlops-test', Key: one.artifact_key! }));
    await raw.send(new PutObjectCommand({ Bucket: 'mlops-test', Key: two.artifact_key!, Body: '{"format":"evil"}' }));
    await expect(store.loadArtifact('churn', 1)).rejects.toThrow(IntegrityError);
    await expect(store.loadArtifact('churn', 1)).rejects.toThrow(`is missing from s3://mlops-test/damaged/`);
    await expect(store.loadArtifact('churn', 2)).rejects.toThrow(/failed its checksum/);
    // Dataset snapshots in objects: checked by streaming too.
    const snapshot = await store.datasets.register('train', {
      dataset: { featureNames: ['x'], features: [[1]], target: [0] },
    });
    await store.datasets.register('train', { dataset: { featureNames: ['x'], features: [[2]], target: [1] } });
    await raw.send(new DeleteObjectCommand({ Bucket: 'mlops-test', Key: `damaged/sha256/${snapshot.data.sha256}` }));
    const report = await store.verify();
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => [p.kind, p.version, /missing|checksum/.exec(p.problem)?.[0]])).toEqual([
      [undefined, 1, 'missing'],
      [undefined, 2, 'checksum'],
      ['dataset', 1, 'missing'],
    ]);
    expect(report.checkedDatasetVersions).toBe(2);
  });

  it('a crash between upload and commit leaves no version and an orphan that verify() lists and repair deletes', async () => {
    const { store, schema } = await open({ prefix: 's3://mlops-test/crash' });
    await store.register('churn', { artifact: ARTIFACT });
    const worker = join(here, '..', 'filesystem', '__fixtures__', 'register-worker.ts');
    const crashed = await run(
      process.execPath,
      ['--import', 'tsx', worker, `pg:${url}#${schema}#s3://mlops-test/crash`, 'register', 'churn', '1', 'w'],
      { cwd: join(here, '..', '..'), env: { ...process.env, MLOPS_REGISTRY_FAILPOINT: 'objects:uploaded' } },
    ).catch((error: { signal?: string }) => error);
    expect(crashed).toMatchObject({ signal: 'SIGKILL' });
    expect((await store.listVersions('churn')).map((v) => v.version)).toEqual([1]);

    const kept = await store.verify({ repair: true }); // younger than the default grace period of an hour
    expect(kept).toMatchObject({ ok: true, repairs: [] });
    expect(kept.orphanedObjects).toHaveLength(1);
    const swept = await store.verify({ repair: true, orphanGraceMs: 0 });
    expect(swept.repairs).toEqual([
      `deleted the orphaned object ${kept.orphanedObjects![0]!.key} (no row references it)`,
    ]);
    expect((await store.verify()).orphanedObjects).toEqual([]);
    expect((await store.register('churn', { artifact: ARTIFACT })).version).toBe(2); // no gap
    expect((await store.loadArtifact('churn', 2)).artifact).toEqual(ARTIFACT);
  });

  it('whenever a process dies during an upload, the registry stays consistent', async () => {
    const { store, schema } = await open({ prefix: 's3://mlops-test/killed' });
    const worker = join(here, '__fixtures__', 'upload-worker.ts');
    for (const delayMs of [0, 150, 400]) {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', worker, url!, schema, 's3://mlops-test/killed', 'big', '8'],
        {
          cwd: join(here, '..', '..'),
        },
      );
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await Promise.race([new Promise((resolve) => child.stdout.once('data', resolve)), exited]);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      child.kill('SIGKILL'); // nothing when it finished already
      await exited;
    }
    const versions = await store.listVersions('big');
    for (const version of versions)
      expect((await store.loadArtifact('big', version.version)).artifact.format).toBe('upload-test');
    const report = await store.verify({ repair: true, orphanGraceMs: 0 });
    expect(report.ok).toBe(true);
    expect((await store.verify()).orphanedObjects).toEqual([]);
    expect((await store.register('big', { artifact: ARTIFACT })).version).toBe(versions.length + 1);
  }, 60_000);

  it('a streamed load checks the whole object: damage that breaks the JSON is an IntegrityError, extra bytes too', async () => {
    const { store, schema } = await open({ prefix: 's3://mlops-test/streamed-load' });
    const big = { ...ARTIFACT, payload: { trees: Array.from({ length: 20 }, (_, i) => `${i}`.repeat(100_000)) } };
    await store.register('big', { artifact: big });
    const { artifact: recorded } = await store.register('big', { artifact: { ...big, params: { v: 2 } } });
    const [one, two] = [(await row(schema, 'big', 1))!, (await row(schema, 'big', 2))!];
    const text = JSON.stringify(big);
    const broken = `${text.slice(0, 1000)}"${text.slice(1001)}`; // a quote inside the first tree: invalid JSON
    await raw.send(new PutObjectCommand({ Bucket: 'mlops-test', Key: one.artifact_key!, Body: broken }));
    const longer = `${JSON.stringify({ ...big, params: { v: 2 } })}${' '.repeat(100_000)}`;
    await raw.send(new PutObjectCommand({ Bucket: 'mlops-test', Key: two.artifact_key!, Body: longer }));
    const [first, second] = await Promise.all([1, 2].map((v) => store.loadArtifact('big', v).catch((e: unknown) => e)));
    expect(IntegrityError.isInstance(first)).toBe(true);
    expect((first as Error).message).toMatch(/^artifact of model "big" version 1 failed its checksum/);
    expect(IntegrityError.isInstance(second)).toBe(true);
    expect((second as Error).message).toBe(
      `artifact of model "big" version 2 is longer than its recorded ${recorded.bytes} bytes`,
    );
    // Dataset snapshots are streamed the same way.
    const snapshot = await store.datasets.register('rows', {
      dataset: { featureNames: ['x'], features: [[1], [2]], target: [0, 1] },
    });
    const key = `streamed-load/sha256/${snapshot.data.sha256}`;
    const stored = await raw.send(new GetObjectCommand({ Bucket: 'mlops-test', Key: key }));
    const padded = `${await stored.Body!.transformToString()}  `;
    await raw.send(new PutObjectCommand({ Bucket: 'mlops-test', Key: key, Body: padded }));
    await expect(store.datasets.load('rows', 1)).rejects.toThrow(
      `data of dataset "rows" version 1 is longer than its recorded ${snapshot.data.bytes} bytes`,
    );
  });

  it('streams a large artifact to S3 in chunks, and refuses one that changes while it is registered', async () => {
    const { store, objects } = await open({ prefix: 's3://mlops-test/streamed' });
    const big = { ...ARTIFACT, payload: { trees: Array.from({ length: 40 }, (_, i) => `${i}`.repeat(100_000)) } };
    const version = await store.register('big', { artifact: big });
    expect(version.artifact.bytes).toBe(Buffer.byteLength(JSON.stringify(big)));
    expect((await store.loadArtifact('big', 1)).artifact).toEqual(big);

    // A getter that answers differently each time: the bytes uploaded would not be the bytes hashed.
    let reads = 0;
    const payload = {};
    Object.defineProperty(payload, 'weights', { enumerable: true, get: () => [reads++] });
    const failure = await store.register('moving', { artifact: { ...ARTIFACT, payload } }).catch((e: unknown) => e);
    expect(InvalidInputError.isInstance(failure)).toBe(true);
    expect((failure as Error).message).toContain('the artifact changed while it was being registered');
    expect(await store.listVersions('moving')).toEqual([]);
    const keys: string[] = [];
    for await (const object of objects.list()) keys.push(object.key);
    expect(keys).toEqual([`streamed/sha256/${version.artifact.sha256}`]); // nothing stored under a wrong key
  });

  it("verify never sweeps storage the registry did not record: another registry's objects stay", async () => {
    const { store: other } = await open({ prefix: 's3://mlops-test/other' });
    await other.register('churn', { artifact: ARTIFACT });
    const { store: mine, schema } = await open({ prefix: 's3://mlops-test/mine' });
    await mine.register('churn', { artifact: { ...ARTIFACT, payload: { weights: [2] } } });
    // This registry opened with the other's prefix by mistake, and a new one on that prefix: nothing is deleted.
    const { store: mistaken } = await open({ schema, prefix: 's3://mlops-test/other' });
    const report = await mistaken.verify({ repair: true, orphanGraceMs: 0 });
    expect(report.ok).toBe(false);
    expect(report.problems.at(-1)?.problem).toContain(
      'keeps its artifacts in s3://mlops-test/mine/, not s3://mlops-test/other/',
    );
    const { store: fresh } = await open({ prefix: 's3://mlops-test/other' });
    const freshReport = await fresh.verify({ repair: true, orphanGraceMs: 0 });
    expect(freshReport).toMatchObject({ ok: false, repairs: [] });
    expect(freshReport.problems[0]?.problem).toContain('holds the artifacts of another registry');
    expect((await other.loadArtifact('churn', 1)).artifact).toEqual(ARTIFACT);
    expect((await other.verify()).ok).toBe(true);
  });

  it('one prefix, one registry: a marker names the first, the second is refused, and no verify sweeps the other’s', async () => {
    const { store: first, schema: firstSchema } = await open({ prefix: 's3://mlops-test/shared' });
    await first.register('churn', { artifact: ARTIFACT });
    const marker = await raw.send(new GetObjectCommand({ Bucket: 'mlops-test', Key: 'shared/registry.json' }));
    const claimed = JSON.parse(await marker.Body!.transformToString()) as Record<string, string>;
    expect(claimed).toMatchObject({
      format: 'mlops-artifact-storage',
      description: `schema "${firstSchema}" of database "mlops"`,
    });
    const refusal = `s3://mlops-test/shared/ holds the artifacts of another registry (schema "${firstSchema}" of database "mlops", id ${claimed.registry}): give each registry its own s3://bucket/prefix`;

    const { store: second, schema: secondSchema } = await open({ prefix: 's3://mlops-test/shared' });
    const refused = await second
      .register('churn', { artifact: { ...ARTIFACT, payload: { weights: [9] } } })
      .catch((e: unknown) => e);
    expect(InvalidInputError.isInstance(refused)).toBe(true);
    expect((refused as Error).message).toBe(`cannot register model "churn": ${refusal}`);
    expect(await second.listVersions('churn')).toEqual([]);
    await expect(second.checkArtifactStorage()).rejects.toThrow(`cannot write to this registry: ${refusal}`);
    const unrecorded = await second.verify({ repair: true, orphanGraceMs: 0 });
    expect([unrecorded.ok, unrecorded.repairs]).toEqual([false, []]);
    expect(unrecorded.problems).toEqual([
      { kind: 'storage', name: 's3://mlops-test/shared/', problem: `orphaned objects not checked: ${refusal}` },
    ]);

    // Shared before markers existed: the second claimed the unmarked prefix and wrote there. The first's repair then
    // deletes nothing, and its next registration is refused.
    await raw.send(new DeleteObjectCommand({ Bucket: 'mlops-test', Key: 'shared/registry.json' }));
    await second.register('churn', { artifact: { ...ARTIFACT, payload: { weights: [9] } } });
    const report = await first.verify({ repair: true, orphanGraceMs: 0 });
    expect(report.repairs).toEqual([]);
    expect(report.problems.at(-1)?.problem).toContain('holds the artifacts of another registry (schema');
    expect(report.problems.at(-1)?.problem).toContain(`schema "${secondSchema}"`);
    expect((await second.loadArtifact('churn', 1)).artifact.payload).toEqual({ weights: [9] });
    // (A process checks the marker once: the first registry's next process.)
    const { store: firstAgain } = await open({ schema: firstSchema, prefix: 's3://mlops-test/shared' });
    await expect(firstAgain.register('churn', { artifact: ARTIFACT })).rejects.toThrow(
      'holds the artifacts of another registry',
    );

    // An unreadable marker is named, and nothing is written.
    await raw.send(new PutObjectCommand({ Bucket: 'mlops-test', Key: 'garbled/registry.json', Body: '{"format":' }));
    const { store: third } = await open({ prefix: 's3://mlops-test/garbled' });
    await expect(third.register('churn', { artifact: ARTIFACT })).rejects.toThrow(
      'cannot register model "churn": s3://mlops-test/garbled/ has an unreadable registry marker (garbled/registry.json): delete it only if no registry keeps its artifacts there',
    );
  });

  it('a deleted version leaves its object to the sweep, unless another version shares it', async () => {
    const { store } = await open({ prefix: 's3://mlops-test/deleted' });
    await store.register('churn', { artifact: ARTIFACT });
    await store.register('churn', { artifact: ARTIFACT }); // same bytes, same object
    await store.register('churn', { artifact: { ...ARTIFACT, payload: { weights: [1] } } });
    await store.deleteVersion('churn', 1);
    expect((await store.verify()).orphanedObjects).toEqual([]);
    await store.deleteVersion('churn', 3);
    const report = await store.verify({ repair: true, orphanGraceMs: 0 });
    expect(report.repairs).toHaveLength(1);
    expect((await store.loadArtifact('churn', 2)).artifact).toEqual(ARTIFACT);
  });
});
