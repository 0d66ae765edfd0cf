// A team deployment in miniature: one registry (PostgreSQL + S3, s3rver on 127.0.0.1), three `mlops serve` replicas
// and two lifecycle workers (`mlops ingest`). The replicas follow an alias move within their reload interval; the two
// workers given the same labelled batch at once retrain it once.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliProcess, serverProcess } from './__fixtures__/cli-process';
import { startS3Process } from './__fixtures__/s3-process';

const url = process.env.MLOPS_PG_URL;
const RELOAD_MS = 300;

describe.skipIf(!url)('three serve replicas and two lifecycle workers on one PostgreSQL + S3 registry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-replicas-'));
  const schema = `replicas_${randomBytes(4).toString('hex')}`;
  let stopS3 = () => {};
  let env: NodeJS.ProcessEnv;
  const mlops = (...args: string[]) => cliProcess(url!, args, env);

  const lines = readFileSync(join(import.meta.dirname, '../../../examples/data/loans.csv'), 'utf8')
    .trim()
    .split('\n');
  const write = (name: string, rows: readonly string[]) => {
    writeFileSync(join(dir, name), `${[lines[0], ...rows].join('\n')}\n`);
    return join(dir, name);
  };
  const trainFile = write('train.csv', lines.slice(1, 301));
  const batchFile = write('batch.csv', lines.slice(301, 401));
  const train = [
    'train',
    '--data',
    trainFile,
    '--target',
    'defaulted',
    '--exclude',
    'id,interest_rate',
    '--trees',
    '10',
  ];

  beforeAll(async () => {
    const server = await startS3Process(join(dir, 's3'), 'team');
    stopS3 = server.stop;
    env = { ...server.env, MLOPS_PG_SCHEMA: schema, MLOPS_ARTIFACTS: 's3://team/registry' };
    for (const name of ['loans', 'loans']) {
      const trained = await mlops(...train, '--name', name, '--json');
      expect(trained.status, trained.stderr).toBe(0);
    }
  }, 120_000);

  afterAll(async () => {
    stopS3();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every replica serves the new production version within its reload interval', async () => {
    const replicas = await Promise.all(
      [1, 2, 3].map(() =>
        serverProcess(
          url!,
          ['serve', '--model', 'loans@production', '--port', '0', '--reload-ms', String(RELOAD_MS)],
          env,
        ),
      ),
    );
    try {
      const served = async () =>
        Promise.all(
          replicas.map(
            async ({ url: at }) => ((await (await fetch(`${at}/health`)).json()) as { version: number }).version,
          ),
        );
      expect(await served()).toEqual([1, 1, 1]);
      const promoted = await mlops('registry', 'promote', 'loans', '2', '--json');
      expect(promoted.status, promoted.stderr).toBe(0);
      const movedAt = Date.now();
      const followedAfter: number[] = [];
      while (followedAfter.length < 3 && Date.now() - movedAt < 10_000) {
        const versions = await served();
        if (versions.every((v) => v === 2)) followedAfter.push(Date.now() - movedAt);
        else await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(await served()).toEqual([2, 2, 2]);
      // Each replica checks every RELOAD_MS; loading the artifact from S3 and a busy machine add a little.
      expect(followedAfter[0]).toBeLessThan(RELOAD_MS + 2_000);
      const predicted = await fetch(`${replicas[0]!.url}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          rows: [Object.fromEntries(lines[0]!.split(',').map((c, i) => [c, lines[400]!.split(',')[i]]))],
        }),
      });
      expect(predicted.status).toBe(200);
    } finally {
      await Promise.all(replicas.map((replica) => replica.stop()));
    }
  }, 60_000);

  it('two lifecycle workers given the same batch at once retrain it once', async () => {
    const ingest = ['ingest', '--model', 'loans', '--data', batchFile, '--threshold', '0.99', '--json'];
    const racing = await Promise.all([mlops(...ingest), mlops(...ingest)]);
    for (const exit of racing) expect(exit.status, exit.stderr).toBe(0);
    const decisions = racing.map((exit) => (JSON.parse(exit.stdout) as { decision: string }).decision).sort();
    expect(decisions.filter((d) => d === 'skipped')).toHaveLength(1);
    const listed = await mlops('registry', 'list', 'loans', '--json');
    const { versions } = JSON.parse(listed.stdout) as { versions: { version: number; tags: Record<string, string> }[] };
    expect(versions.filter((v) => v.tags.lifecycleRun !== undefined)).toHaveLength(1);
    const verified = await mlops('registry', 'verify', '--json');
    expect(verified.status, verified.stdout).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, orphanedObjects: [] });
  }, 120_000);
});
