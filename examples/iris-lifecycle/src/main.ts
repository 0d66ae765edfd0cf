// The iris lifecycle, end to end: `pnpm start` (or `npm run example` at the repository root).
// Pass a directory to keep the registry: `pnpm start -- ./registry`; by default a temporary one is used.
// `pnpm start -- --postgres postgres://user:pw@127.0.0.1:5432/db` registers in PostgreSQL instead, and
// `… --artifacts s3://bucket/prefix` keeps its artifacts in S3-compatible storage (AWS_ENDPOINT_URL, AWS_REGION,
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY from the environment).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runIrisLifecycle } from './lifecycle';

const args = process.argv.slice(2);
const pgAt = args.indexOf('--postgres');
const artifactsAt = args.indexOf('--artifacts');
const artifacts = artifactsAt >= 0 ? args[artifactsAt + 1] : undefined;
const postgres =
  pgAt >= 0 && args[pgAt + 1]
    ? { url: args[pgAt + 1]!, schema: `iris_${Date.now()}`, ...(artifacts ? { artifacts } : {}) }
    : undefined;
if (artifacts && !postgres) throw new Error('--artifacts goes with --postgres <url>');
const registryRoot = !postgres && args[0] ? resolve(args[0]) : mkdtempSync(join(tmpdir(), 'mlops-iris-'));
console.log('@mlops · iris: train → save → load → predict → monitor → retrain\n');
const summary = await runIrisLifecycle({
  registryRoot,
  ...(postgres ? { postgres } : {}),
  log: (line) => console.log(line),
});
const ok = summary.matchesScikitLearn && summary.reloadedIdentical && summary.decision.action === 'promoted';
if (!ok) {
  console.error('\nthe loop did not go as expected');
  process.exitCode = 1;
}
