import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

// The library entry (the prediction server, for embedding) as every package builds it, and the `mlops`
// program: one ESM file with a shebang.
export default defineConfig([
  packageBuild as object,
  {
    entry: { cli: 'src/cli.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
