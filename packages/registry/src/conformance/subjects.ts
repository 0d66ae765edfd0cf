// The two backends as conformance subjects: a fresh registry, ways to damage its stored bytes, and child processes
// that open the same registry (tsx runs the worker from src/, no build needed).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { RegistryConformanceSubject } from '@mlops/core/testing';
import pg from 'pg';
import { FileSystemModelStore } from '../filesystem/file-system-store';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parseS3Url } from '../objects/object-store';
import { S3ObjectStore } from '../objects/s3-object-store';
import { PostgresModelStore } from '../postgres/postgres-store';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const worker = join(here, '..', 'filesystem', '__fixtures__', 'register-worker.ts');

/** Child processes that open the store named by `spec` (`fs:<root>` or `pg:<url>#<schema>`). */
function processes(spec: string): NonNullable<RegistryConformanceSubject['processes']> {
  const children = (count: number, args: (id: number) => string[]) =>
    Promise.all(
      Array.from({ length: count }, (_, id) =>
        run(process.execPath, ['--import', 'tsx', worker, spec, ...args(id)], { cwd: join(here, '..', '..') }).then(
          (out) => out.stdout,
        ),
      ),
    );
  return {
    register: async (name, count, perProcess) =>
      (await children(count, (id) => ['register', name, String(perProcess), `w${id}`])).map(
        (out) => JSON.parse(out) as number[],
      ),
    claim: (name, alias, version, count) => children(count, () => ['claim', name, alias, String(version)]),
  };
}

/** A fresh filesystem registry in a temporary directory. */
export async function filesystemSubject(): Promise<RegistryConformanceSubject> {
  const root = await mkdtemp(join(tmpdir(), 'mlops-conformance-'));
  const file = (name: string, version: number) =>
    join(root, 'models', name, 'versions', String(version), 'artifact.json');
  const dataFile = (name: string, version: number) =>
    join(root, 'datasets', name, 'versions', String(version), 'data.json');
  const flip = async (path: string, offset: number) => {
    const bytes = await readFile(path);
    bytes[offset]! ^= 0xff;
    await writeFile(path, bytes);
  };
  return {
    store: new FileSystemModelStore({ root }),
    tamper: {
      artifactLength: async (name, version) => (await readFile(file(name, version))).length,
      flipArtifactByte: (name, version, offset) => flip(file(name, version), offset),
      flipDatasetByte: (name, version, offset) => flip(dataFile(name, version), offset),
      storedSnapshots: async (name) => {
        const versions = await readdir(join(root, 'datasets', name, 'versions'));
        const files = await Promise.all(versions.map((v) => readdir(join(root, 'datasets', name, 'versions', v))));
        return files.filter((names) => names.includes('data.json')).length;
      },
    },
    processes: processes(`fs:${root}`),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

/**
 * A fresh PostgreSQL registry in its own schema; with `artifacts` (an `s3://` URL whose endpoint and credentials are
 * in the AWS environment variables, which child processes inherit), artifacts and snapshots go to object storage under
 * `<artifacts>/<schema>`.
 */
export async function postgresSubject(url: string, artifacts?: string): Promise<RegistryConformanceSubject> {
  const schema = `conformance_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  // One prefix per registry: each subject under its own.
  const prefix = artifacts === undefined ? undefined : `${artifacts.replace(/\/$/, '')}/${schema}`;
  const objects = prefix === undefined ? undefined : new S3ObjectStore({ url: prefix });
  const store = new PostgresModelStore({ connectionString: url, schema, ...(objects ? { artifacts: objects } : {}) });
  await store.migrate();
  if (objects) return objectSubject(store, objects, url, schema, admin, prefix!);
  const flip = (table: string, column: string) =>
    `UPDATE "${schema}".${table} SET ${column} = overlay(${column} placing set_byte(substring(${column} from $3 + 1 for 1), 0, get_byte(${column}, $3) # 255) from $3 + 1 for 1) WHERE name = $1 AND version = $2`;
  const count = async (sql: string, params: unknown[]) =>
    Number((await admin.query<{ n: string }>(sql, params)).rows[0]!.n);
  return {
    store,
    tamper: {
      artifactLength: (name, version) =>
        count(`SELECT length(artifact) AS n FROM "${schema}".versions WHERE name = $1 AND version = $2`, [
          name,
          version,
        ]),
      flipArtifactByte: async (name, version, offset) => {
        await admin.query(flip('versions', 'artifact'), [name, version, offset]);
      },
      flipDatasetByte: async (name, version, offset) => {
        await admin.query(flip('dataset_versions', 'data'), [name, version, offset]);
      },
      storedSnapshots: (name) =>
        count(`SELECT count(*) AS n FROM "${schema}".dataset_versions WHERE name = $1`, [name]),
    },
    processes: processes(`pg:${url}#${schema}`),
    cleanup: async () => {
      await store.close();
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.end();
    },
  };
}

/** The PostgreSQL + object storage subject: tampering rewrites the objects the rows reference. */
function objectSubject(
  store: PostgresModelStore,
  objects: S3ObjectStore,
  url: string,
  schema: string,
  admin: pg.Pool,
  artifacts: string,
): RegistryConformanceSubject {
  const keyOf = async (table: string, column: string, name: string, version: number) =>
    (
      await admin.query<{ key: string }>(
        `SELECT ${column} AS key FROM "${schema}".${table} WHERE name = $1 AND version = $2`,
        [name, version],
      )
    ).rows[0]!.key;
  const raw = new S3Client({ endpoint: process.env.AWS_ENDPOINT_URL!, region: 'us-east-1', forcePathStyle: true });
  const flip = async (key: string, offset: number) => {
    const bytes = (await objects.get(key))!;
    bytes[offset]! ^= 0xff;
    await raw.send(new PutObjectCommand({ Bucket: parseS3Url(artifacts).bucket, Key: key, Body: bytes }));
  };
  return {
    store,
    tamper: {
      artifactLength: async (name, version) =>
        (await objects.get(await keyOf('versions', 'artifact_key', name, version)))!.length,
      flipArtifactByte: async (name, version, offset) =>
        flip(await keyOf('versions', 'artifact_key', name, version), offset),
      flipDatasetByte: async (name, version, offset) =>
        flip(await keyOf('dataset_versions', 'data_key', name, version), offset),
      storedSnapshots: async (name) =>
        Number(
          (
            await admin.query<{ n: string }>(
              `SELECT count(DISTINCT data_key) AS n FROM "${schema}".dataset_versions WHERE name = $1`,
              [name],
            )
          ).rows[0]!.n,
        ),
    },
    processes: processes(`pg:${url}#${schema}#${artifacts}`),
    cleanup: async () => {
      await store.close();
      objects.close();
      raw.destroy();
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.end();
    },
  };
}
