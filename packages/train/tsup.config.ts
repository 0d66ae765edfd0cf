import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

// Worker entries are their own: worker threads load dist/<name>-worker.js next to the bundle.
export default defineConfig({
  ...(packageBuild as object),
  entry: {
    index: 'src/index.ts',
    'forest-worker': 'src/engine/forest-worker.ts',
    'histogram-worker': 'src/boosting/histogram-worker.ts',
    'search-worker': 'src/model-selection/search-worker.ts',
  },
  shims: true,
});
