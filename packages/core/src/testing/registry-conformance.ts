import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../contracts/dataset';
import type { ModelArtifact } from '../contracts/model';
import type { Registry } from '../contracts/registry';
import { ConflictError, IntegrityError, InvalidInputError, InvalidNameError, NotFoundError } from '../errors/errors';
import { fingerprint } from '../fingerprint/fingerprint';

/**
 * A registry backend under test. `tamper` lets the suite damage stored bytes (skipped without it); `processes` runs
 * registrations and alias claims in child processes on the same registry (skipped without it).
 */
export interface RegistryConformanceSubject {
  /** A fresh, empty registry. */
  readonly store: Registry;
  /** Ways to damage stored bytes; the integrity tests skip without them. */
  readonly tamper?: {
    /** Flips one byte (XOR 0xff at `offset`) of the stored artifact of a version. */
    flipArtifactByte(name: string, version: number, offset: number): Promise<void>;
    /** Stored length of a version's artifact, in bytes. */
    artifactLength(name: string, version: number): Promise<number>;
    /** Flips one byte of the stored data of a dataset version. */
    flipDatasetByte(name: string, version: number, offset: number): Promise<void>;
    /** How many snapshots of a dataset are physically stored (files or rows). */
    storedSnapshots(name: string): Promise<number>;
  };
  /** Child processes on the same registry; the multi-process tests skip without them. */
  readonly processes?: {
    /** `processes` children each register `perProcess` versions of `name` (tags `workerId`, `i`); their version numbers. */
    register(name: string, processes: number, perProcess: number): Promise<number[][]>;
    /** `processes` children each try `setAlias(name, alias, version, { expectedVersion: null })`: `won` or `lost`. */
    claim(name: string, alias: string, version: number, processes: number): Promise<string[]>;
  };
  /** Removes what the registry stored (called once, after the suite). */
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

/**
 * Registers (with vitest) the behaviour suite every `Registry` backend must pass: gap-free version numbers, aliases
 * by compare-and-set with history and rollback, search, archive/restore/delete, content-versioned datasets and
 * lineage, decisions, integrity checks, and concurrency. Call it in a test file with a factory for a fresh, empty
 * registry: `describeRegistryConformance('my backend', async () => ({ store: new MyRegistry(), cleanup }))`.
 */
export function describeRegistryConformance(
  label: string,
  makeSubject: () => Promise<RegistryConformanceSubject>,
): void {
  describe(`Registry conformance: ${label}`, () => {
    let subject: RegistryConformanceSubject;
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
        dataset: { fingerprint: 'ab12', name: 'iris' },
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
        dataset: { fingerprint: 'ab12', name: 'iris' },
        signature: { featureNames: ['a', 'b'], featureTypes: ['number', 'number'], classNames: ['no', 'yes'] },
        status: 'active',
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
      expect(
        (await store.aliasHistory('iris', 'production')).map((m) => [m.previousVersion, m.version, m.kind, m.reason]),
      ).toEqual([
        [null, 1, 'set', 'first'],
        [1, 2, 'set', 'better'],
      ]);
      await expect(store.setAlias('iris', 'production', 9)).rejects.toThrow(NotFoundError);
      expect(await store.getAlias('iris', 'staging')).toBeUndefined();
    });

    it('searches by name, tag and metric, newest first, in pages', async () => {
      const { store } = subject;
      for (let i = 0; i < 5; i++) {
        await store.register('search', {
          artifact: artifact([i, i]),
          metrics: { accuracy: 0.8 + i * 0.04 },
          tags: { parity: i % 2 ? 'odd' : 'even' },
        });
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
      await expect(store.register('iris', { artifact: artifact([0, 0]), parentVersion: 99 })).rejects.toThrow(
        NotFoundError,
      );
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

    it('rolls an alias back step by step, and only when there is somewhere to go', async () => {
      const { store } = subject;
      for (let i = 0; i < 3; i++) await store.register('roll', { artifact: artifact([i, 1]) });
      await expect(store.rollback('roll', 'production')).rejects.toThrow(
        'cannot roll back alias "production" of model "roll": it does not exist',
      );
      for (const version of [1, 2, 3]) await store.setAlias('roll', 'production', version);
      const back = await store.rollback('roll', 'production', { reason: 'v3 misbehaves' });
      expect(back).toMatchObject({
        alias: 'production',
        version: 2,
        previousVersion: 3,
        kind: 'rollback',
        reason: 'v3 misbehaves',
      });
      expect(await store.getAlias('roll', 'production')).toBe(2);
      await expect(store.rollback('roll', 'production', { expectedVersion: 3 })).rejects.toThrow(ConflictError);
      expect((await store.rollback('roll', 'production', { expectedVersion: 2 })).version).toBe(1);
      await expect(store.rollback('roll', 'production')).rejects.toThrow(
        'cannot roll back alias "production" of model "roll": it points at version 1 and has no earlier version to return to',
      );
      await store.setAlias('roll', 'production', 3);
      expect((await store.rollback('roll', 'production')).version).toBe(1);
      expect(
        (await store.aliasHistory('roll', 'production')).map((m) => `${m.kind}:${m.previousVersion}->${m.version}`),
      ).toEqual(['set:null->1', 'set:1->2', 'set:2->3', 'rollback:3->2', 'rollback:2->1', 'set:1->3', 'rollback:3->1']);
      expect((await store.verify()).ok).toBe(true);
    });

    it('archives, restores and deletes versions without renumbering the others', async () => {
      const { store } = subject;
      for (let i = 1; i <= 4; i++) await store.register('retire', { artifact: artifact([i, 0]) });
      await store.setAlias('retire', 'production', 2);
      await expect(store.archiveVersion('retire', 2)).rejects.toThrow(
        'cannot archive model "retire" version 2: alias "production" points at it; move it first',
      );
      await expect(store.deleteVersion('retire', 2)).rejects.toThrow(ConflictError);

      expect((await store.archiveVersion('retire', 4, { reason: 'worse' })).status).toBe('archived');
      expect((await store.getVersion('retire', 'latest')).version).toBe(3);
      await store.archiveVersion('retire', 3);
      expect((await store.getVersion('retire', 'latest')).version).toBe(2);
      expect((await store.loadArtifact('retire', 3)).artifact).toEqual(artifact([3, 0])); // still loadable by number
      await expect(store.setAlias('retire', 'staging', 3)).rejects.toThrow(
        'cannot point alias "staging" at model "retire" version 3: it is archived; restore it first',
      );
      expect(
        (await store.searchVersions({ name: 'retire', status: 'archived' })).versions.map((v) => v.version),
      ).toEqual([4, 3]);
      expect((await store.restoreVersion('retire', 3)).status).toBe('active');
      expect((await store.getVersion('retire', 'latest')).version).toBe(3);

      await store.deleteVersion('retire', 4, { reason: 'never used' });
      await expect(store.getVersion('retire', 4)).rejects.toThrow(
        expect.objectContaining({ message: 'model "retire" version 4 was deleted', code: 'NOT_FOUND', version: 4 }),
      );
      await expect(store.loadArtifact('retire', 4)).rejects.toThrow('model "retire" version 4 was deleted');
      await expect(store.deleteVersion('retire', 4)).rejects.toThrow(NotFoundError);
      expect((await store.listVersions('retire')).map((v) => [v.version, v.status])).toEqual([
        [1, 'active'],
        [2, 'active'],
        [3, 'active'],
      ]);
      expect((await store.register('retire', { artifact: artifact([5, 0]) })).version).toBe(5);
      await store.deleteVersion('retire', 1);
      for (const [version, weights] of [
        [2, [2, 0]],
        [3, [3, 0]],
        [5, [5, 0]],
      ] as const) {
        expect((await store.loadArtifact('retire', version)).artifact).toEqual(artifact([...weights]));
      }
      expect(await store.getAlias('retire', 'production')).toBe(2);
      expect((await store.verify()).ok).toBe(true);
    });

    it('versions datasets by content: same content, same version, one stored copy', async () => {
      const { store } = subject;
      const data: Dataset = {
        features: [
          [1, -0],
          [2.5, 3],
        ],
        target: [0, 1],
        featureNames: ['a', 'b'],
        classNames: ['no', 'yes'],
      };
      const v1 = await store.datasets.register('train', {
        dataset: data,
        description: 'first',
        tags: { source: 'test' },
      });
      expect(v1).toMatchObject({
        name: 'train',
        version: 1,
        fingerprint: fingerprint(data),
        description: 'first',
        tags: { source: 'test' },
        rows: 2,
        featureNames: ['a', 'b'],
        featureTypes: ['number', 'number'],
        classNames: ['no', 'yes'],
      });
      const again = await Promise.all(
        Array.from({ length: 5 }, () => store.datasets.register('train', { dataset: { ...data } })),
      );
      expect(again).toEqual(Array.from({ length: 5 }, () => v1));
      const changed = {
        ...data,
        features: [
          [1, 0],
          [2.5, 3],
        ],
      }; // -0 → 0 is a change of content
      const v2 = await store.datasets.register('train', { dataset: changed });
      expect(v2.version).toBe(2);
      if (subject.tamper) expect(await subject.tamper.storedSnapshots('train')).toBe(2);
      expect(await store.datasets.findVersion('train', fingerprint(data))).toEqual(v1);
      expect(await store.datasets.findVersion('train', '0'.repeat(64))).toBeUndefined();
      expect((await store.datasets.getVersion('train', 'latest')).version).toBe(2);
      expect((await store.datasets.listVersions('train')).map((v) => v.version)).toEqual([1, 2]);
      expect(await store.datasets.list()).toContain('train');
      const loaded = await store.datasets.load('train', 1);
      expect(loaded.dataset).toMatchObject({ featureNames: ['a', 'b'], classNames: ['no', 'yes'], target: [0, 1] });
      expect(Object.is(loaded.dataset.features[0]![1], -0)).toBe(true);
      expect(fingerprint(loaded.dataset)).toBe(v1.fingerprint);
      // Category levels (codes per column, null for numbers) come back as registered and are part of the content.
      const coded = {
        ...data,
        features: [
          [1, 0],
          [0, 3],
        ],
        levels: [['red', 'blue'], null],
      };
      const v3 = await store.datasets.register('coded', { dataset: coded });
      expect(v3.levels).toEqual([['red', 'blue'], null]);
      expect((await store.datasets.load('coded', 1)).dataset.levels).toEqual([['red', 'blue'], null]);
      expect(
        (await store.datasets.register('coded', { dataset: { ...coded, levels: [['red', 'green'], null] } })).version,
      ).toBe(2);
      await expect(store.datasets.getVersion('train', 3)).rejects.toThrow(
        expect.objectContaining({ message: 'dataset "train" has no version 3', code: 'NOT_FOUND' }),
      );
      await expect(store.datasets.getVersion('nothing', 'latest')).rejects.toThrow('dataset "nothing" does not exist');
      await expect(store.datasets.register('../x', { dataset: data })).rejects.toThrow(InvalidNameError);
      await expect(
        store.datasets.register('train', {
          dataset: {
            ...data,
            features: [
              [1, 2],
              [3, Number.POSITIVE_INFINITY],
            ],
          },
        }),
      ).rejects.toThrow('features row 1, column 1 (b) is Infinity: expected a finite number or NaN (missing)');
      // NaN is a missing value kept for an estimator that handles it: stored and loaded bit for bit.
      const gaps = {
        ...data,
        features: [
          [1, Number.NaN],
          [3, 4],
        ],
      };
      expect((await store.datasets.register('train', { dataset: gaps })).version).toBe(3);
      expect((await store.datasets.load('train', 3)).dataset.features[0]![1]).toBeNaN();
      if (subject.tamper) expect(await subject.tamper.storedSnapshots('train')).toBe(3);

      if (!subject.tamper) return;
      await subject.tamper.flipDatasetByte('train', 2, 40);
      await expect(store.datasets.load('train', 2)).rejects.toThrow(IntegrityError);
      const report = await store.verify();
      expect(report.problems).toEqual([expect.objectContaining({ kind: 'dataset', name: 'train', version: 2 })]);
      await subject.tamper.flipDatasetByte('train', 2, 40);
      expect(await store.verify()).toMatchObject({ ok: true });
    });

    it('links model versions to the dataset version they were trained on', async () => {
      const { store } = subject;
      const data: Dataset = {
        features: [
          [0, 1],
          [1, 0],
          [1, 1],
        ],
        target: [0, 1, 1],
        featureNames: ['a', 'b'],
        featureTypes: ['boolean', 'integer'],
        classNames: ['no', 'yes'],
      };
      const trained = await store.datasets.register('flags', { dataset: data });
      const model = await store.register('linked', { artifact: artifact([1, 1]), dataset: trained });
      expect(model.dataset).toEqual({ fingerprint: trained.fingerprint, name: 'flags', version: 1 });
      expect(model.signature.featureTypes).toEqual(['boolean', 'integer']);
      await store.register('linked', { artifact: artifact([2, 2]) });
      const fed = await store.searchVersions({ dataset: { name: 'flags', version: 1 } });
      expect(fed.versions.map((v) => [v.name, v.version])).toEqual([['linked', 1]]);
      await expect(
        store.register('linked', { artifact: artifact([1, 1]), dataset: { ...trained, version: 9 } }),
      ).rejects.toThrow(
        expect.objectContaining({
          message:
            'cannot register model "linked": its lineage names dataset "flags" version 9, which is not registered',
          code: 'NOT_FOUND',
        }),
      );
      await expect(
        store.register('linked', { artifact: artifact([1, 1]), dataset: { ...trained, fingerprint: 'f'.repeat(64) } }),
      ).rejects.toThrow(InvalidInputError);
      await expect(
        store.register('linked', { artifact: { ...artifact([1, 1]), featureNames: ['a', 'c'] }, dataset: trained }),
      ).rejects.toThrow(
        'cannot register model "linked": the model takes features [a, c] but dataset "flags" version 1 has [a, b]',
      );
      await expect(
        store.register('linked', {
          artifact: artifact([1, 1]),
          dataset: { fingerprint: trained.fingerprint, version: 1 },
        }),
      ).rejects.toThrow('dataset.version needs dataset.name');
      await expect(store.register('linked', { artifact: artifact([1, 1]), featureTypes: ['number'] })).rejects.toThrow(
        'featureTypes has 1 entries but the model has 2 features',
      );
      expect((await store.listVersions('linked')).map((v) => v.version)).toEqual([1, 2]);
    });

    it("keeps each model's lifecycle decisions in order and validates them", async () => {
      const { store } = subject;
      const base = { runId: 'r1', at: '2026-01-01T00:00:00.000Z', model: 'decided', trigger: 'accuracy' } as const;
      await store.decisions.append({
        ...base,
        phase: 'started',
        championVersion: 1,
        training: { name: 'decided-training', version: 2, fingerprint: 'ab' },
      });
      await store.decisions.append({ ...base, phase: 'registered', challengerVersion: 2 });
      const batch = { name: 'decided-batches', version: 1, fingerprint: 'a'.repeat(64), rows: 30 };
      await store.decisions.append({
        ...base,
        phase: 'done',
        action: 'promoted',
        reason: 'better',
        productionVersion: 2,
        triggers: ['accuracy', 'drift'],
        batch,
        metrics: { accuracy: 0.9 },
      });
      await store.decisions.append({ ...base, model: 'other', phase: 'done', action: 'kept' });
      const listed = await store.decisions.list('decided');
      expect(listed.map((r) => r.phase)).toEqual(['started', 'registered', 'done']);
      expect(listed[2]).toEqual({
        ...base,
        phase: 'done',
        action: 'promoted',
        reason: 'better',
        productionVersion: 2,
        triggers: ['accuracy', 'drift'],
        batch,
        metrics: { accuracy: 0.9 },
      });
      await expect(
        store.decisions.append({ ...base, phase: 'done', action: 'skipped', triggers: ['panic' as never] }),
      ).rejects.toThrow('cannot record a decision: "triggers" must be a list of lifecycle triggers');
      await expect(
        store.decisions.append({ ...base, phase: 'done', action: 'skipped', batch: { ...batch, fingerprint: 'x' } }),
      ).rejects.toThrow('cannot record a decision: "batch" must be { name, version, fingerprint (sha256 hex), rows }');
      await expect(store.decisions.append({ ...base, phase: 'done', action: 'exploded' as never })).rejects.toThrow(
        'cannot record a decision: "action" is not a lifecycle action',
      );
      await expect(store.decisions.append({ ...base, model: '../x', phase: 'done' })).rejects.toThrow(InvalidNameError);
      expect(await store.decisions.list('nobody')).toEqual([]);
    });

    it('detects a flipped byte anywhere in a stored artifact', async (context) => {
      const { store, tamper } = subject;
      if (!tamper) return context.skip();
      const { version } = await store.register('tamper', { artifact: artifact([7, 8]) });
      const length = await tamper.artifactLength('tamper', version);
      for (let offset = 0; offset < length; offset++) {
        await tamper.flipArtifactByte('tamper', version, offset);
        await expect(store.loadArtifact('tamper', version)).rejects.toThrow(IntegrityError);
        await tamper.flipArtifactByte('tamper', version, offset); // restore
      }
      expect((await store.loadArtifact('tamper', version)).artifact).toEqual(artifact([7, 8]));
      await tamper.flipArtifactByte('tamper', version, 0);
      const report = await store.verify();
      expect(report.ok).toBe(false);
      expect(report.problems).toEqual([expect.objectContaining({ name: 'tamper', version })]);
      await tamper.flipArtifactByte('tamper', version, 0);
      expect((await store.verify()).ok).toBe(true);
    });

    it('gives concurrent registrations distinct consecutive numbers', async () => {
      const { store } = subject;
      const versions = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.register('burst', { artifact: artifact([i, i]) })),
      );
      expect(versions.map((v) => v.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it('gives 8 processes × 50 registrations exactly versions 1..400', async (context) => {
      if (!subject.processes) return context.skip();
      const perProcess = await subject.processes.register('crowd', 8, 50);
      for (const versions of perProcess) expect([...versions].sort((a, b) => a - b)).toEqual(versions);
      expect(perProcess.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
      const listed = await subject.store.listVersions('crowd');
      expect(listed.map((v) => v.version)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
      expect(new Set(listed.map((v) => `${v.tags.workerId}:${v.tags.i}`)).size).toBe(400);
    }, 60_000);

    it('lets exactly one of many processes claim an alias by compare-and-set', async (context) => {
      if (!subject.processes) return context.skip();
      await subject.store.register('claim', { artifact: artifact([1, 1]) });
      const outcomes = await subject.processes.claim('claim', 'production', 1, 6);
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
