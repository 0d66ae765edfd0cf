import { resolve } from 'node:path';
import { defineCommand } from 'citty';
import { watchDirectory } from '@mlops/data';
import { openCliLifecycle } from '../shared/cli-lifecycle';
import { ARTIFACTS_ARG, checkWritable, openCliRegistry } from '../shared/open-cli-registry';
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
    artifacts: ARTIFACTS_ARG,
    'every-ms': { type: 'string', default: '60000', description: 'How often to look for new files' },
    ...policyArgs,
  },
  async run({ args }) {
    const policy = policyOf(args);
    const everyMs = integerFlag(args['every-ms'], 'every-ms', 100, 86_400_000);
    const directory = resolve(args.dir); // sources are absolute paths, as mlops ingest records them
    const store = await openCliRegistry(args.registry, args.artifacts, { create: true });
    try {
      await checkWritable(store); // a retrain ends in a registration: refused now, not after training
      const { lifecycle, readBatch } = await openCliLifecycle(store, args.model, policy);
      const resumed = await lifecycle.resume();
      if (resumed) console.log(`resumed ${resumed.action}: ${resumed.reason}`);
      console.log(`watching ${directory} for ${args.model} (every ${everyMs} ms)`);
      let inFlight: Promise<unknown> = Promise.resolve();
      const watcher = watchDirectory(directory, {
        everyMs,
        onFile: (path) => {
          const step = (async () => {
            const decision = await lifecycle.ingest(await readBatch(path), { source: path });
            console.log(`${path}: ${decision.action.toUpperCase()} — ${decision.reason}`);
          })();
          inFlight = step.catch(() => undefined);
          return step;
        },
        onError: (error, path) =>
          console.error(
            `mlops watch: ${path ? `${path}: ` : ''}${error instanceof Error ? error.message : String(error)}`,
          ),
      });
      // The watcher's timer does not hold the process open: this does, until a signal.
      const alive = setInterval(() => {}, 1 << 30);
      await new Promise<void>((done) => {
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
      clearInterval(alive);
      watcher.stop();
      await inFlight; // a file being ingested finishes before the registry closes
    } finally {
      await store.close();
    }
  },
});
