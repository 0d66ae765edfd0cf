import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

/**
 * Starts s3rver (a real S3 API server) as a process on 127.0.0.1 and a free port, storing in `directory`, with one
 * bucket; resolves with the AWS environment variables that point the CLI at it, and `stop()`.
 */
export async function startS3Process(
  directory: string,
  bucket: string,
): Promise<{ env: NodeJS.ProcessEnv; stop: () => void }> {
  const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  const s3 = spawn(process.execPath, [
    bin,
    '-d',
    directory,
    '-a',
    '127.0.0.1',
    '-p',
    '0',
    '--configure-bucket',
    bucket,
  ]);
  const endpoint = await new Promise<string>((resolve, reject) => {
    s3.stdout.on('data', (chunk: Buffer) => {
      const port = /listening on 127\.0\.0\.1:(\d+)/.exec(chunk.toString())?.[1];
      if (port) resolve(`http://127.0.0.1:${port}`);
    });
    s3.once('exit', () => reject(new Error('s3rver exited')));
  });
  return {
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    },
    stop: () => void s3.kill(),
  };
}
