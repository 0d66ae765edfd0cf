// The `mlops` command line.
import { readFileSync } from 'node:fs';
import { defineCommand, runCommand, showUsage, type CommandDef } from 'citty';
import { ingest } from './commands/ingest';
import { monitor } from './commands/monitor';
import { predict } from './commands/predict';
import { registry } from './commands/registry';
import { serve } from './commands/serve';
import { train } from './commands/train';
import { ui } from './commands/ui';
import { watch } from './commands/watch';

/** This package's version (package.json sits one folder above both src/ and dist/). */
const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

const main = defineCommand({
  meta: { name: 'mlops', version, description: 'Train, register, predict, monitor and serve models' },
  subCommands: { train, predict, ingest, watch, registry, monitor, serve, ui },
});

/** The command `rawArgs` name (following subcommands), and the path of names to it. */
function commandOf(rawArgs: readonly string[]): { command: CommandDef; path: CommandDef[]; names: string[] } {
  const path: CommandDef[] = [main];
  const names = ['mlops'];
  let command: CommandDef = main;
  for (const arg of rawArgs.filter((a) => !a.startsWith('-'))) {
    const next = (command.subCommands as Record<string, CommandDef> | undefined)?.[arg];
    if (!next) break;
    path.push(next);
    names.push(arg);
    command = next;
  }
  return { command, path, names };
}

/** Options the command does not declare (citty would ignore them silently, e.g. a misspelt `--exlude`). */
function unknownOptions(command: CommandDef, rawArgs: readonly string[]): string[] {
  const declared = new Set<string>();
  for (const [name, arg] of Object.entries((command.args ?? {}) as Record<string, { alias?: string | string[] }>)) {
    declared.add(name);
    for (const alias of [arg.alias ?? []].flat()) declared.add(alias);
  }
  const end = rawArgs.indexOf('--');
  return (end === -1 ? rawArgs : rawArgs.slice(0, end))
    .filter((a) => /^--?[^-\d]/.test(a))
    .map((a) => a.replace(/^--?/, '').split('=')[0]!)
    .filter((name) => !declared.has(name) && !declared.has(name.replace(/^no-/, '')));
}

/** Runs the CLI: one-line errors on stderr and a non-zero exit code (2 for usage, 1 otherwise). */
async function cli(rawArgs: string[]): Promise<void> {
  const { command, path, names } = commandOf(rawArgs);
  if (command === main && (rawArgs[0] === '--version' || rawArgs[0] === '-v')) {
    process.stdout.write(`${version}\n`);
    return;
  }
  if (rawArgs.length === 0 || rawArgs.includes('--help') || rawArgs.includes('-h')) {
    await showUsage(command, path.length > 1 ? path[path.length - 2] : undefined);
    return;
  }
  const unknown = command.subCommands ? [] : unknownOptions(command, rawArgs);
  if (unknown.length > 0) {
    const what = unknown.map((name) => `--${name}`).join(', ');
    process.stderr.write(`mlops: unknown option ${what} for ${names.join(' ')} (see ${names.join(' ')} --help)\n`);
    process.exitCode = 2;
    return;
  }
  try {
    await runCommand(main, { rawArgs });
  } catch (error) {
    const usage = (error as { code?: string }).code === 'EARG' || (error as { name?: string }).name === 'CLIError';
    process.stderr.write(`mlops: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = usage ? 2 : 1;
  }
}

// The AWS SDK (S3 artifact storage) warns on stderr that later versions need Node 22; errors here are one line.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
await cli(process.argv.slice(2));
