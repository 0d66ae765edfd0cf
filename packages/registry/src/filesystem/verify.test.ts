import { createHash } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, rename, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostTag, tempEntryName } from './fs/owner';
import { FileSystemModelStore } from './file-system-store';
import { ARTIFACT, ARTIFACT_SHA256, deadPid, FIXED_CLOCK, tempDir } from './__fixtures__/temp-root';

async function populatedStore() {
  const root = await tempDir();
  const store = new FileSystemModelStore({ root, clock: FIXED_CLOCK });
  for (let i = 0; i < 4; i++) await store.register('iris', { artifact: ARTIFACT });
  await store.register('wine', { artifact: ARTIFACT });
  await store.setAlias('iris', 'production', 2, { reason: 'first' });
  return { root, store };
}

describe('verify', () => {
  it('reports a clean store as ok', async () => {
    const { store } = await populatedStore();
    expect(await store.verify()).toEqual({
      ok: true,
      checkedVersions: 5,
      checkedDatasetVersions: 0,
      problems: [],
      removedTempEntries: [],
      repairs: [],
    });
    expect(await new FileSystemModelStore({ root: await tempDir() }).verify()).toEqual({
      ok: true,
      checkedVersions: 0,
      checkedDatasetVersions: 0,
      problems: [],
      removedTempEntries: [],
      repairs: [],
    });
  });

  it('reports damage as data and removes only abandoned staging entries', async () => {
    const { root, store } = await populatedStore();
    const iris = join(root, 'models', 'iris');

    // A register killed mid-way (its process is gone), a live one (this process), and unknown junk, old and new.
    const abandoned = tempEntryName('register', { host: hostTag(), pid: deadPid() });
    const live = tempEntryName('register');
    await mkdir(join(root, 'tmp', abandoned));
    await writeFile(join(root, 'tmp', abandoned, 'artifact.json'), '{"half":');
    await mkdir(join(root, 'tmp', live));
    await writeFile(join(root, 'tmp', 'junk-old'), 'x');
    await writeFile(join(root, 'tmp', 'junk-new'), 'x');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600 * 1000);
    await utimes(join(root, 'tmp', 'junk-old'), twoHoursAgo, twoHoursAgo);

    // A flipped artifact byte in v1, v3 moved to 6 (3 and 5 become gaps), stray entries, a bad alias, a torn history line.
    const artifactPath = join(iris, 'versions/1/artifact.json');
    const flipped = Buffer.from(await readFile(artifactPath));
    flipped[10] = (flipped[10] ?? 0) ^ 0x20;
    await writeFile(artifactPath, flipped);
    await rename(join(iris, 'versions/3'), join(iris, 'versions/6'));
    await mkdir(join(iris, 'versions/notes'));
    await writeFile(
      join(iris, 'aliases/staging.json'),
      '{"alias":"staging","version":9,"updatedAt":"2024-01-01T00:00:00Z"}',
    );
    await writeFile(join(iris, 'aliases/README'), 'x');
    await appendFile(join(iris, 'alias-history.ndjson'), '{"alias":"produ');
    await mkdir(join(root, 'models', '.DS_Store'));

    const report = await store.verify();
    const flippedSha = createHash('sha256').update(flipped).digest('hex');
    expect(report).toEqual({
      ok: false,
      checkedVersions: 5,
      checkedDatasetVersions: 0,
      problems: [
        { name: '.DS_Store', problem: 'unexpected entry ".DS_Store" in models/' },
        { name: 'iris', problem: 'unexpected entry "notes" in versions/' },
        {
          name: 'iris',
          version: 1,
          problem: `artifact of model "iris" version 1 failed its checksum: expected sha256 ${ARTIFACT_SHA256} (201 bytes), found ${flippedSha} (201 bytes)`,
        },
        {
          name: 'iris',
          version: 6,
          problem: 'version record of model "iris" version 6 contradicts its location: it says model "iris" version 3',
        },
        { name: 'iris', version: 3, problem: 'version 3 is missing (versions go up to 6)' },
        { name: 'iris', version: 5, problem: 'version 5 is missing (versions go up to 6)' },
        { name: 'iris', problem: 'unexpected entry "README" in aliases/' },
        {
          name: 'iris',
          alias: 'staging',
          version: 9,
          problem: 'alias "staging" points at version 9, which does not exist or was deleted',
        },
        {
          name: 'iris',
          problem: expect.stringMatching(
            /^alias-history\.ndjson line 2 was cut short by an interrupted write: not valid JSON \(/,
          ),
        },
        {
          name: 'iris',
          alias: 'staging',
          version: 9,
          problem: 'alias "staging" points at version 9 but alias-history.ndjson has no entry for it',
        },
      ],
      removedTempEntries: [abandoned, 'junk-old'].sort(),
      repairs: [],
    });
    expect((await readdir(join(root, 'tmp'))).sort()).toEqual(['junk-new', live].sort());

    // Reads skip the torn line; the next move (under the lock) cuts it off before appending.
    expect((await store.aliasHistory('iris')).map((move) => move.version)).toEqual([2]);
    await store.setAlias('iris', 'production', 4, { expectedVersion: 2 });
    expect((await store.aliasHistory('iris')).map((move) => [move.version, move.previousVersion])).toEqual([
      [2, null],
      [4, 2],
    ]);
    const again = await store.verify();
    expect(again.removedTempEntries).toEqual([]);
    expect(again.problems.filter((p) => p.problem.startsWith('alias-history.ndjson line'))).toEqual([]);
  });
});
