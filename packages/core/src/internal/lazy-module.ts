import { createRequire } from 'node:module';

/**
 * A loader for an optional heavy dependency, required on first use (so apps that never use the feature neither
 * load nor bundle it). `from` is the caller's `import.meta.url`, so the module resolves from the caller's package.
 */
export function lazyModule<T>(from: string, id: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= createRequire(from)(id) as T;
    return loaded;
  };
}
