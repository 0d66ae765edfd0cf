import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../__fixtures__/cli-process';

// The shipped loans table: the first 300 applications train v1, the next 100 arrive as a labelled batch.
const lines = readFileSync(join(import.meta.dirname, '../../../../examples/data/loans.csv'), 'utf8')
  .trim()
  .split('\n');
const dir = mkdtempSync(join(tmpdir(), 'mlops-ingest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const registry = join(dir, 'registry');
const mlops = (...args: string[]) => runCli(registry, ...args);
const write = (name: string, rows: readonly string[]) => {
  writeFileSync(join(dir, name), `${[lines[0], ...rows].join('\n')}\n`);
  return join(dir, name);
};
const train = write('train.csv', lines.slice(1, 301));
const batch = write('batch.csv', lines.slice(301, 401));
// The same applications with every label flipped: a broken labelling tool.
const flipped = write(
  'flipped.csv',
  lines.slice(301, 401).map((line) => line.replace(/,(yes|no)$/, (_, label) => (label === 'yes' ? ',no' : ',yes'))),
);

describe('mlops ingest and mlops watch', () => {
  it('runs one lifecycle step per labelled file: kept, skipped when seen again, a worse challenger rejected', async () => {
    expect(
      (
        await mlops(
          'train',
          '--data',
          train,
          '--target',
          'defaulted',
          '--exclude',
          'id,interest_rate',
          '--name',
          'loans',
          '--trees',
          '30',
        )
      ).status,
    ).toBe(0);
    const kept = await mlops('ingest', '--model', 'loans', '--data', batch, '--threshold', '0.5', '--json');
    expect(kept.status).toBe(0);
    expect(JSON.parse(kept.stdout)).toMatchObject({
      decision: 'kept',
      version: 1,
      triggers: ['new-data'],
      trainingRows: 240 + 80, // the training split and the batch but its held-out fifth
      metrics: { championAccuracy: 0.72, batchRows: 100 },
    });
    // A new process over the same registry: the batch is known by its source and by its content.
    const again = JSON.parse((await mlops('ingest', '--model', 'loans', '--data', batch, '--json')).stdout);
    expect(again).toMatchObject({ decision: 'skipped', version: 1, triggers: [], trainingRows: 320 });
    copyFileSync(batch, join(dir, 'batch-copy.csv'));
    expect((await mlops('ingest', '--model', 'loans', '--data', join(dir, 'batch-copy.csv'))).stdout).toMatch(
      /^loans: SKIPPED — already ingested \(the same rows, from .*batch\.csv\) by run /,
    );
    const rejected = JSON.parse((await mlops('ingest', '--model', 'loans', '--data', flipped, '--json')).stdout);
    expect(rejected).toMatchObject({
      decision: 'rejected',
      version: 1,
      triggers: ['accuracy'],
      challengerVersion: 2,
      trainingRows: 400,
      metrics: { championAccuracy: 0.28 },
    });
    expect(rejected.reason).toMatch(/^accuracy 0\.28 fell under 0\.85; challenger v2 scored .*: kept v1, archived v2$/);
    expect(JSON.parse((await mlops('registry', 'show', 'loans@2', '--json')).stdout)).toMatchObject({
      status: 'archived',
    });
    expect((await mlops('ingest', '--model', 'loans', '--data', batch, '--margin', '2')).stderr).toBe(
      'mlops: --margin must be a number from 0 to below 1, got "2"\n',
    );
    expect((await mlops('ingest', '--model', 'nobody', '--data', batch)).stderr).toMatch(/^mlops: .*nobody/);
  });

  it('watches a directory: each new file is ingested once, until SIGTERM', async () => {
    const inbox = join(dir, 'inbox');
    mkdirSync(inbox);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', 'watch', inbox, '--model', 'loans', '--every-ms', '200', '--threshold', '0.5'],
      { cwd: join(import.meta.dirname, '../..'), env: { ...process.env, MLOPS_REGISTRY: registry } },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const until = async (pattern: RegExp) => {
      for (const deadline = Date.now() + 30_000; !pattern.test(output) && Date.now() < deadline; )
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(output).toMatch(pattern);
    };
    await until(/^watching /m);
    write('inbox/monday.csv', lines.slice(1, 51)); // rows v1 trained on: a new source, new content
    await until(/monday\.csv: KEPT — /);
    write('inbox/tuesday.csv', lines.slice(301, 401)); // the batch ingested above: same content
    await until(/tuesday\.csv: SKIPPED — already ingested \(the same rows, from .*batch\.csv\)/);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output.match(/monday\.csv:/g)).toHaveLength(1);
  }, 60_000);
});
