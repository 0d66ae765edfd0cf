// One behaviour suite for every ModelStore backend (not exported from the package).
import {
  ConflictError,
  IntegrityError,
  InvalidNameError,
  NotFoundError,
  type ModelArtifact,
  type ModelStore,
} from '@mlops/core';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AliasMove } from '../records/alias-record';
import type { VersionPage, VersionQuery } from '../search/search';
import type { VerifyReport } from '../store/options';

/** A backend under test, with the extra operations both backends have and a way to damage stored bytes. */
export interface ConformanceSubject {
  readonly store: ModelStore & {
    aliasHistory(name: string, alias?: string): Promise<AliasMove[]>;
    verify(): Promise<VerifyReport>;
    searchVersions(query?: VersionQuery): Promise<VersionPage>;
  };
  /** Flips one byte (XOR 0xff at `offset`) of the stored artifact of a version. */
  readonly flipArtifactByte: (name: string, version: number, offset: number) => Promise<void>;
  readonly artifactLength: (name: string, version: number) => Promise<number>;
  /** How a child process opens the same store: `fs:<root>` or `pg:<url>#<schema>`. */
  readonly spec: string;
  readonly cleanup: () => Promise<void>;
}

const artifact = (weights: number[]): ModelArtifact => ({
  format: 'linear',
  formatVersion: 1,
  featureNames: ['a', 'b'],
  classNames: ['no', 'yes'],
  params: { l2: 0.1 },
  payload: { weights },
});

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const worker = join(here, '..', 'store', '__fixtures__', 'register-worker.ts');

/** Runs the worker script in `count` child processes (tsx runs it from src/, no build needed). */
function children(count: number, args: (id: number) => string[]): Promise<string[]> {
  return Promise.all(
    Array.from({ length: count }, (_, id) =>
      run(process.execPath, ['--import', 'tsx', worker, ...args(id)], { cwd: join(here, '..', '..') }).then((out) => out.stdout),
    ),
  );
}

/** Registers the shared ModelStore conformance suite for one backend. */
export function describeModelStoreConformance(label: string, makeSubject: () => Promise<ConformanceSubject>): void {
  describe(`ModelStore conformance: ${label}`, () => {
    let subject: ConformanceSubject;
    beforeAll(async () => {
      subject = await makeSubject();
    });
    afterAll(async () => subject?.cleanup());

    it('numbers versions 1, 2, 3 and keeps every field', async () => {
      const { store } = subject;
      const v1 = await store.register('iris', {
        artifact: artifact([1, 2]),
        metrics: { accuracy: 0.97 },
        tags: { team: 'ml' },
        description: 'first',
        dataset: { fingerprint: 'ab12', name: 'iris', version: 3 },
      });
      const v2 = await store.register('iris', { artifact: artifact([3, 4]), parentVersion: 1 });
      const v3 = await store.register('iris', { artifact: artifact([5, 6]) });
      expect([v1.version, v2.version, v3.version]).toEqual([1, 2, 3]);
      expect(v1).toMatchObject({
        name: 'iris',
        params: { l2: 0.1 },
        metrics: { accuracy: 0.97 },
        tags: { team: 'ml' },
        description: 'first',
        dataset: { fingerprint: 'ab12', name: 'iris', version: 3 },
        signature: { featureNames: ['a', 'b'], classNames: ['no', 'yes'] },
      });
      expect(v1.artifact.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(v2.parentVersion).toBe(1);
      expect(await store.getVersion('iris', 1)).toEqual(v1);
      expect((await store.getVersion('iris', 'latest')).version).toBe(3);
      expect((await store.loadArtifact('iris', 2)).artifact).toEqual(artifact([3, 4]));
      expect((await store.listVersions('iris')).map((v) => v.version)).toEqual([1, 2, 3]);
      expect(await store.listModels()).toContain('iris');
    });

    it('moves aliases by compare-and-set and keeps their history', async () => {
      const { store } = subject;
      await store.setAlias('iris', 'production', 1, { expectedVersion: null, reason: 'first' });
      await store.setAlias('iris', 'production', 2, { expectedVersion: 1, reason: 'better' });
      await expect(store.setAlias('iris', 'production', 3, { expectedVersion: 1 })).rejects.toThrow(ConflictError);
      await expect(store.setAlias('iris', 'production', 3, { expectedVersion: null })).rejects.toThrow(
        'alias "production" of model "iris" points at version 2; expected it not to exist',
      );
      expect(await store.getAlias('iris', 'production')).toBe(2);
      expect((await store.getVersion('iris', 'production')).version).toBe(2);
      expect((await store.aliasHistory('iris', 'production')).map((m) => [m.previousVersion, m.version, m.reason])).toEqual([
        [null, 1, 'first'],
        [1, 2, 'better'],
      ]);
      await expect(store.setAlias('iris', 'production', 9)).rejects.toThrow(NotFoundError);
      expect(await store.getAlias('iris', 'staging')).toBeUndefined();
    });

    it('searches by name, tag and metric, newest first, in pages', async () => {
      const { store } = subject;
      for (let i = 0; i < 5; i++) {
        await store.register('search', { artifact: artifact([i, i]), metrics: { accuracy: 0.8 + i * 0.04 }, tags: { parity: i % 2 ? 'odd' : 'even' } });
      }
      const all = await store.searchVersions({ name: 'search' });
      expect(all.total).toBe(5);
      expect(all.versions.map((v) => v.version)).toEqual([5, 4, 3, 2, 1]);
      const good = await store.searchVersions({ name: 'search', metric: { name: 'accuracy', min: 0.87 } });
      expect(good.versions.map((v) => v.version)).toEqual([5, 4, 3]);
      const even = await store.searchVersions({ tags: { parity: 'even' }, metric: { name: 'accuracy', max: 0.85 } });
      expect(even.versions.map((v) => [v.name, v.version])).toEqual([['search', 1]]);
      const page = await store.searchVersions({ name: 'search', limit: 2, offset: 2 });
      expect(page).toMatchObject({ total: 5 });
      expect(page.versions.map((v) => v.version)).toEqual([3, 2]);
      expect((await store.searchVersions({ name: 'search', offset: 10 })).total).toBe(5);
      await expect(store.searchVersions({ limit: 0 })).rejects.toThrow('limit must be an integer in [1, 1000], got 0');
    });

    it('names what is missing', async () => {
      const { store } = subject;
      await expect(store.getVersion('iris', 7)).rejects.toThrow('model "iris" has no version 7');
      await expect(store.getVersion('iris', 'staging')).rejects.toThrow('model "iris" has no alias "staging"');
      await expect(store.getVersion('wine', 1)).rejects.toThrow('model "wine" does not exist');
      await expect(store.register('iris', { artifact: artifact([0, 0]), parentVersion: 99 })).rejects.toThrow(NotFoundError);
      expect(await store.listVersions('wine')).toEqual([]);
    });

    it('rejects unsafe names and keeps existing versions', async () => {
      const { store } = subject;
      for (const bad of ['../x', '/etc/x', '%2e%2e/x', 'a\u0000b', 'a\\b', 'x'.repeat(129), '', '.hidden']) {
        await expect(store.register(bad, { artifact: artifact([1, 1]) })).rejects.toThrow(InvalidNameError);
      }
      await expect(store.setAlias('iris', '../evil', 1)).rejects.toThrow(InvalidNameError);
      expect((await store.listVersions('iris')).map((v) => v.version)).toEqual([1, 2, 3]);
    });

    it('detects a flipped byte anywhere in a stored artifact', async () => {
      const { store } = subject;
      const { version } = await store.register('tamper', { artifact: artifact([7, 8]) });
      const length = await subject.artifactLength('tamper', version);
      for (let offset = 0; offset < length; offset++) {
        await subject.flipArtifactByte('tamper', version, offset);
        await expect(store.loadArtifact('tamper', version)).rejects.toThrow(IntegrityError);
        await subject.flipArtifactByte('tamper', version, offset); // restore
      }
      expect((await store.loadArtifact('tamper', version)).artifact).toEqual(artifact([7, 8]));
      await subject.flipArtifactByte('tamper', version, 0);
      const report = await store.verify();
      expect(report.ok).toBe(false);
      expect(report.problems).toEqual([expect.objectContaining({ name: 'tamper', version })]);
      await subject.flipArtifactByte('tamper', version, 0);
      expect((await store.verify()).ok).toBe(true);
    });

    it('gives concurrent registrations distinct consecutive numbers', async () => {
      const { store } = subject;
      const versions = await Promise.all(Array.from({ length: 20 }, (_, i) => store.register('burst', { artifact: artifact([i, i]) })));
      expect(versions.map((v) => v.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it('gives 8 processes × 50 registrations exactly versions 1..400', async () => {
      const outputs = await children(8, (id) => [subject.spec, 'register', 'crowd', '50', `w${id}`]);
      const perProcess = outputs.map((out) => JSON.parse(out) as number[]);
      for (const versions of perProcess) expect([...versions].sort((a, b) => a - b)).toEqual(versions);
      expect(perProcess.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
      const listed = await subject.store.listVersions('crowd');
      expect(listed.map((v) => v.version)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
      expect(new Set(listed.map((v) => `${v.tags.workerId}:${v.tags.i}`)).size).toBe(400);
    }, 60_000);

    it('lets exactly one of many processes claim an alias by compare-and-set', async () => {
      await subject.store.register('claim', { artifact: artifact([1, 1]) });
      const outcomes = await children(6, () => [subject.spec, 'claim', 'claim', 'production', '1']);
      expect(outcomes.filter((o) => o === 'won')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'lost')).toHaveLength(5);
      expect(await subject.store.aliasHistory('claim', 'production')).toHaveLength(1);
    }, 60_000);

    it('lets exactly one concurrent compare-and-set win', async () => {
      const { store } = subject;
      const { version } = await store.register('race', { artifact: artifact([1, 0]) });
      const attempts = await Promise.allSettled(
        Array.from({ length: 10 }, () => store.setAlias('race', 'production', version, { expectedVersion: null })),
      );
      expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
      expect(attempts.filter((a) => a.status === 'rejected' && ConflictError.isInstance(a.reason))).toHaveLength(9);
    });
  });
}
