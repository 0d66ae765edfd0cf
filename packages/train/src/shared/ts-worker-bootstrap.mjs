// Only when running from TypeScript sources (tests, tsx): lets a worker thread load a .ts entry, which then sees
// the data it was started with as its workerData.
import { syncBuiltinESMExports } from 'node:module';
import workerThreads from 'node:worker_threads';
import { register } from 'tsx/esm/api';

const { entry, data } = workerThreads.workerData;
workerThreads.workerData = data;
syncBuiltinESMExports();
register();
await import(entry);
