// `mlops registry migrate` as real processes on a real PostgreSQL and S3 API (s3rver): a registry directory copied into
// PostgreSQL + S3, and a PostgreSQL registry's bytea moved into S3, each killed (SIGKILL) after its first item and
// resumed; the copy serves the same predictions.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MigrationReport } from '@mlops/registry';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliExit, cliProcess } from '../__fixtures__/cli-process';
import { startS3Process } from '../__fixtures__/s3-process';

const url = process.env.MLOPS_PG_URL;

describe.skipIf(!url)('mlops registry migrate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-migrate-cli-'));
  const schemas: string[] = [];
  let stopS3 = () => {};
  let env: NodeJS.ProcessEnv;
  const lines = readFileSync(join(import.meta.dirname, '../../../../examples/data/loans.csv'), 'utf8')
    .trim()
    .split('\n');
  const trainFile = join(dir, 'train.csv');
  writeFileSync(trainFile, `${lines.slice(0, 301).join('\n')}\n`);
  const requests = join(import.meta.dirname, '../../../../examples/data/loans-requests.csv');
  const train = ['train', '--data', trainFile, '--target', 'defaulted', '--exclude', 'id', '--trees', '10', '--json'];

  const mlops = (registry: string, args: string[], extra: NodeJS.ProcessEnv = {}) =>
    cliProcess(registry, args, { ...env, ...extra });
  const ok = (exit: CliExit) => {
    expect(exit, exit.stderr).toMatchObject({ status: 0, signal: null });
    return exit.stdout;
  };
  const newSchema = () => {
    const schema = `migrate_cli_${randomBytes(4).toString('hex')}`;
    schemas.push(schema);
    return schema;
  };
  const predictions = async (registry: string, extra: NodeJS.ProcessEnv = {}) =>
    JSON.parse(
      ok(await mlops(registry, ['predict', '--model', 'loans@production', '--input', requests, '--json'], extra)),
    ).predictions as unknown[];

  beforeAll(async () => {
    const server = await startS3Process(join(dir, 's3'), 'team');
    stopS3 = server.stop;
    env = server.env;
  });
  afterAll(async () => {
    stopS3();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies a registry directory into PostgreSQL + S3; killed after its first item, the rerun finishes it', async () => {
    const registry = join(dir, 'registry');
    ok(await mlops(registry, [...train, '--name', 'loans']));
    ok(await mlops(registry, [...train, '--name', 'loans', '--seed', '7']));
    ok(await mlops(registry, ['registry', 'promote', 'loans', '2', '--reason', 'seed 7']));
    const expected = await predictions(registry);

    const pgEnv = { MLOPS_PG_SCHEMA: newSchema() };
    const migrate = ['registry', 'migrate', '--to', url!, '--artifacts', 's3://team/copied', '--json'];
    const killed = await mlops(registry, migrate, { ...pgEnv, MLOPS_REGISTRY_FAILPOINT: 'migrate:item' });
    expect(killed.signal).toBe('SIGKILL');
    // The rerun takes the target's storage from MLOPS_ARTIFACTS, as a team's environment would set it.
    const rerun = ['registry', 'migrate', '--to', url!, '--json'];
    const report = JSON.parse(
      ok(await mlops(registry, rerun, { ...pgEnv, MLOPS_ARTIFACTS: 's3://team/copied' })),
    ) as MigrationReport;
    expect(report.present.versions + report.present.datasetVersions).toBe(1); // what the killed run committed
    expect(report.copied.versions + report.present.versions).toBe(2);
    expect(report.copied.models).toBe(1);
    expect(report.verify).toMatchObject({ ok: true, checkedVersions: 2, orphanedObjects: [] });

    const target = { ...pgEnv, MLOPS_ARTIFACTS: 's3://team/copied' };
    expect(await predictions(url!, target)).toEqual(expected);
    const history = JSON.parse(ok(await mlops(url!, ['registry', 'show', 'loans', '--json'], target)));
    expect(JSON.stringify(history)).toContain('seed 7');
  }, 120_000);

  it('moves a PostgreSQL registry’s artifacts into S3; killed after its first row, the rerun finishes it', async () => {
    const pgEnv = { MLOPS_PG_SCHEMA: newSchema() };
    ok(await mlops(url!, [...train, '--name', 'loans'], pgEnv));
    ok(await mlops(url!, ['registry', 'promote', 'loans', '1'], pgEnv));
    const expected = await predictions(url!, pgEnv);

    const move = ['registry', 'migrate', '--artifacts', 's3://team/moved', '--json'];
    const killed = await mlops(url!, move, { ...pgEnv, MLOPS_REGISTRY_FAILPOINT: 'migrate:item' });
    expect(killed.signal).toBe('SIGKILL');
    const report = JSON.parse(ok(await mlops(url!, move, pgEnv))) as MigrationReport;
    expect(report.copied.versions + report.copied.datasetVersions).toBeGreaterThan(0);
    expect(report.problems).toEqual([]);
    expect(report.verify).toMatchObject({ ok: true, orphanedObjects: [] });

    // Readers need the storage now, and say so; with it they predict as before.
    const without = await mlops(url!, ['predict', '--model', 'loans@production', '--input', requests], pgEnv);
    expect(without.status).not.toBe(0);
    expect(without.stderr).toContain('s3://team/moved');
    expect(await predictions(url!, { ...pgEnv, MLOPS_ARTIFACTS: 's3://team/moved' })).toEqual(expected);
    // A writer without it is refused before it trains, not after.
    const refused = await mlops(url!, [...train, '--name', 'loans'], pgEnv);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('keeps its artifacts in s3://team/moved/');
    expect(`${refused.stdout}${refused.stderr}`).not.toContain('trees');
    const ingest = await mlops(url!, ['ingest', '--model', 'loans', '--data', trainFile], pgEnv);
    expect(ingest.status).not.toBe(0);
    expect(ingest.stderr).toContain('keeps its artifacts in s3://team/moved/');
    // So is a verify: one line, not a problem per version.
    const unverified = await mlops(url!, ['registry', 'verify'], pgEnv);
    expect(unverified.status).not.toBe(0);
    expect(unverified.stderr).toBe(
      "mlops: cannot verify: this registry keeps its artifacts in s3://team/moved/: open it with that artifact storage (artifacts: 's3://team/moved/', --artifacts or MLOPS_ARTIFACTS)\n",
    );
  }, 120_000);

  it('names what is wrong before touching anything', async () => {
    const registry = join(dir, 'empty');
    const noTarget = await mlops(registry, ['registry', 'migrate']);
    expect(noTarget.status).not.toBe(0);
    expect(noTarget.stderr).toContain('pass --to postgres://');
    const badTarget = await mlops(registry, ['registry', 'migrate', '--to', join(dir, 'elsewhere')]);
    expect(badTarget.stderr).toContain('--to must be a postgres:// URL');
    const missing = await mlops(join(dir, 'typo'), ['registry', 'migrate', '--to', url!]);
    expect(missing.stderr).toContain('is not a registry directory');
    const noStorage = await mlops(url!, ['registry', 'migrate']);
    expect(noStorage.stderr).toContain('pass --artifacts s3://bucket/prefix');
    // A mistyped schema is named, not created as a new, empty registry.
    const typo = await mlops(url!, ['registry', 'list'], { MLOPS_PG_SCHEMA: 'no_such_registry' });
    expect([typo.status, typo.stdout]).toEqual([1, '']);
    expect(typo.stderr).toMatch(
      /^mlops: no registry in schema "no_such_registry" of postgres:\/\/[^@\s]+ \(its first write/,
    );
  });
});
