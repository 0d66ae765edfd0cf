// The `mlops` command line.
import { defineCommand, runCommand, showUsage, type CommandDef } from 'citty';
import { monitor } from './commands/monitor';
import { predict } from './commands/predict';
import { registry } from './commands/registry';
import { serve } from './commands/serve';
import { train } from './commands/train';

const main = defineCommand({
  meta: { name: 'mlops', version: '0.0.0', description: 'Train, register, predict, monitor and serve models' },
  subCommands: { train, predict, registry, monitor, serve },
});

/** Runs the CLI: one-line errors on stderr and a non-zero exit code (2 for usage, 1 otherwise). */
async function cli(rawArgs: string[]): Promise<void> {
  if (rawArgs.length === 0 || rawArgs.includes('--help') || rawArgs.includes('-h')) {
    const path: CommandDef[] = [main];
    let command: CommandDef = main;
    for (const arg of rawArgs.filter((a) => !a.startsWith('-'))) {
      const next = (command.subCommands as Record<string, CommandDef> | undefined)?.[arg];
      if (!next) break;
      path.push(next);
      command = next;
    }
    await showUsage(command, path.length > 1 ? path[path.length - 2] : undefined);
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

await cli(process.argv.slice(2));
