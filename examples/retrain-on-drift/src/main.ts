// The SimpleMLOps story, run for real: `pnpm start` (or `node scripts/pnpm.mjs --filter @mlops-examples/retrain-on-drift start`).
// Pass a directory to keep the registry; by default a temporary one is used.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runRetrainOnDrift } from './story';

const root = process.argv[2] ? resolve(process.argv[2]) : mkdtempSync(join(tmpdir(), 'mlops-retrain-'));
console.log('@mlops · retrain on drift: v1 serves → the world shifts → retrain → promote → reject → roll back\n');
const summary = await runRetrainOnDrift({ registryRoot: root, log: (line) => console.log(line) });
const actions = summary.decisions.map((d) => d.action).join(' → ');
if (actions !== 'bootstrapped → kept → promoted → rejected → rolled-back') {
  console.error(`\nunexpected decisions: ${actions}`);
  process.exitCode = 1;
}
