import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

// `shims` gives the CommonJS build an `import.meta.url`, which loads prom-client lazily (see metrics/create-monitor-metrics.ts).
export default defineConfig({ ...(packageBuild as object), shims: true });
