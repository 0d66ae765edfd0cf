// Child process of the multi-process tests. Usage:
//   tsx register-worker.ts <store> register <name> <count> <workerId>   → prints the versions it was given (JSON)
//   tsx register-worker.ts <store> claim <name> <alias> <version>       → prints "won" or "lost"
// <store> is `fs:<root>` or `pg:<connection string>#<schema>[#<s3 URL of the artifacts>]`.
import { ConflictError, type ModelStore } from '@mlops/core';
import { FileSystemModelStore, PostgresModelStore, S3ObjectStore } from '../../index';

const [spec, command, name, a, b] = process.argv.slice(2);
if (!spec || !command || !name || !a || !b)
  throw new Error('usage: register-worker.ts <store> register|claim <name> <a> <b>');

let store: ModelStore;
let close = async () => {};
if (spec.startsWith('fs:')) store = new FileSystemModelStore({ root: spec.slice(3) });
else {
  const [url, schema, artifacts] = spec.slice(3).split('#');
  const pgStore = new PostgresModelStore({
    connectionString: url!,
    schema: schema!,
    ...(artifacts ? { artifacts: new S3ObjectStore({ url: artifacts }) } : {}),
  });
  store = pgStore;
  close = () => pgStore.close();
}

if (command === 'register') {
  const versions: number[] = [];
  for (let i = 0; i < Number(a); i++) {
    const registered = await store.register(name, {
      artifact: {
        format: 'worker-test',
        formatVersion: 1,
        featureNames: ['x'],
        params: {},
        payload: { workerId: b, i },
      },
      tags: { workerId: b, i: String(i) },
    });
    versions.push(registered.version);
  }
  process.stdout.write(JSON.stringify(versions));
} else {
  try {
    await store.setAlias(name, a, Number(b), { expectedVersion: null, reason: `claimed by ${process.pid}` });
    process.stdout.write('won');
  } catch (error) {
    if (!ConflictError.isInstance(error)) throw error;
    process.stdout.write('lost');
  }
}
await close();
