// Child process of the crash test: `ingest <root>` bootstraps if needed and ingests the shifted batch
// (training slowed down so a kill lands mid-run); `resume <root>` finishes an interrupted run and prints
// the registry's state as JSON.
import { storyData, storyLifecycle } from '../story';

const [mode, root] = process.argv.slice(2);
if (!root || (mode !== 'ingest' && mode !== 'resume')) throw new Error('usage: crash-worker.ts ingest|resume <root>');
const { lifecycle, store } = storyLifecycle(root, { trainDelayMs: mode === 'ingest' ? 150 : 0 });
if (mode === 'ingest') {
  process.stdout.write('ready\n');
  await lifecycle.bootstrap();
  await lifecycle.ingest(storyData().batches.shifted);
  process.stdout.write('finished\n');
} else {
  const resumed = await lifecycle.resume();
  const versions = await store.listVersions('iris');
  process.stdout.write(
    JSON.stringify({
      resumed: resumed?.action ?? null,
      production: (await store.getAlias('iris', 'production')) ?? null,
      versions: versions.map((v) => ({ version: v.version, run: v.tags.lifecycleRun })),
      decisions: await lifecycle.history(),
      verify: await store.verify(),
    }),
  );
}
