#!/usr/bin/env node
// Runs the pinned pnpm through npx, so a machine with only Node and npm needs nothing else.
import { spawnSync } from 'node:child_process';

export const PNPM = 'pnpm@10.34.9';

export function pnpm(args, options = {}) {
  const result = spawnSync('npx', ['-y', PNPM, ...args], {
    stdio: 'inherit',
    shell: process.platform === 'win32',
    env: { TURBO_TELEMETRY_DISABLED: '1', ...process.env },
    ...options,
  });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exit(pnpm(process.argv.slice(2)));
}
