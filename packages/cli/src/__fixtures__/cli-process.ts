import { spawn } from 'node:child_process';
import { join } from 'node:path';

const cwd = join(import.meta.dirname, '../..');

/**
 * Runs `mlops …args` from source against `registry`; resolves with its exit status and output. Asynchronous, so a
 * test running many commands never blocks its worker (vitest's worker RPC times out after 60 s of a blocked loop).
 */
export async function runCli(
  registry: string,
  ...args: string[]
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const { status, stdout, stderr } = await cliProcess(registry, args);
  return { status, stdout, stderr };
}

/** How a CLI process ended: its exit status, or the signal that killed it, and its output. */
export interface CliExit {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `mlops …args` from source against `registry` as a child process without blocking the caller (several can run
 * at once); `env` is added to the environment (e.g. `MLOPS_REGISTRY_FAILPOINT`). Resolves when it exits.
 */
export function cliProcess(registry: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliExit> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd,
    env: { ...process.env, ...env, MLOPS_REGISTRY: registry },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

/** Starts `mlops serve --model <model> --port 0` as a process; resolves with its URL and a stop that waits for exit. */
export function serveProcess(
  registry: string,
  model: string,
): Promise<{ url: string; stop: () => Promise<number | null> }> {
  return serverProcess(registry, ['serve', '--model', model, '--port', '0']);
}

/**
 * Starts a long-running `mlops …args` (e.g. `serve`, `ui`) as a process; resolves with the URL it prints once it
 * listens, and a stop that sends SIGTERM and waits for the exit code.
 */
export async function serverProcess(
  registry: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ url: string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd,
    env: { ...process.env, ...env, MLOPS_REGISTRY: registry },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`mlops ${args[0]} exited with ${code}: ${stderr.trim()}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    url,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
