// The iris lifecycle, end to end: `pnpm start` (or `npm run example` at the repository root).
// Pass a directory to keep the registry: `pnpm start -- ./registry`; by default a temporary one is used.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runIrisLifecycle } from './lifecycle';

const registryRoot = process.argv[2] ? resolve(process.argv[2]) : mkdtempSync(join(tmpdir(), 'mlops-iris-'));
console.log('@mlops · iris: train → save → load → predict → monitor → retrain\n');
const summary = await runIrisLifecycle({ registryRoot, log: (line) => console.log(line) });
const ok = summary.matchesScikitLearn && summary.reloadedIdentical && summary.decision.action === 'promoted';
if (!ok) {
  console.error('\nthe loop did not go as expected');
  process.exitCode = 1;
}
