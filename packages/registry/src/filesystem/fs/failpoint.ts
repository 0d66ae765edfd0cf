/**
 * Crash points for tests: when the environment variable `MLOPS_REGISTRY_FAILPOINT` names `point`, the process
 * kills itself there with SIGKILL, exactly as a crash at that instruction would. Costs one lookup otherwise.
 */
export function failpoint(point: string): void {
  if (process.env.MLOPS_REGISTRY_FAILPOINT === point) process.kill(process.pid, 'SIGKILL');
}
