/**
 * Crash points for tests: when the environment variable `MLOPS_REGISTRY_FAILPOINT` names `point`, the process
 * kills itself there with SIGKILL, exactly as a crash at that instruction would. Costs one lookup otherwise.
 *
 * Both backends: `register:committed` (a model version is durably registered), `alias:placed` (an alias move is
 * durable), `decision:started|registered|done` (a decision record of that phase is durably appended). Filesystem only:
 * `alias:before-history`, `alias:history-appended` (the steps of an alias move) and `lock:staged`. Migrations:
 * `migrate:item` (an item of `migrateRegistry` or `moveArtifactsToObjectStorage` is committed in the target).
 */
export function failpoint(point: string): void {
  if (process.env.MLOPS_REGISTRY_FAILPOINT === point) process.kill(process.pid, 'SIGKILL');
}
