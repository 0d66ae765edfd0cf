#!/usr/bin/env node
// Installs the workspace (lockfile as committed) and builds every package.
import { pnpm } from './pnpm.mjs';

const steps = [
  ['install', '--frozen-lockfile', '--reporter=append-only'],
  ['run', 'build'],
];
for (const args of steps) {
  const status = pnpm(args);
  if (status !== 0) {
    console.error(`setup failed at: pnpm ${args.join(' ')}`);
    process.exit(status);
  }
}
