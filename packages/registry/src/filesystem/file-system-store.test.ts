import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  InvalidArtifactError,
  InvalidInputError,
  InvalidNameError,
  NotFoundError,
  type ModelArtifact,
  type RegisterModelInput,
} from '@mlops/core';
import { describe, expect, it } from 'vitest';
import { FileSystemModelStore } from './file-system-store';
import { ARTIFACT, ARTIFACT_SHA256, FIXED_CLOCK, snapshot, tempDir } from './__fixtures__/temp-root';

async function newStore(): Promise<{ root: string; store: FileSystemModelStore }> {
  const root = join(await tempDir(), 'registry');
  return { root, store: new FileSystemModelStore({ root, clock: FIXED_CLOCK }) };
}

describe('FileSystemModelStore.register', () => {
  it('stores the full metadata record and returns exactly what getVersion reads back', async () => {
    const { store } = await newStore();
    await store.register('iris', { artifact: ARTIFACT });
    const input: RegisterModelInput = {
      artifact: ARTIFACT,
      params: { alpha: 0.25, depth: 3 },
      metrics: { accuracy: 0.9666666666666667, f1: 0.95 },
      tags: { trainer: 'test', trigger: 'manual' },
      description: 'second try',
      dataset: { fingerprint: 'ab'.repeat(32), name: 'iris-train' },
      parentVersion: 1,
    };
    const registered = await store.register('iris', input);
    expect(registered).toEqual({
      name: 'iris',
      version: 2,
      createdAt: '2024-05-06T07:08:09.000Z',
      description: 'second try',
      params: { alpha: 0.25, depth: 3 },
      metrics: { accuracy: 0.9666666666666667, f1: 0.95 },
      tags: { trainer: 'test', trigger: 'manual' },
      dataset: { fingerprint: 'ab'.repeat(32), name: 'iris-train' },
      parentVersion: 1,
      signature: {
        featureNames: ['sepal length (cm)', 'petal width (cm)'],
        featureTypes: ['number', 'number'],
        classNames: ['setosa', 'versicolor'],
      },
      status: 'active',
      artifact: { format: 'test-linear', formatVersion: 1, sha256: ARTIFACT_SHA256, bytes: 201 },
    });
    expect(await store.getVersion('iris', 2)).toEqual(registered);
    expect(await store.loadArtifact('iris', 2)).toEqual({ version: registered, artifact: ARTIFACT });
  });

  it('defaults params to the artifact params, description to empty, metrics and tags to {}', async () => {
    const { store } = await newStore();
    const { classNames: _classNames, ...regression } = ARTIFACT;
    const record = await store.register('house', { artifact: regression });
    expect(record).toEqual({
      name: 'house',
      version: 1,
      createdAt: '2024-05-06T07:08:09.000Z',
      description: '',
      params: { alpha: 0.5 },
      metrics: {},
      tags: {},
      signature: { featureNames: ['sepal length (cm)', 'petal width (cm)'], featureTypes: ['number', 'number'] },
      status: 'active',
      artifact: {
        format: 'test-linear',
        formatVersion: 1,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        bytes: 164,
      },
    });
    expect('dataset' in record || 'parentVersion' in record || 'classNames' in record.signature).toBe(false);
  });

  it('writes artifact.json as the canonical JSON bytes and leaves nothing in tmp/', async () => {
    const { root, store } = await newStore();
    await store.register('iris', { artifact: ARTIFACT });
    const bytes = await readFile(join(root, 'models/iris/versions/1/artifact.json'), 'utf8');
    expect(bytes).toBe(JSON.stringify(ARTIFACT));
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
    expect(Object.keys(await snapshot(root)).sort()).toEqual([
      'models',
      'models/iris',
      'models/iris/index.ndjson',
      'models/iris/versions',
      'models/iris/versions/1',
      'models/iris/versions/1/artifact.json',
      'models/iris/versions/1/version.json',
      'tmp',
    ]);
  });

  it('rejects malformed artifacts and metadata, leaving existing versions untouched', async () => {
    const { root, store } = await newStore();
    await store.register('iris', { artifact: ARTIFACT, metrics: { accuracy: 1 } });
    await store.register('iris', { artifact: ARTIFACT });
    const before = await snapshot(root);
    const bad = (artifact: unknown, extra: object = {}) =>
      store.register('iris', { artifact: artifact as ModelArtifact, ...extra });
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;

    await expect(bad({ ...ARTIFACT, format: '' })).rejects.toThrow(
      new InvalidArtifactError('cannot register model "iris": "format" must be a non-empty string', { name: 'iris' }),
    );
    await expect(bad({ ...ARTIFACT, formatVersion: 1.5 })).rejects.toThrow('"formatVersion" must be an integer');
    await expect(bad({ ...ARTIFACT, featureNames: ['a', 2] })).rejects.toThrow(
      '"featureNames" must be an array of strings',
    );
    await expect(bad({ ...ARTIFACT, classNames: 'setosa' })).rejects.toThrow(
      '"classNames" must be an array of strings',
    );
    await expect(bad({ ...ARTIFACT, params: [] })).rejects.toThrow('"params" must be an object');
    await expect(bad({ ...ARTIFACT, payload: undefined })).rejects.toThrow('"payload" is missing');
    await expect(bad({ ...ARTIFACT, payload: { w: [1, Number.NaN] } })).rejects.toThrow('artifact.payload.w[1] is NaN');
    await expect(bad({ ...ARTIFACT, payload: { at: new Date(0) } })).rejects.toThrow(
      'artifact.payload.at is a Date object',
    );
    await expect(bad({ ...ARTIFACT, payload: cycle })).rejects.toThrow(
      'artifact.payload.self refers back to one of its parents',
    );
    await expect(bad({ ...ARTIFACT, payload: JSON.parse('{"__proto__":{"polluted":1}}') })).rejects.toThrow(
      'artifact.payload.__proto__ uses the forbidden key "__proto__"',
    );
    await expect(bad(ARTIFACT, { metrics: { accuracy: Number.POSITIVE_INFINITY } })).rejects.toThrow(
      new InvalidInputError('cannot register model "iris": metrics.accuracy is Infinity', { name: 'iris' }),
    );
    await expect(bad(ARTIFACT, { tags: { a: 1 } })).rejects.toThrow('tags must map names to strings');
    await expect(bad(ARTIFACT, { parentVersion: 0 })).rejects.toThrow('parentVersion must be a positive integer');
    await expect(bad(ARTIFACT, { parentVersion: 7 })).rejects.toThrow(
      new NotFoundError('cannot register model "iris": parent version 7 does not exist', { name: 'iris', version: 7 }),
    );
    await expect(bad(ARTIFACT, { dataset: { fingerprint: '' } })).rejects.toThrow(
      'dataset.fingerprint must be a non-empty string',
    );
    await expect(store.register('../iris', { artifact: ARTIFACT })).rejects.toThrow(InvalidNameError);

    expect(await snapshot(root)).toEqual(before);
    expect((await store.listVersions('iris')).map((v) => v.version)).toEqual([1, 2]);
    expect((await store.loadArtifact('iris', 1)).version.metrics).toEqual({ accuracy: 1 });
  });
});

describe('FileSystemModelStore reads', () => {
  it('a new instance over the same root sees the same versions and aliases', async () => {
    const { root, store } = await newStore();
    await store.register('iris', { artifact: ARTIFACT, description: 'one' });
    await store.register('iris', { artifact: ARTIFACT, description: 'two' });
    await store.setAlias('iris', 'production', 1);
    const reopened = new FileSystemModelStore({ root });
    expect((await reopened.listVersions('iris')).map((v) => [v.version, v.description])).toEqual([
      [1, 'one'],
      [2, 'two'],
    ]);
    expect(await reopened.getAlias('iris', 'production')).toBe(1);
    expect((await reopened.loadArtifact('iris', 'production')).artifact).toEqual(ARTIFACT);
    expect(await reopened.listModels()).toEqual(['iris']);
  });

  it('resolves latest to the highest version', async () => {
    const { store } = await newStore();
    await expect(store.getVersion('iris', 'latest')).rejects.toThrow(
      new NotFoundError('model "iris" does not exist', { name: 'iris' }),
    );
    await store.register('iris', { artifact: ARTIFACT });
    await store.register('iris', { artifact: ARTIFACT, description: 'newest' });
    expect((await store.getVersion('iris', 'latest')).version).toBe(2);
    expect((await store.loadArtifact('iris', 'latest')).version.description).toBe('newest');
  });

  it('accepts only positive safe integers as version numbers', async () => {
    const { store } = await newStore();
    await store.register('iris', { artifact: ARTIFACT });
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      await expect(store.getVersion('iris', bad)).rejects.toThrow(InvalidInputError);
    }
    await expect(store.getVersion('iris', 0)).rejects.toThrow('version must be a positive integer, got 0');
    await expect(store.getVersion('iris', '1')).rejects.toThrow(
      'invalid alias name "1": an alias cannot be a number (pass a number to refer to a version)',
    );
  });

  it('lists only models that have versions, sorted', async () => {
    const { root, store } = await newStore();
    expect(await store.listModels()).toEqual([]);
    await store.register('zeta', { artifact: ARTIFACT });
    await store.register('Alpha', { artifact: ARTIFACT });
    await store.register('beta', { artifact: ARTIFACT });
    await writeFile(join(root, 'models', 'stray-file'), 'x');
    expect(await store.listModels()).toEqual(['Alpha', 'beta', 'zeta']);
  });
});

describe('FileSystemModelStore aliases', () => {
  it('refuses missing versions, reserved and numeric alias names', async () => {
    const { store } = await newStore();
    await store.register('iris', { artifact: ARTIFACT });
    await expect(store.setAlias('iris', 'production', 2)).rejects.toThrow(
      new NotFoundError('model "iris" has no version 2', { name: 'iris', version: 2 }),
    );
    await expect(store.setAlias('wine', 'production', 1)).rejects.toThrow(
      new NotFoundError('model "wine" does not exist', { name: 'wine', version: 1 }),
    );
    await expect(store.setAlias('iris', 'latest', 1)).rejects.toThrow(
      new InvalidNameError('invalid alias name "latest": it is reserved for the newest active version', {
        name: 'latest',
      }),
    );
    await expect(store.setAlias('iris', '42', 1)).rejects.toThrow(InvalidNameError);
    await expect(store.setAlias('iris', 'production', 1, { expectedVersion: 0 })).rejects.toThrow(
      'expectedVersion must be a positive integer, got 0',
    );
    expect(await store.aliasHistory('iris')).toEqual([]);
  });

  it('serialises concurrent unconditional moves so the history chains previous versions', async () => {
    const { store } = await newStore();
    for (let i = 0; i < 8; i++) await store.register('iris', { artifact: ARTIFACT });
    await Promise.all(Array.from({ length: 8 }, (_, i) => store.setAlias('iris', 'production', i + 1)));
    const history = await store.aliasHistory('iris');
    expect(history).toHaveLength(8);
    expect(history[0]?.previousVersion).toBeNull();
    for (let i = 1; i < history.length; i++) expect(history[i]?.previousVersion).toBe(history[i - 1]?.version);
    expect(await store.getAlias('iris', 'production')).toBe(history[7]?.version);
    expect(history.map((move) => move.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe('FileSystemModelStore archive and delete on disk', () => {
  it('keeps a deleted version as a tombstone, and verify() finishes a deletion a crash cut short', async () => {
    const { root, store } = await newStore();
    for (let i = 0; i < 3; i++) await store.register('iris', { artifact: ARTIFACT });
    await store.archiveVersion('iris', 1, { reason: 'old' });
    expect(JSON.parse(await readFile(join(root, 'models/iris/versions/1/status.json'), 'utf8'))).toEqual({
      status: 'archived',
      updatedAt: '2024-05-06T07:08:09.000Z',
      reason: 'old',
    });
    await store.deleteVersion('iris', 2, { reason: 'bad data' });
    expect(await readdir(join(root, 'models/iris/versions/2'))).toEqual(['deleted.json']);
    expect(JSON.parse(await readFile(join(root, 'models/iris/versions/2/deleted.json'), 'utf8'))).toEqual({
      name: 'iris',
      version: 2,
      deletedAt: '2024-05-06T07:08:09.000Z',
      reason: 'bad data',
    });

    // A crash after the tombstone was committed but before the files were removed:
    const tombstone = await readFile(join(root, 'models/iris/versions/2/deleted.json'));
    await writeFile(
      join(root, 'models/iris/versions/3/deleted.json'),
      tombstone.toString().replace('"version":2', '"version":3'),
    );
    await expect(store.getVersion('iris', 3)).rejects.toThrow('model "iris" version 3 was deleted');
    expect((await store.listVersions('iris')).map((v) => [v.version, v.status])).toEqual([[1, 'archived']]);
    await expect(store.getVersion('iris', 'latest')).rejects.toThrow('model "iris" has no active versions');
    const report = await store.verify();
    expect(report).toMatchObject({ ok: true, checkedVersions: 1 });
    expect(report.repairs).toEqual([
      'finished deleting model "iris" version 3: removed artifact.json, version.json',
      'version index of model "iris" rebuilt from its 1 version records', // no crash left a pending line for 3
    ]);
    expect(await readdir(join(root, 'models/iris/versions/3'))).toEqual(['deleted.json']);
    expect((await store.register('iris', { artifact: ARTIFACT })).version).toBe(4);
  });

  it('reports a corrupt status or tombstone instead of guessing', async () => {
    const { root, store } = await newStore();
    for (let i = 0; i < 2; i++) await store.register('iris', { artifact: ARTIFACT });
    await writeFile(join(root, 'models/iris/versions/1/status.json'), '{"status":"retired"}');
    await writeFile(join(root, 'models/iris/versions/2/deleted.json'), '{"name":"iris","version":7}');
    await expect(store.getVersion('iris', 1)).rejects.toThrow(
      'status.json of model "iris" version 1 is corrupt: "status" must be "active" or "archived"',
    );
    expect((await store.verify()).problems).toEqual([
      {
        name: 'iris',
        version: 1,
        problem: 'status.json of model "iris" version 1 is corrupt: "status" must be "active" or "archived"',
      },
      {
        name: 'iris',
        version: 2,
        problem: 'tombstone of model "iris" version 2 is corrupt: the tombstone names another version',
      },
    ]);
  });

  it('keeps a NaN feature (a missing value kept for the estimator) bit for bit through a dataset version', async () => {
    const { store } = await newStore();
    const dataset = {
      features: [
        [1, Number.NaN],
        [Number.NaN, 4],
      ],
      target: [0, 1],
      featureNames: ['a', 'b'],
      classNames: ['x', 'y'],
    };
    const version = await store.datasets.register('gaps', { dataset });
    const loaded = (await store.datasets.load('gaps', version.version)).dataset;
    expect(loaded.features[0]![1]).toBeNaN();
    expect(loaded.features[1]![0]).toBeNaN();
    expect(loaded.features[1]![1]).toBe(4);
    expect((await store.datasets.register('gaps', { dataset })).version).toBe(version.version); // same content
  });

  it('stores a dataset snapshot once, under datasets/, and never writes outside the root for bad names', async () => {
    const { root, store } = await newStore();
    const dataset = {
      features: [
        [1, 2],
        [3, 4],
      ],
      target: [0, 1],
      featureNames: ['a', 'b'],
      classNames: ['x', 'y'],
    };
    await store.datasets.register('toy', { dataset });
    await store.datasets.register('toy', { dataset });
    expect(Object.keys(await snapshot(join(root, 'datasets'))).sort()).toEqual([
      'toy',
      'toy/versions',
      'toy/versions/1',
      'toy/versions/1/data.json',
      'toy/versions/1/dataset.json',
    ]);
    const parent = await snapshot(join(root, '..'));
    for (const bad of ['../x', '/etc/x', '%2e%2e/x', 'a\u0000b', 'a\\b', 'x'.repeat(129)]) {
      await expect(store.datasets.register(bad, { dataset })).rejects.toThrow(InvalidNameError);
      await expect(store.datasets.load(bad, 1)).rejects.toThrow(InvalidNameError);
    }
    expect(await snapshot(join(root, '..'))).toEqual(parent);
  });
});
