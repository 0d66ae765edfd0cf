import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { VersionQuery } from '@mlops/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matches, newestFirst } from '../search/search';
import { FileSystemModelStore } from './file-system-store';
import { ARTIFACT, tempDir } from './__fixtures__/temp-root';

/** A clock that moves one second per reading, so creation times differ and order newest-first. */
function tickingClock(): { now: () => number } {
  let t = Date.parse('2024-05-06T07:08:09.000Z');
  return { now: () => (t += 1000) };
}

async function newStore(): Promise<{ root: string; store: FileSystemModelStore }> {
  const root = join(await tempDir(), 'registry');
  return { root, store: new FileSystemModelStore({ root, clock: tickingClock() }) };
}

/** What search must answer, computed from every version's files (no index involved). */
async function searchFromFiles(store: FileSystemModelStore, query: VersionQuery) {
  const names = query.name === undefined ? await store.listModels() : [query.name];
  const all = (await Promise.all(names.map((name) => store.listVersions(name)))).flat();
  const found = all.filter((version) => matches(version, query)).sort(newestFirst);
  const offset = query.offset ?? 0;
  return { versions: found.slice(offset, offset + (query.limit ?? 50)), total: found.length };
}

const QUERIES: VersionQuery[] = [
  {},
  { name: 'a', limit: 3 },
  { name: 'b', offset: 2, limit: 2 },
  { status: 'archived' },
  { status: 'active', name: 'a' },
  { tags: { team: 'x' } },
  { metric: { name: 'accuracy', min: 0.5 } },
];

type Op =
  | { kind: 'register'; model: 'a' | 'b'; accuracy: number; team: 'x' | 'y' }
  | { kind: 'archive' | 'restore' | 'delete'; model: 'a' | 'b'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('register' as const),
    model: fc.constantFrom('a' as const, 'b' as const),
    accuracy: fc.integer({ min: 0, max: 10 }).map((n) => n / 10),
    team: fc.constantFrom('x' as const, 'y' as const),
  }),
  fc.record({
    kind: fc.constantFrom('archive' as const, 'restore' as const, 'delete' as const),
    model: fc.constantFrom('a' as const, 'b' as const),
    pick: fc.nat(),
  }),
);

async function run(store: FileSystemModelStore, op: Op): Promise<void> {
  if (op.kind === 'register') {
    await store.register(op.model, { artifact: ARTIFACT, metrics: { accuracy: op.accuracy }, tags: { team: op.team } });
    return;
  }
  const versions = await store.listVersions(op.model);
  const target = versions[op.pick % Math.max(1, versions.length)];
  if (target === undefined) return;
  if (op.kind === 'archive') await store.archiveVersion(op.model, target.version);
  else if (op.kind === 'restore') await store.restoreVersion(op.model, target.version);
  else await store.deleteVersion(op.model, target.version);
}

async function expectSearchMatchesFiles(...stores: FileSystemModelStore[]): Promise<void> {
  for (const query of QUERIES) {
    const expected = await searchFromFiles(stores[0]!, query);
    for (const store of stores) expect(await store.searchVersions(query)).toEqual(expected);
  }
}

describe('the filesystem version index', () => {
  it('answers every search exactly as reading every file would, for any mix of writes, in this and another reader', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 14 }), async (ops) => {
        const { root, store } = await newStore();
        const reader = new FileSystemModelStore({ root }); // another process's view: reads what was appended since
        for (const op of ops) {
          await run(store, op);
          await reader.searchVersions({});
        }
        await expectSearchMatchesFiles(store, reader);
        await expectSearchMatchesFiles(new FileSystemModelStore({ root })); // cold
      }),
      { numRuns: 20 },
    );
  });

  it('costs speed, never correctness, when missing, damaged or left pending by a crash; verify() rebuilds it', async () => {
    const { root, store } = await newStore();
    for (let i = 0; i < 6; i++)
      await store.register('a', { artifact: ARTIFACT, metrics: { accuracy: i / 10 }, tags: { team: 'x' } });
    await store.archiveVersion('a', 2);
    const index = join(root, 'models/a/index.ndjson');
    const intact = await readFile(index, 'utf8');

    // A crash between the pending line and the status change's files: the version is read from its files.
    await appendFile(index, `${JSON.stringify({ op: 'pending', version: 3 })}\n`);
    await writeFile(
      join(root, 'models/a/versions/3/status.json'),
      `${JSON.stringify({ status: 'archived', updatedAt: '2024-05-06T07:08:09.000Z', reason: '' })}\n`,
    );
    // A torn append, garbage and a line that lies in shape.
    await appendFile(index, '{"op":"register","version":4,"createdAt":"2024-05-06T07:08:09.000Z","metri');
    await appendFile(index, '\nnot json\n{"op":"status","version":0,"status":"archived"}\n');
    await expectSearchMatchesFiles(store, new FileSystemModelStore({ root }));
    expect((await store.searchVersions({ status: 'archived' })).versions.map((v) => v.version)).toEqual([3, 2]);

    const report = await store.verify();
    expect(report).toMatchObject({
      ok: true,
      repairs: ['version index of model "a" rebuilt from its 6 version records'],
    });
    expect((await store.verify()).repairs).toEqual([]);
    await expectSearchMatchesFiles(store, new FileSystemModelStore({ root }));

    // A registry written before the index existed, and one whose index was deleted: every version from its files.
    await rm(index);
    await expectSearchMatchesFiles(store, new FileSystemModelStore({ root }));
    expect((await store.verify()).repairs).toEqual(['version index of model "a" rebuilt from its 6 version records']);
    expect(await readFile(index, 'utf8')).not.toBe(intact); // version 3 is archived now
    await expectSearchMatchesFiles(store, new FileSystemModelStore({ root }));
  });

  it('keeps the numbers of deleted versions out of search even when their index line was lost', async () => {
    const { root, store } = await newStore();
    for (let i = 0; i < 3; i++) await store.register('a', { artifact: ARTIFACT });
    await store.deleteVersion('a', 2);
    const index = join(root, 'models/a/index.ndjson');
    const lines = (await readFile(index, 'utf8')).split('\n').filter((line) => !line.includes('"delete"'));
    await writeFile(index, lines.join('\n'));
    expect((await new FileSystemModelStore({ root }).searchVersions({})).versions.map((v) => v.version)).toEqual([
      3, 1,
    ]);
  });
});
