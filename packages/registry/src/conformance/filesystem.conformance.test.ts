import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSystemModelStore } from '../filesystem/file-system-store';
import { describeInputSafetyConformance } from './input-safety-conformance';
import { describeModelStoreConformance, type ConformanceSubject } from './model-store-conformance';

async function makeSubject(): Promise<ConformanceSubject> {
  const root = await mkdtemp(join(tmpdir(), 'mlops-conformance-'));
  const file = (name: string, version: number) =>
    join(root, 'models', name, 'versions', String(version), 'artifact.json');
  const dataFile = (name: string, version: number) =>
    join(root, 'datasets', name, 'versions', String(version), 'data.json');
  const flip = async (path: string, offset: number) => {
    const bytes = await readFile(path);
    bytes[offset]! ^= 0xff;
    await writeFile(path, bytes);
  };
  return {
    store: new FileSystemModelStore({ root }),
    spec: `fs:${root}`,
    artifactLength: async (name, version) => (await readFile(file(name, version))).length,
    flipArtifactByte: (name, version, offset) => flip(file(name, version), offset),
    flipDatasetByte: (name, version, offset) => flip(dataFile(name, version), offset),
    storedSnapshots: async (name) => {
      const versions = await readdir(join(root, 'datasets', name, 'versions'));
      const files = await Promise.all(versions.map((v) => readdir(join(root, 'datasets', name, 'versions', v))));
      return files.filter((names) => names.includes('data.json')).length;
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

describeModelStoreConformance('filesystem', makeSubject);
describeInputSafetyConformance('filesystem', makeSubject);
