// A large artifact through PostgreSQL + S3 (s3rver on 127.0.0.1): register it, then load it, each in a fresh process
// so its peak RSS is its own. Prints time, peak RSS growth over the process's RSS just before the call, that growth as
// a multiple of the artifact's size, the heap the call's result keeps, and the growth beyond it.
//   MLOPS_PG_URL=postgres://… node --import tsx bench/large-artifact.ts [MB]   (default 100)
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import type { ModelArtifact } from '@mlops/core';
import pg from 'pg';
import { startS3Server, useS3Environment } from '../src/objects/__fixtures__/s3-server';
import { PostgresModelStore, S3ObjectStore } from '../src/index';

const url = process.env.MLOPS_PG_URL;
if (!url) throw new Error('set MLOPS_PG_URL (bash scripts/postgres.sh start prints it)');
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const child = process.argv[2] === 'register' || process.argv[2] === 'load';
const [phase, schema, megabytes = '100'] = child ? process.argv.slice(2) : ['', '', process.argv[2] ?? '100'];

/** A forest-like artifact of about `mb` MB: its weight is in base64 strings, as typed-array payloads are stored. */
function artifactOf(mb: number): ModelArtifact {
  // Flat strings, as JSON.parse and base64 encoding make them: 1.33 MB of base64 per MB of weights.
  const trees = Array.from({ length: Math.round(mb / 1.33) }, (_, i) => Buffer.alloc(1e6, i).toString('base64'));
  return { format: 'bench-large', formatVersion: 1, featureNames: ['x'], params: {}, payload: { trees } };
}

const store = (name: string) =>
  new PostgresModelStore({
    connectionString: url,
    schema: name,
    artifacts: new S3ObjectStore({ url: 's3://mlops-test/large' }),
  });

const kept: unknown[] = [];

/**
 * Runs `work` and prints its time, peak RSS growth over the RSS just before it (after a full GC), the heap its result
 * keeps (after a full GC, the result held) and the growth beyond that: what the call needed besides what it returns.
 */
async function measure(what: string, work: () => Promise<unknown>): Promise<void> {
  globalThis.gc?.();
  const before = process.memoryUsage();
  const start = performance.now();
  kept.push(await work()); // held through the GC below
  const ms = performance.now() - start;
  const peak = process.resourceUsage().maxRSS * 1024;
  globalThis.gc?.();
  const retainedMb = Math.max(0, process.memoryUsage().heapUsed - before.heapUsed) / 1e6;
  const growthMb = (peak - before.rss) / 1e6;
  console.log(JSON.stringify({ what, ms, growthMb, retainedMb }));
}

if (phase === 'register') {
  const artifact = artifactOf(Number(megabytes));
  const registry = store(schema!);
  await measure('register', () => registry.register('large', { artifact }));
  await registry.close();
} else if (phase === 'load') {
  const registry = store(schema!);
  await measure('load', () => registry.loadArtifact('large', 1));
  await registry.close();
} else {
  const server = await startS3Server();
  useS3Environment(server.endpoint);
  const name = `large_${randomBytes(4).toString('hex')}`;
  const setup = store(name);
  await setup.migrate();
  await setup.close();
  // Asynchronously: the S3 server runs in this process.
  const run = async (which: string) => {
    const args = ['--expose-gc', '--import', 'tsx', import.meta.filename, which, name, megabytes];
    const { stdout } = await promisify(execFile)(process.execPath, args, { env: process.env });
    return JSON.parse(stdout.trim()) as { what: string; ms: number; growthMb: number; retainedMb: number };
  };
  try {
    const size = Buffer.byteLength(JSON.stringify(artifactOf(Number(megabytes)))) / 1e6;
    console.log(`artifact: ${size.toFixed(1)} MB of JSON, PostgreSQL + S3 (s3rver on 127.0.0.1)`);
    console.log('| step | ms | peak RSS growth MB | / artifact size | result keeps MB | growth beyond the result MB |');
    console.log('|---|---|---|---|---|---|');
    for (const which of ['register', 'load']) {
      const { ms, growthMb, retainedMb } = await run(which);
      const beyond = growthMb - retainedMb;
      console.log(
        `| ${which} | ${ms.toFixed(0)} | ${growthMb.toFixed(0)} | ${(growthMb / size).toFixed(2)}× | ${retainedMb.toFixed(0)} | ${beyond.toFixed(0)} |`,
      );
    }
  } finally {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    await admin.end();
    await server.close();
  }
}
