import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

// The forest worker is its own entry: worker threads load dist/forest-worker.js next to the bundle.
export default defineConfig({
  ...(packageBuild as object),
  entry: { index: 'src/index.ts', 'forest-worker': 'src/engine/forest-worker.ts' },
  shims: true,
});
