import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const cwd = join(import.meta.dirname, '../..');

/** Runs `mlops …args` from source against `registry`; returns its exit status and output. */
export function runCli(registry: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, MLOPS_REGISTRY: registry },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts `mlops serve --model <model> --port 0` as a process; resolves with its URL and a stop that waits for exit. */
export async function serveProcess(
  registry: string,
  model: string,
): Promise<{ url: string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--model', model, '--port', '0'], {
    cwd,
    env: { ...process.env, MLOPS_REGISTRY: registry },
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
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
