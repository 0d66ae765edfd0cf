// Child process of the crash tests: `ingest <registry>` bootstraps if needed and ingests the shifted batch
// (training slowed down so a kill lands mid-run); `ingest-die <registry>` does the same but SIGKILLs itself
// when the retrain starts training; `resume <registry>` finishes an interrupted run and prints the registry's
// state as JSON. <registry> is a directory or `postgres://…#schema`.
import { storyData, storyLifecycle } from '../story';

const [mode, root] = process.argv.slice(2);
if (!root || (mode !== 'ingest' && mode !== 'ingest-die' && mode !== 'resume'))
  throw new Error('usage: crash-worker.ts ingest|ingest-die|resume <registry>');
const { lifecycle, registry } = await storyLifecycle(
  root,
  mode === 'ingest' ? { trainDelayMs: 150 } : mode === 'ingest-die' ? { dieOnFit: 2 } : {},
);
if (mode !== 'resume') {
  process.stdout.write('ready\n');
  await lifecycle.bootstrap();
  await lifecycle.ingest((await storyData()).batches.shifted);
  process.stdout.write('finished\n');
} else {
  const resumed = await lifecycle.resume();
  const versions = await registry.listVersions('iris');
  process.stdout.write(
    JSON.stringify({
      resumed: resumed?.action ?? null,
      production: (await registry.getAlias('iris', 'production')) ?? null,
      versions: versions.map((v) => ({ version: v.version, run: v.tags.lifecycleRun })),
      decisions: await lifecycle.history(),
      verify: await registry.verify(),
    }),
  );
}
await registry.close();
