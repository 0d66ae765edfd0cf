import { defineConfig } from 'tsup';

/** Shared build of every @mlops package: ESM + CJS + .d.ts/.d.cts from src/index.ts. */
export const packageBuild = defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  treeshake: true,
});
