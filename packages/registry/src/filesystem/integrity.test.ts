import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IntegrityError, InvalidArtifactError, MlopsError } from '@mlops/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FileSystemModelStore } from './file-system-store';
import { ARTIFACT, ARTIFACT_SHA256, FIXED_CLOCK, tempDir } from './__fixtures__/temp-root';

async function storeWithOneVersion() {
  const root = await tempDir();
  const store = new FileSystemModelStore({ root, clock: FIXED_CLOCK });
  await store.register('iris', { artifact: ARTIFACT });
  const artifactPath = join(root, 'models/iris/versions/1/artifact.json');
  const versionPath = join(root, 'models/iris/versions/1/version.json');
  return { root, store, artifactPath, versionPath, original: await readFile(artifactPath) };
}

/** Replaces artifact.json with `text` and updates the record's checksum to match, as a careful attacker would. */
async function forgeArtifact(artifactPath: string, versionPath: string, text: string): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  const record = JSON.parse(await readFile(versionPath, 'utf8')) as { artifact: { sha256: string; bytes: number } };
  record.artifact.sha256 = createHash('sha256').update(bytes).digest('hex');
  record.artifact.bytes = bytes.length;
  await writeFile(artifactPath, bytes);
  await writeFile(versionPath, JSON.stringify(record));
}

const checksumError = (found: string, bytes: number) =>
  new IntegrityError(
    `artifact of model "iris" version 1 failed its checksum: expected sha256 ${ARTIFACT_SHA256} (201 bytes), found ${found} (${bytes} bytes)`,
    { name: 'iris', version: 1 },
  );

describe('artifact checksum', () => {
  it('catches every single flipped byte of a stored artifact', async () => {
    const { store, artifactPath, original } = await storeWithOneVersion();
    expect(original.length).toBe(201);
    for (let position = 0; position < original.length; position++) {
      const flipped = Buffer.from(original);
      flipped[position] = (flipped[position] ?? 0) ^ 0x01;
      await writeFile(artifactPath, flipped);
      const error = await store.loadArtifact('iris', 1).catch((e: unknown) => e);
      expect(error).toEqual(checksumError(createHash('sha256').update(flipped).digest('hex'), 201));
    }
    await writeFile(artifactPath, original);
    expect((await store.loadArtifact('iris', 1)).artifact).toEqual(ARTIFACT);
  });

  it('catches any change of any byte (property)', async () => {
    const { store, artifactPath, original } = await storeWithOneVersion();
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: original.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (position, mask) => {
          const changed = Buffer.from(original);
          changed[position] = (changed[position] ?? 0) ^ mask;
          await writeFile(artifactPath, changed);
          await expect(store.loadArtifact('iris', 'latest')).rejects.toThrow(IntegrityError);
        },
      ),
      { numRuns: 100, seed: 42 },
    );
  });

  it('catches truncation, extension and a missing file', async () => {
    const { store, artifactPath, original } = await storeWithOneVersion();
    await writeFile(artifactPath, original.subarray(0, 200));
    await expect(store.loadArtifact('iris', 1)).rejects.toThrow(
      checksumError(createHash('sha256').update(original.subarray(0, 200)).digest('hex'), 200),
    );
    await appendFile(artifactPath, original.subarray(200));
    await appendFile(artifactPath, ' ');
    await expect(store.loadArtifact('iris', 1)).rejects.toThrow('(202 bytes)');
    await rm(artifactPath);
    await expect(store.loadArtifact('iris', 1)).rejects.toThrow(
      new IntegrityError('artifact of model "iris" version 1 is missing', { name: 'iris', version: 1 }),
    );
  });

  it('checks the artifact shape and its agreement with the record after the checksum', async () => {
    const { store, artifactPath, versionPath } = await storeWithOneVersion();
    await forgeArtifact(artifactPath, versionPath, JSON.stringify({ ...ARTIFACT, featureNames: 'x' }));
    await expect(store.loadArtifact('iris', 1)).rejects.toThrow(
      new InvalidArtifactError(
        'artifact of model "iris" version 1 is invalid: "featureNames" must be an array of strings',
        {
          name: 'iris',
          version: 1,
        },
      ),
    );
    await forgeArtifact(artifactPath, versionPath, '{"format":');
    await expect(store.loadArtifact('iris', 1)).rejects.toThrow(
      /^artifact of model "iris" version 1 is invalid: not valid JSON/,
    );
    await forgeArtifact(artifactPath, versionPath, JSON.stringify({ ...ARTIFACT, format: 'other' }));
    await expect(store.loadArtifact('iris', 1)).rejects.toThrow(
      new IntegrityError(
        'artifact of model "iris" version 1 contradicts its record: artifact is other v1 but the record says test-linear v1',
        { name: 'iris', version: 1 },
      ),
    );
    await forgeArtifact(artifactPath, versionPath, JSON.stringify({ ...ARTIFACT, classNames: ['a', 'b'] }));
    await expect(store.loadArtifact('iris', 1)).rejects.toThrow(
      'artifact class names differ from the record signature',
    );
  });
});

describe('prototype pollution', () => {
  const pollutingArtifacts = [
    `{"__proto__":{"polluted":"yes"},${JSON.stringify(ARTIFACT).slice(1)}`,
    JSON.stringify({ ...ARTIFACT, payload: { constructor: { prototype: { polluted: 'yes' } } } }),
    JSON.stringify({ ...ARTIFACT, params: { deep: [{ prototype: { polluted: 'yes' } }] } }),
    `{"__pro\\u0074o__":{"polluted":"yes"},${JSON.stringify(ARTIFACT).slice(1)}`,
  ];

  it('rejects forged artifacts with __proto__, constructor or prototype keys anywhere', async () => {
    const { store, artifactPath, versionPath } = await storeWithOneVersion();
    for (const text of pollutingArtifacts) {
      await forgeArtifact(artifactPath, versionPath, text);
      const error = await store.loadArtifact('iris', 1).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidArtifactError);
      expect((error as Error).message).toMatch(
        /^artifact of model "iris" version 1 is invalid: forbidden key "(__proto__|constructor|prototype)"$/,
      );
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });

  it('rejects a version.json, alias file or history line carrying such keys', async () => {
    const { root, store, versionPath } = await storeWithOneVersion();
    await store.setAlias('iris', 'production', 1);
    const original = await readFile(versionPath, 'utf8');

    await writeFile(versionPath, `{"__proto__":{"polluted":"yes"},${original.trim().slice(1)}`);
    const error = await store.getVersion('iris', 1).catch((e: unknown) => e);
    expect(error).toEqual(
      new IntegrityError('version record of model "iris" version 1 is corrupt: forbidden key "__proto__"', {
        name: 'iris',
        version: 1,
      }),
    );
    await expect(store.listVersions('iris')).rejects.toThrow(IntegrityError);
    await writeFile(versionPath, original);

    const aliasPath = join(root, 'models/iris/aliases/production.json');
    await writeFile(
      aliasPath,
      '{"alias":"production","version":1,"updatedAt":"2024-01-01T00:00:00Z","constructor":{"prototype":{"polluted":1}}}',
    );
    await expect(store.getAlias('iris', 'production')).rejects.toThrow(
      new IntegrityError('alias "production" of model "iris" is corrupt: forbidden key "prototype"', { name: 'iris' }),
    );

    await writeFile(join(root, 'models/iris/alias-history.ndjson'), '{"__proto__":{"polluted":1}}\n');
    await expect(store.aliasHistory('iris')).rejects.toThrow(
      new IntegrityError('alias history of model "iris" is corrupt at line 1: forbidden key "__proto__"', {
        name: 'iris',
      }),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('tampered records', () => {
  it('reports a malformed or misplaced version.json as IntegrityError naming the version', async () => {
    const { root, store, versionPath } = await storeWithOneVersion();
    const record = JSON.parse(await readFile(versionPath, 'utf8')) as Record<string, unknown>;
    const cases: [unknown, string][] = [
      [{ ...record, metrics: { accuracy: 'high' } }, 'is corrupt: "metrics" must map names to finite numbers'],
      [
        { ...record, artifact: { ...(record.artifact as object), sha256: 'XYZ' } },
        'is corrupt: "artifact.sha256" must be 64 lower-case hex digits',
      ],
      [{ ...record, version: 2 }, 'contradicts its location: it says model "iris" version 2'],
      [{ ...record, name: 'wine' }, 'contradicts its location: it says model "wine" version 1'],
      [[record], 'is corrupt: the record must be an object'],
    ];
    for (const [content, problem] of cases) {
      await writeFile(versionPath, JSON.stringify(content));
      await expect(store.getVersion('iris', 1)).rejects.toThrow(
        new IntegrityError(`version record of model "iris" version 1 ${problem}`, { name: 'iris', version: 1 }),
      );
    }
    await rm(versionPath);
    await expect(store.getVersion('iris', 1)).rejects.toThrow('model "iris" version 1 has no readable version.json');
    await mkdir(join(root, 'models/iris/aliases'), { recursive: true });
    await writeFile(
      join(root, 'models/iris/aliases/production.json'),
      '{"alias":"production","version":9,"updatedAt":"2024-01-01T00:00:00Z"}',
    );
    await expect(store.getVersion('iris', 'production')).rejects.toThrow(
      new IntegrityError('alias "production" of model "iris" points at version 9, which does not exist', {
        name: 'iris',
        version: 9,
      }),
    );
  });

  it('never crashes on any flipped byte of version.json: it loads or throws a typed error naming the version', async () => {
    const { store, versionPath } = await storeWithOneVersion();
    const original = await readFile(versionPath);
    const outcomes = new Set<string>();
    for (let position = 0; position < original.length; position++) {
      const flipped = Buffer.from(original);
      flipped[position] = (flipped[position] ?? 0) ^ 0x01;
      await writeFile(versionPath, flipped);
      try {
        await store.loadArtifact('iris', 1);
        outcomes.add('loaded');
      } catch (error) {
        expect(
          MlopsError.isInstance(error) &&
            (error as MlopsError).modelName === 'iris' &&
            (error as MlopsError).version === 1,
        ).toBe(true);
        outcomes.add((error as Error).name);
      }
    }
    expect([...outcomes].sort()).toEqual(['IntegrityError', 'loaded']);
  });
});
