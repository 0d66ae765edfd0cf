// A lifecycle run killed (SIGKILL) at each of its durable steps is finished exactly once by the next `mlops ingest`,
// and two `mlops ingest` processes racing on the same batch make one run: real processes, on both registry backends.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DecisionRecord, Registry } from '@mlops/core';
import { openRegistry } from '@mlops/registry';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliExit, cliProcess } from '../__fixtures__/cli-process';

const MODEL = 'loans';
const RUN_TAG = 'lifecycleRun';

// The shipped loans table: the first 300 applications train v1, the next 100 arrive as one labelled batch.
const lines = readFileSync(join(import.meta.dirname, '../../../../examples/data/loans.csv'), 'utf8')
  .trim()
  .split('\n');
const dir = mkdtempSync(join(tmpdir(), 'mlops-ingest-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, rows: readonly string[]) => {
  writeFileSync(join(dir, name), `${[lines[0], ...rows].join('\n')}\n`);
  return join(dir, name);
};
const trainFile = write('train.csv', lines.slice(1, 301));
const batchFile = write('batch.csv', lines.slice(301, 401));

const TRAIN = ['train', '--data', trainFile, '--target', 'defaulted', '--exclude', 'id,interest_rate'];
// v1 scores about 0.7 on the batch: under 0.99, so the batch starts a run (--threshold must be below 1).
const INGEST = ['ingest', '--model', MODEL, '--data', batchFile, '--threshold', '0.99', '--json'];

/** The crash points a run passes, in order, and what the registry holds when the process dies there. */
const CRASH_POINTS = [
  { point: 'decision:started', phases: ['started'], challenger: false, aliasMoved: false },
  { point: 'register:committed', phases: ['started'], challenger: true, aliasMoved: false },
  { point: 'decision:registered', phases: ['started', 'registered'], challenger: true, aliasMoved: false },
  { point: 'alias:placed', phases: ['started', 'registered'], challenger: true, aliasMoved: true },
  { point: 'decision:done', phases: ['started', 'registered', 'done'], challenger: true, aliasMoved: undefined },
] as const;

/** One registry with `loans` v1 in production, private to a test. */
interface Target {
  mlops(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<CliExit>;
  open(): Promise<Registry>;
  cleanup(): Promise<void>;
}

const decisionOf = (exit: CliExit): string => {
  expect(exit, exit.stderr).toMatchObject({ status: 0, signal: null });
  return (JSON.parse(exit.stdout) as { decision: string }).decision;
};

async function trainV1(mlops: Target['mlops']): Promise<void> {
  const trained = await mlops([...TRAIN, '--name', MODEL, '--trees', '10', '--json']);
  expect(trained.status, trained.stderr).toBe(0);
}

/** Opens the target's registry for `check`, closing it after. */
async function inspect<T>(target: Target, check: (store: Registry) => Promise<T>): Promise<T> {
  const store = await target.open();
  try {
    return await check(store);
  } finally {
    await store.close();
  }
}

const challengersOf = async (store: Registry, runId: string) =>
  (await store.listVersions(MODEL)).filter((v) => v.tags[RUN_TAG] === runId);

/**
 * The run `runId` happened exactly once and its outcome is consistent: records started → registered → done (one
 * each), one challenger registered (the only version besides v1), production on it if promoted, it archived if
 * rejected; every other record is the `done` of a skip, `skips` of them. Returns the run's decision.
 */
async function expectFinishedOnce(store: Registry, runId: string, skips: number): Promise<DecisionRecord> {
  const log = await store.decisions.list(MODEL);
  const run = log.filter((r) => r.runId === runId);
  expect(run.map((r) => r.phase)).toEqual(['started', 'registered', 'done']);
  const done = run[2]!;
  expect(['promoted', 'rejected']).toContain(done.action);
  const others = log.filter((r) => r.runId !== runId);
  expect(others.map((r) => [r.phase, r.action])).toEqual(Array.from({ length: skips }, () => ['done', 'skipped']));

  const challengers = await challengersOf(store, runId);
  expect(challengers.map((v) => v.version)).toEqual([done.challengerVersion]);
  expect((await store.listVersions(MODEL)).map((v) => v.version)).toEqual([1, done.challengerVersion]);
  const production = await store.getAlias(MODEL, 'production');
  expect(done.productionVersion).toBe(production);
  if (done.action === 'promoted') {
    expect(production).toBe(done.challengerVersion);
    expect(challengers[0]!.status).toBe('active');
  } else {
    expect(production).toBe(1);
    expect(challengers[0]!.status).toBe('archived');
  }
  expect((await store.verify()).problems).toEqual([]);
  return done;
}

function describeBackend(name: string, fresh: () => Promise<Target>): void {
  describe.concurrent(name, () => {
    it.each(CRASH_POINTS)(
      'killed at $point: the next ingest finishes the run once, a third skips',
      async ({ point, phases, challenger, aliasMoved }) => {
        const target = await fresh();
        try {
          const crashed = await target.mlops(INGEST, { MLOPS_REGISTRY_FAILPOINT: point });
          expect(crashed, `${point} was never reached: ${crashed.stdout}${crashed.stderr}`).toMatchObject({
            status: null,
            signal: 'SIGKILL',
          });

          // The registry as the crash left it: the run stopped exactly at the crash point.
          const runId = await inspect(target, async (store) => {
            const log = await store.decisions.list(MODEL);
            expect(log.map((r) => r.phase)).toEqual(phases);
            const id = log[0]!.runId;
            expect((await challengersOf(store, id)).length).toBe(challenger ? 1 : 0);
            const production = await store.getAlias(MODEL, 'production');
            if (aliasMoved !== undefined) expect(production !== 1).toBe(aliasMoved);
            return id;
          });

          // The next ingest resumes the open run (whose batch this is), then skips the batch it took.
          expect(decisionOf(await target.mlops(INGEST))).toBe('skipped');
          expect(decisionOf(await target.mlops(INGEST))).toBe('skipped');
          const done = await inspect(target, (store) => expectFinishedOnce(store, runId, 2));
          if (point === 'alias:placed') expect(done.action).toBe('promoted');
        } finally {
          await target.cleanup();
        }
      },
    );

    it('two ingests of the same batch at once: one runs, the other skips', async () => {
      const target = await fresh();
      try {
        const racing = await Promise.all([target.mlops(INGEST), target.mlops(INGEST)]);
        const decisions = racing.map(decisionOf);
        expect(decisions.filter((d) => d === 'skipped')).toHaveLength(1);
        expect(decisions.filter((d) => d === 'promoted' || d === 'rejected')).toHaveLength(1);
        await inspect(target, async (store) => {
          const runs = (await store.listVersions(MODEL)).filter((v) => v.tags[RUN_TAG] !== undefined);
          expect(runs).toHaveLength(1);
          const done = await expectFinishedOnce(store, runs[0]!.tags[RUN_TAG]!, 1);
          expect(decisions).toContain(done.action);
        });
      } finally {
        await target.cleanup();
      }
    });
  });
}

// Filesystem: v1 is trained once; each test works on a copy of that registry directory.
const template = join(dir, 'template');
beforeAll(async () => {
  await trainV1((args, env) => cliProcess(template, args, env));
});
describeBackend('filesystem registry', async () => {
  const root = mkdtempSync(join(dir, 'registry-'));
  cpSync(template, root, { recursive: true });
  return {
    mlops: (args, env) => cliProcess(root, args, env),
    open: () => openRegistry(root),
    cleanup: async () => rmSync(root, { recursive: true, force: true }),
  };
});

// PostgreSQL (MLOPS_PG_URL; bash scripts/postgres.sh start prints it): each test in a schema of its own, a copy of
// the schema v1 was trained in once (the tables in foreign-key order; the registry creates them empty first).
const TABLES = [
  'models',
  'versions',
  'aliases',
  'alias_history',
  'deleted_versions',
  'dataset_names',
  'dataset_versions',
  'decisions',
  'settings',
];
const url = process.env.MLOPS_PG_URL;
if (url) {
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  const newSchema = () => `ingest_crash_${randomBytes(4).toString('hex')}`;
  const drop = async (schema: string) => {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  };
  const pgTemplate = newSchema();
  beforeAll(async () => {
    await trainV1((args, env) => cliProcess(url, args, { ...env, MLOPS_PG_SCHEMA: pgTemplate }));
    const { rows } = await admin.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name <> 'schema_version'`,
      [pgTemplate],
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual([...TABLES].sort()); // a new table needs copying too
  });
  afterAll(async () => {
    await drop(pgTemplate);
    await admin.end();
  });
  describeBackend('postgresql registry', async () => {
    const schema = newSchema();
    await (await openRegistry(url, { schema })).close();
    for (const table of TABLES) {
      // Every stored column; generated ones (search columns of `versions`) are computed again on insert.
      const { rows: columns } = await admin.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND is_generated = 'NEVER' ORDER BY ordinal_position`,
        [pgTemplate, table],
      );
      const list = columns.map((c) => `"${c.column_name}"`).join(', ');
      await admin.query(`INSERT INTO "${schema}".${table} (${list}) SELECT ${list} FROM "${pgTemplate}".${table}`);
    }
    for (const table of ['alias_history', 'decisions'])
      await admin.query(
        `SELECT setval(pg_get_serial_sequence('"${schema}".${table}', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM "${schema}".${table}), false)`,
      );
    return {
      mlops: (args, env) => cliProcess(url, args, { ...env, MLOPS_PG_SCHEMA: schema }),
      open: () => openRegistry(url, { schema }),
      cleanup: () => drop(schema),
    };
  });
} else {
  describe('postgresql registry', () => {
    it.skip('skipped: set MLOPS_PG_URL to run against PostgreSQL (bash scripts/postgres.sh start prints it)', () => {});
  });
}
