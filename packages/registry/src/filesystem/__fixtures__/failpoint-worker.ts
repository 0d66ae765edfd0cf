// Child process of the failpoint tests: one store call, run with MLOPS_REGISTRY_FAILPOINT set so that it dies
// (SIGKILL) at that point. Usage: tsx failpoint-worker.ts <root> setAlias <name> <alias> <version>
//                                 tsx failpoint-worker.ts <root> rollback <name> <alias>
import { FileSystemModelStore } from '../file-system-store';

const [root, command, name, alias, version] = process.argv.slice(2);
if (!root || !name || !alias)
  throw new Error('usage: failpoint-worker.ts <root> setAlias|rollback <name> <alias> [version]');
const store = new FileSystemModelStore({ root });
if (command === 'setAlias') await store.setAlias(name, alias, Number(version));
else if (command === 'rollback') await store.rollback(name, alias);
else throw new Error(`unknown command ${command}`);
process.stdout.write('finished\n');
