import { defineCommand } from 'citty';
import { watchDirectory } from '@mlops/data';
import { openCliLifecycle } from '../shared/cli-lifecycle';
import { openCliRegistry } from '../shared/open-cli-registry';
import { integerFlag } from '../shared/usage';
import { policyArgs, policyOf } from './ingest';

export const watch = defineCommand({
  meta: {
    name: 'watch',
    description: 'Run the lifecycle on each new labelled file of a directory (once each, also across restarts)',
  },
  args: {
    dir: { type: 'positional', required: true, description: 'Directory to watch for new .csv files' },
    model: {
      type: 'string',
      required: true,
      description: 'Model name (trained with mlops train; its production alias)',
    },
    registry: { type: 'string', description: 'Registry directory or postgres:// URL (or MLOPS_REGISTRY)' },
    'every-ms': { type: 'string', default: '60000', description: 'How often to look for new files' },
    ...policyArgs,
  },
  async run({ args }) {
    const policy = policyOf(args);
    const everyMs = integerFlag(args['every-ms'], 'every-ms', 100, 86_400_000);
    const store = await openCliRegistry(args.registry);
    const { lifecycle, readBatch } = await openCliLifecycle(store, args.model, policy);
    const resumed = await lifecycle.resume();
    if (resumed) console.log(`resumed ${resumed.action}: ${resumed.reason}`);
    console.log(`watching ${args.dir} for ${args.model} (every ${everyMs} ms)`);
    const watcher = watchDirectory(args.dir, {
      everyMs,
      onFile: async (path) => {
        const decision = await lifecycle.ingest(await readBatch(path), { source: path });
        console.log(`${path}: ${decision.action.toUpperCase()} — ${decision.reason}`);
      },
      onError: (error) => console.error(`mlops watch: ${error instanceof Error ? error.message : String(error)}`),
    });
    // The watcher's timer does not hold the process open: this does, until a signal.
    const alive = setInterval(() => {}, 1 << 30);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    clearInterval(alive);
    watcher.stop();
    await store.close();
  },
});
