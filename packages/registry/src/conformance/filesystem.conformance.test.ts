import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSystemModelStore } from '../store/file-system-store';
import { describeModelStoreConformance } from './model-store-conformance';

describeModelStoreConformance('filesystem', async () => {
  const root = await mkdtemp(join(tmpdir(), 'mlops-conformance-'));
  const file = (name: string, version: number) => join(root, 'models', name, 'versions', String(version), 'artifact.json');
  return {
    store: new FileSystemModelStore({ root }),
    spec: `fs:${root}`,
    artifactLength: async (name, version) => (await readFile(file(name, version))).length,
    flipArtifactByte: async (name, version, offset) => {
      const bytes = await readFile(file(name, version));
      bytes[offset]! ^= 0xff;
      await writeFile(file(name, version), bytes);
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});
