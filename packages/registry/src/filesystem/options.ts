import type { Clock } from '@mlops/core';
/** Options of `FileSystemModelStore`. */
export interface FileSystemModelStoreOptions {
  /** Registry directory; created on the first write. */
  readonly root: string;
  /** Clock for `createdAt` and alias move times (default the system clock; `ManualClock` from `@mlops/core` in tests). */
  readonly clock?: Pick<Clock, 'now'>;
  /** A per-model lock older than this is considered abandoned and broken (default 30 000 ms). */
  readonly lockStaleMs?: number;
  /** How long an alias move waits for the per-model lock before `ConflictError` (default 60 000 ms). */
  readonly lockTimeoutMs?: number;
  /** `verify()` removes a `tmp/` entry of another host (or of unknown origin) once it is this old (default 3 600 000 ms). */
  readonly tempStaleMs?: number;
}
