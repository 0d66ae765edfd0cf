import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

// Three entry points: the contracts and lifecycle, shared plumbing (`./internal`), test helpers (`./testing`).
export default defineConfig({
  ...(packageBuild as object),
  entry: { index: 'src/index.ts', internal: 'src/internal/index.ts', testing: 'src/testing/index.ts' },
});
