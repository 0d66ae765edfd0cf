import { readFile, stat } from 'node:fs/promises';
import { InvalidInputError } from '@mlops/core';
import { isPostgresLocation } from '@mlops/registry';
import { serveUi } from '@mlops/ui';
import { defineCommand } from 'citty';
import { ARTIFACTS_ARG, openCliRegistry } from '../shared/open-cli-registry';
import { directoryMonitoring } from '../shared/ui-monitoring';

/** The write token: `--token-file` (first line, trimmed), else `MLOPS_UI_TOKEN`, else none (read-only). */
async function tokenOf(file: string | undefined): Promise<string | undefined> {
  const text =
    file === undefined
      ? process.env.MLOPS_UI_TOKEN
      : await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
          throw new InvalidInputError(`--token-file ${file} cannot be read (${error.code ?? error.message})`);
        });
  const token = text === undefined ? undefined : text.split(/\r?\n/)[0]!.trim();
  if (token === undefined || token === '') {
    if (file !== undefined) throw new InvalidInputError(`--token-file ${file} is empty`);
    return undefined;
  }
  return token;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

export const ui = defineCommand({
  meta: {
    name: 'ui',
    description:
      'Serve a web page for the registry: models, versions, aliases, lineage, decisions, datasets, monitoring',
  },
  args: {
    registry: { type: 'string', description: 'Registry directory or postgres:// URL (or MLOPS_REGISTRY)' },
    artifacts: ARTIFACTS_ARG,
    port: { type: 'string', default: '8081', description: 'Port (0: any free port)' },
    host: { type: 'string', default: '127.0.0.1', description: 'Interface to listen on' },
    monitoring: {
      type: 'string',
      description:
        "Directory with predictions.ndjson and drift.ndjson (the monitor package's logs) for the monitoring pages",
    },
    window: { type: 'string', default: '100', description: 'Labelled predictions per monitoring window' },
    'token-file': {
      type: 'string',
      description: 'File whose first line is the token that enables promote, roll back and archive (or MLOPS_UI_TOKEN)',
    },
  },
  async run({ args }) {
    if (!/^[0-9]{1,5}$/.test(args.port) || Number(args.port) > 65_535)
      throw new InvalidInputError(`--port must be a whole number from 0 to 65535, got ${JSON.stringify(args.port)}`);
    if (!/^[1-9][0-9]{0,6}$/.test(args.window))
      throw new InvalidInputError(
        `--window must be a whole number from 1 to 9999999, got ${JSON.stringify(args.window)}`,
      );
    const token = await tokenOf(args['token-file']);
    // A UI over a directory that does not exist would show an empty registry: most likely a typo.
    for (const [flag, dir] of [
      ['--registry', args.registry ?? process.env.MLOPS_REGISTRY],
      ['--monitoring', args.monitoring],
    ] as const) {
      if (dir !== undefined && !isPostgresLocation(dir) && !(await isDirectory(dir)))
        throw new InvalidInputError(`${flag} ${dir} is not a directory`);
    }
    const registry = await openCliRegistry(args.registry, args.artifacts);
    const server = await serveUi({
      registry,
      ...(token === undefined ? {} : { token }),
      ...(args.monitoring === undefined
        ? {}
        : { monitoring: directoryMonitoring(args.monitoring, registry, Number(args.window)) }),
      port: Number(args.port),
      host: args.host,
      log: (line) => console.log(line),
    });
    console.log(`mlops ui on ${server.url} (${token === undefined ? 'read-only: no token' : 'writes need the token'})`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    await registry.close();
  },
});
