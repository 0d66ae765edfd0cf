// Child process of the crash test: registers versions of NAME under ROOT forever, printing each number.
// The parent kills it with SIGKILL at random moments. Usage: crash-worker.mjs <root> <name>
import { FileSystemModelStore } from '../file-system-store';

const [root, name] = process.argv.slice(2);
if (!root || !name) throw new Error('usage: crash-worker <root> <name>');
const store = new FileSystemModelStore({ root });
for (let i = 0; ; i++) {
  const { version } = await store.register(name, {
    artifact: {
      format: 'crash-test',
      formatVersion: 1,
      featureNames: ['x'],
      params: {},
      payload: { i, pad: 'x'.repeat(2000) },
    },
  });
  process.stdout.write(`${version}\n`);
}
