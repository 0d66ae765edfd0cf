import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

// `shims` gives the CommonJS build an `import.meta.url`, which finds the uPlot files the app serves.
export default defineConfig({ ...(packageBuild as object), shims: true });
