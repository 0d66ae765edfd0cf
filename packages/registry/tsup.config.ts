import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

// `shims` gives the CommonJS build an `import.meta.url`, used to load an optional-path dependency lazily.
export default defineConfig({ ...(packageBuild as object), shims: true });
