// Only when running from TypeScript sources (tests, tsx): lets a worker thread load a .ts entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
