// Child process of the multi-process tests: registers COUNT versions of NAME under ROOT and prints the
// version numbers it was given, as JSON. Usage: tsx register-worker.ts <root> <name> <count> <workerId>
import { FileSystemModelStore } from '../../index';

const [root, name, countText, workerId] = process.argv.slice(2);
if (!root || !name || !countText || !workerId) throw new Error('usage: register-worker.ts <root> <name> <count> <workerId>');

const store = new FileSystemModelStore({ root });
const versions: number[] = [];
for (let i = 0; i < Number(countText); i++) {
  const registered = await store.register(name, {
    artifact: { format: 'worker-test', formatVersion: 1, featureNames: ['x'], params: {}, payload: { workerId, i } },
    tags: { workerId, i: String(i) },
  });
  versions.push(registered.version);
}
process.stdout.write(JSON.stringify(versions));
