// Input-safety behaviour every ModelStore backend must share (not exported from the package): what
// register and the other requests reject, with which error, and that a rejection stores nothing.
import {
  InvalidArtifactError,
  InvalidInputError,
  InvalidNameError,
  MlopsError,
  type Dataset,
  type JsonObject,
  type ModelArtifact,
  type RegisterModelInput,
} from '@mlops/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../json/json-safety';
import type { RegistryConformanceSubject as ConformanceSubject } from '@mlops/core/testing';

type Store = ConformanceSubject['store'];

const artifact = (
  payload: unknown = { weights: [1, 2] },
  params: Record<string, unknown> = { l2: 0.1 },
): ModelArtifact =>
  ({ format: 'linear', formatVersion: 1, featureNames: ['a', 'b'], params, payload }) as ModelArtifact;

const data: Dataset = {
  features: [
    [1, 2],
    [3, 4],
  ],
  target: [0, 1],
  featureNames: ['a', 'b'],
};

/** `levels` nested objects (`{}` is 1 level), built without recursion. */
function nestedObject(levels: number): JsonObject {
  let value: JsonObject = {};
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}

/** `levels` nested arrays (`[]` is 1 level). */
function nestedArray(levels: number): unknown[] {
  let value: unknown[] = [];
  for (let i = 1; i < levels; i++) value = [value];
  return value;
}

/** Awaits `call` and returns what it threw (fails when it resolves). */
async function thrown(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

/** Names a store must reject (traversal, separators, NUL, Windows device names, trailing dot, too long). */
const NASTY_NAMES: readonly string[] = [
  '',
  '.',
  '..',
  '../x',
  '../../evil',
  '/etc/passwd',
  'a/b',
  'a\\b',
  'C:\\x',
  'a\u0000b',
  'x'.repeat(129),
  '.hidden',
  'a.',
  'a ',
  'CON',
  'con',
  'Aux',
  'NUL',
  'nul.txt',
  'prn.tar.gz',
  'COM1',
  'com0',
  'LPT9',
  'lpt1.log',
  'é',
  '\u{1F600}',
  '\ud800',
];

/**
 * Random calls (names, refs, aliases, tags, free text with traversal, separators, NUL, unicode, lone
 * surrogates, reserved and very long strings) into register, getVersion, setAlias, searchVersions,
 * register and append: each must resolve or throw an `MlopsError`, never a raw error.
 */
export async function fuzzStoreCalls(store: Store, options: { seed: number; numRuns: number }): Promise<void> {
  const text = fc.oneof(
    fc.constantFrom(...NASTY_NAMES, 'iris', 'production', 'latest', '1', 'constructor', '__proto__', 'toString'),
    fc.string({ unit: 'binary', maxLength: 12 }),
    fc.string({
      unit: fc.constantFrom('a', 'Z', '0', '.', '_', '-', '/', '\\', '\u0000', ' ', '%', 'é', '\u001b', '\ud800'),
      maxLength: 10,
    }),
    fc.integer({ min: 120, max: 5000 }).map((n) => 'x'.repeat(n)),
  );
  const ref = fc.oneof(text, fc.integer({ min: -2, max: 4 }), fc.constant(Number.NaN));
  const map = fc.dictionary(text, text, { maxKeys: 3 });
  const call = fc.oneof(
    fc.record({ op: fc.constant('register' as const), name: text, tags: map, description: text }),
    fc.record({ op: fc.constant('get' as const), name: text, ref }),
    fc.record({ op: fc.constant('alias' as const), name: text, alias: text, reason: text }),
    fc.record({
      op: fc.constant('search' as const),
      name: fc.option(text, { nil: undefined }),
      tags: map,
      metric: text,
    }),
    fc.record({ op: fc.constant('dataset' as const), name: text, tags: map, description: text }),
    fc.record({ op: fc.constant('decision' as const), name: text, runId: text, reason: text }),
  );
  await fc.assert(
    fc.asyncProperty(call, async (c) => {
      try {
        if (c.op === 'register')
          await store.register(c.name, { artifact: artifact(), tags: c.tags, description: c.description });
        else if (c.op === 'get') await store.getVersion(c.name, c.ref);
        else if (c.op === 'alias') await store.setAlias(c.name, c.alias, 1, { reason: c.reason });
        else if (c.op === 'search')
          await store.searchVersions({
            ...(c.name === undefined ? {} : { name: c.name }),
            tags: c.tags,
            metric: { name: c.metric },
          });
        else if (c.op === 'dataset')
          await store.datasets.register(c.name, { dataset: data, tags: c.tags, description: c.description });
        else
          await store.decisions.append({
            runId: c.runId,
            at: '2026-01-01T00:00:00.000Z',
            model: c.name,
            trigger: 'manual',
            phase: 'done',
            reason: c.reason,
          });
      } catch (error) {
        if (!MlopsError.isInstance(error))
          throw new Error(`${c.op} threw a raw error: ${String(error)}`, { cause: error });
      }
    }),
    { ...options, endOnFailure: true },
  );
}

/** Registers the input-safety conformance suite for one backend (same subjects as the ModelStore suite). */
export function describeInputSafetyConformance(label: string, makeSubject: () => Promise<ConformanceSubject>): void {
  describe(`input safety conformance: ${label}`, () => {
    let subject: ConformanceSubject;
    beforeAll(async () => {
      subject = await makeSubject();
    });
    afterAll(async () => subject?.cleanup());

    it('rejects U+0000 and unpaired surrogates in any string of a register input, naming the field, and stores nothing', async () => {
      const { store } = subject;
      const cases: [
        Partial<RegisterModelInput> & { artifact?: ModelArtifact },
        typeof InvalidInputError | typeof InvalidArtifactError,
        string,
      ][] = [
        [{ description: 'a\u0000b' }, InvalidInputError, 'description contains U+0000'],
        [{ tags: { team: 'm\u0000l' } }, InvalidInputError, 'tags.team contains U+0000'],
        [{ tags: { 'te\u0000am': 'ml' } }, InvalidInputError, 'tags key "te\\u0000am" contains U+0000'],
        [{ metrics: { 'acc\u0000': 0.9 } }, InvalidInputError, 'metrics key "acc\\u0000" contains U+0000'],
        [{ params: { nested: [{ s: 'x\u0000' }] } }, InvalidInputError, 'params.nested[0].s contains U+0000'],
        [{ params: { 'k\u0000': 1 } }, InvalidInputError, 'params key "k\\u0000" contains U+0000'],
        [{ description: 'half \ud800 pair' }, InvalidInputError, 'description contains an unpaired surrogate U+D800'],
        [{ artifact: artifact({ note: 'x\u0000' }) }, InvalidArtifactError, 'artifact.payload.note contains U+0000'],
        [
          { artifact: { ...artifact(), featureNames: ['a', 'b\u0000'] } },
          InvalidArtifactError,
          'artifact.featureNames[1] contains U+0000',
        ],
        [
          { artifact: artifact(undefined, { s: '\udc00' }) },
          InvalidArtifactError,
          'artifact.params.s contains an unpaired surrogate U+DC00',
        ],
      ];
      for (const [input, type, message] of cases) {
        const error = await thrown(() => store.register('nul-input', { artifact: artifact(), ...input }));
        expect(type.isInstance(error), String(error)).toBe(true);
        expect((error as Error).message).toContain(message);
      }
      expect(await store.listVersions('nul-input')).toEqual([]);
      expect(await store.listModels()).not.toContain('nul-input');
      // One bad registration must never break search across the registry (PostgreSQL casts every record to jsonb).
      expect((await store.searchVersions()).total).toBe(0);
    });

    it('rejects control characters in short free text but keeps tab, newline and any character in JSON data', async () => {
      const { store } = subject;
      const inputs: Partial<RegisterModelInput>[] = [
        { description: 'bell\u0007' },
        { tags: { team: 'esc\u001b' } },
        { tags: { 'a\u0001': 'b' } },
        { metrics: { 'acc\u0008': 1 } },
      ];
      for (const input of inputs) {
        await expect(store.register('ctrl', { artifact: artifact(), ...input })).rejects.toThrow(
          /contains the control character U\+00/,
        );
      }
      expect(await store.listVersions('ctrl')).toEqual([]);
      const kept = await store.register('ctrl', {
        artifact: artifact({ note: 'esc\u001b é \u{1F600}' }),
        description: 'line one\n\tline two\r\n',
        tags: { team: 'ml\tops', 'emoji \u{1F600}': 'ok' },
        params: { s: 'bell\u0007' },
      });
      expect(await store.getVersion('ctrl', kept.version)).toEqual(kept);
      expect((await store.loadArtifact('ctrl', kept.version)).artifact.payload).toEqual({
        note: 'esc\u001b é \u{1F600}',
      });
      expect((await store.searchVersions({ tags: { 'emoji \u{1F600}': 'ok' } })).versions.map((v) => v.name)).toEqual([
        'ctrl',
      ]);
    });

    it('rejects U+0000 and control characters in reasons of alias moves, rollbacks, archive, restore and delete', async () => {
      const { store } = subject;
      await store.register('reasons', { artifact: artifact() });
      await store.register('reasons', { artifact: artifact() });
      await store.setAlias('reasons', 'production', 1);
      await store.setAlias('reasons', 'production', 2);
      for (const reason of ['a\u0000b', 'esc\u001b', 'lone \ud800']) {
        await expect(store.setAlias('reasons', 'production', 1, { reason })).rejects.toThrow(InvalidInputError);
        await expect(store.setAlias('reasons', 'staging', 1, { reason })).rejects.toThrow('setAlias reason contains');
        await expect(store.rollback('reasons', 'production', { reason })).rejects.toThrow('rollback reason contains');
        await expect(store.archiveVersion('reasons', 1, { reason })).rejects.toThrow('reason contains');
        await expect(store.restoreVersion('reasons', 1, { reason })).rejects.toThrow(InvalidInputError);
        await expect(store.deleteVersion('reasons', 1, { reason })).rejects.toThrow(InvalidInputError);
      }
      expect(await store.getAlias('reasons', 'production')).toBe(2);
      expect(await store.getAlias('reasons', 'staging')).toBeUndefined();
      expect(await store.aliasHistory('reasons')).toHaveLength(2);
      expect((await store.listVersions('reasons')).map((v) => [v.version, v.status])).toEqual([
        [1, 'active'],
        [2, 'active'],
      ]);
      await store.archiveVersion('reasons', 1, { reason: 'multi\nline\treason' });
      expect((await store.getVersion('reasons', 1)).status).toBe('archived');
      expect((await store.verify()).ok).toBe(true);
    });

    it('rejects U+0000 in dataset registrations, decisions and search queries alike', async () => {
      const { store } = subject;
      const inputs: { description?: string; tags?: Record<string, string> }[] = [
        { description: 'd\u0000' },
        { tags: { 'k\u0000': 'v' } },
        { tags: { k: 'bell\u0007' } },
      ];
      for (const input of inputs) {
        await expect(store.datasets.register('nul-data', { dataset: data, ...input })).rejects.toThrow(
          InvalidInputError,
        );
      }
      await expect(
        store.datasets.register('nul-data', { dataset: { ...data, featureNames: ['a', 'b\u0000'] } }),
      ).rejects.toThrow('dataset.featureNames[1] contains U+0000');
      expect(await store.datasets.listVersions('nul-data')).toEqual([]);
      expect(await store.datasets.findVersion('nul-data', 'ab\u0000')).toBeUndefined();

      const base = {
        runId: 'r1',
        at: '2026-01-01T00:00:00.000Z',
        model: 'nul-decided',
        trigger: 'manual',
        phase: 'done',
      } as const;
      for (const bad of [
        { reason: 'x\u0000' },
        { source: 'esc\u001b' },
        { runId: 'r\u0000' },
        { metrics: { 'a\u0000': 1 } },
      ]) {
        await expect(store.decisions.append({ ...base, ...bad })).rejects.toThrow(InvalidInputError);
      }
      await expect(
        store.decisions.append({ ...base, training: { name: '../../evil', version: 1, fingerprint: 'ab' } }),
      ).rejects.toThrow(InvalidNameError);
      expect(await store.decisions.list('nul-decided')).toEqual([]);

      await expect(store.searchVersions({ tags: { team: 'a\u0000' } })).rejects.toThrow(InvalidInputError);
      await expect(store.searchVersions({ tags: { 'a\u0000': 'x' } })).rejects.toThrow(InvalidInputError);
      await expect(store.searchVersions({ metric: { name: 'acc\u0000' } })).rejects.toThrow(InvalidInputError);
      await expect(store.searchVersions({ tags: { team: 1 as unknown as string } })).rejects.toThrow(InvalidInputError);
      await expect(store.searchVersions({ metric: { name: '\ud800' } })).rejects.toThrow(InvalidInputError);
    });

    it('matches tags and metrics by own properties only (constructor, toString, __proto__, hasOwnProperty)', async () => {
      const { store } = subject;
      await store.register('protos', { artifact: artifact(), metrics: { accuracy: 0.9 }, tags: { team: 'ml' } });
      await store.register('protos', {
        artifact: artifact(),
        metrics: { toString: 0.5, hasOwnProperty: 0.25 },
        tags: { toString: 'yes', hasOwnProperty: 'h' },
      });
      const found = async (query: Parameters<Store['searchVersions']>[0]) =>
        (await store.searchVersions({ name: 'protos', ...query })).versions.map((v) => v.version);
      for (const name of ['constructor', '__proto__', 'valueOf', 'isPrototypeOf']) {
        expect(await found({ metric: { name } }), name).toEqual([]);
        expect(await found({ metric: { name, min: -1e9, max: 1e9 } }), name).toEqual([]);
        expect((await store.searchVersions({ metric: { name } })).total, name).toBe(0);
      }
      expect(await found({ metric: { name: 'toString' } })).toEqual([2]);
      expect(await found({ metric: { name: 'toString', min: 0.6 } })).toEqual([]);
      expect(await found({ metric: { name: 'hasOwnProperty', max: 0.3 } })).toEqual([2]);
      for (const key of ['constructor', '__proto__', 'valueOf']) {
        const tags = JSON.parse(`{${JSON.stringify(key)}:"x"}`) as Record<string, string>; // an own "__proto__" key too
        expect(Object.keys(tags)).toEqual([key]);
        expect(await found({ tags }), key).toEqual([]);
      }
      expect(await found({ tags: { toString: 'yes' } })).toEqual([2]);
      expect(await found({ tags: { hasOwnProperty: 'h', toString: 'yes' } })).toEqual([2]);
      expect(await found({ tags: { toString: 'no' } })).toEqual([]);
      // Names that could reach Object.prototype cannot be registered at all.
      for (const key of ['constructor', '__proto__', 'prototype']) {
        const own = JSON.parse(`{${JSON.stringify(key)}:1}`) as Record<string, number>;
        await expect(store.register('protos', { artifact: artifact(), metrics: own })).rejects.toThrow(
          `uses the forbidden key "${key}"`,
        );
        const ownTag = JSON.parse(`{${JSON.stringify(key)}:"x"}`) as Record<string, string>;
        await expect(store.register('protos', { artifact: artifact(), tags: ownTag })).rejects.toThrow(
          InvalidInputError,
        );
      }
      expect((await store.listVersions('protos')).map((v) => v.version)).toEqual([1, 2]);
    });

    it(`caps nesting at MAX_JSON_DEPTH (${MAX_JSON_DEPTH}) levels with a typed error, and loads what it accepts`, async () => {
      const { store } = subject;
      const deepest = await store.register('deep', {
        artifact: artifact(nestedArray(MAX_JSON_DEPTH), nestedObject(MAX_JSON_DEPTH)),
        params: nestedObject(MAX_JSON_DEPTH),
      });
      expect(await store.getVersion('deep', deepest.version)).toEqual(deepest);
      expect(deepest.params).toEqual(nestedObject(MAX_JSON_DEPTH));
      const loaded = await store.loadArtifact('deep', 'latest');
      expect(loaded.artifact).toEqual(artifact(nestedArray(MAX_JSON_DEPTH), nestedObject(MAX_JSON_DEPTH)));
      expect((await store.searchVersions({ name: 'deep' })).total).toBe(1);

      for (const levels of [MAX_JSON_DEPTH + 1, 10_000]) {
        const cases: [Partial<RegisterModelInput>, typeof InvalidInputError | typeof InvalidArtifactError, string][] = [
          [{ params: nestedObject(levels) }, InvalidInputError, 'params.a.a'],
          [{ artifact: artifact(nestedArray(levels)) }, InvalidArtifactError, 'artifact.payload[0][0]'],
          [{ artifact: artifact(undefined, nestedObject(levels)) }, InvalidArtifactError, 'artifact.params.a'],
          [{ tags: nestedObject(levels) as never }, InvalidInputError, 'tags.a'],
          [{ metrics: nestedObject(levels) as never }, InvalidInputError, 'metrics.a'],
          [{ description: nestedArray(levels) as never }, InvalidInputError, 'description[0]'],
        ];
        for (const [input, type, path] of cases) {
          const error = await thrown(() => store.register('deep', { artifact: artifact(), ...input }));
          expect(type.isInstance(error), `${levels} levels: ${String(error)}`).toBe(true);
          expect((error as Error).message).toContain(path);
          expect((error as Error).message).toContain(`nested more than ${MAX_JSON_DEPTH} levels deep`);
        }
        await expect(
          store.datasets.register('deep-data', { dataset: data, tags: nestedObject(levels) as never }),
        ).rejects.toThrow(InvalidInputError);
        const base = {
          runId: 'r',
          at: '2026-01-01T00:00:00.000Z',
          model: 'deep',
          trigger: 'manual',
          phase: 'done',
        } as const;
        await expect(store.decisions.append({ ...base, extra: nestedObject(levels) } as never)).rejects.toThrow(
          InvalidInputError,
        );
      }
      expect((await store.listVersions('deep')).map((v) => v.version)).toEqual([1]);
      expect(await store.datasets.listVersions('deep-data')).toEqual([]);
      expect((await store.verify()).ok).toBe(true);
    });

    it('validates lineage dataset names and fingerprints, with or without a version', async () => {
      const { store } = subject;
      for (const name of ['../../evil', '/etc/passwd', '', 'CON', 'a.', 'nul.txt', 'a\\b']) {
        await expect(
          store.register('lineage', { artifact: artifact(), dataset: { name, fingerprint: 'ab12' } }),
          name,
        ).rejects.toThrow(InvalidNameError);
      }
      for (const fingerprint of ['../x', 'xyz', 'AB12', 'ab 12', 'a'.repeat(65), 'sha256:ab12']) {
        await expect(
          store.register('lineage', { artifact: artifact(), dataset: { name: 'iris', fingerprint } }),
          fingerprint,
        ).rejects.toThrow('dataset.fingerprint must be 1-64 lower-case hex digits');
      }
      await expect(store.register('lineage', { artifact: artifact(), dataset: { fingerprint: '' } })).rejects.toThrow(
        'dataset.fingerprint must be a non-empty string',
      );
      expect(await store.listVersions('lineage')).toEqual([]);
      const ok = await store.register('lineage', {
        artifact: artifact(),
        dataset: { name: 'iris-train', fingerprint: 'ab12'.repeat(16) },
      });
      expect(ok.dataset).toEqual({ name: 'iris-train', fingerprint: 'ab12'.repeat(16) });
    });

    it('rejects Windows device names and a trailing dot for models, aliases and datasets, any case, with or without extension', async () => {
      const { store } = subject;
      for (const name of [
        'CON',
        'con',
        'Aux',
        'nul',
        'PRN',
        'COM1',
        'com9',
        'LPT0',
        'lpt3',
        'con.txt',
        'AUX.tar.gz',
        'Nul.json',
        'a.',
        'x..',
      ]) {
        await expect(store.register(name, { artifact: artifact() }), name).rejects.toThrow(InvalidNameError);
        await expect(store.datasets.register(name, { dataset: data }), name).rejects.toThrow(InvalidNameError);
        await expect(store.getVersion(name, 1), name).rejects.toThrow(InvalidNameError);
      }
      await store.register('devices', { artifact: artifact() });
      for (const alias of ['aux', 'CON', 'com1.prod', 'prod.']) {
        await expect(store.setAlias('devices', alias, 1), alias).rejects.toThrow(InvalidNameError);
      }
      for (const name of ['console', 'com10', 'auxiliary', 'a.b', 'nul_x', 'lpt']) {
        expect((await store.register(name, { artifact: artifact() })).name).toBe(name);
      }
      await store.setAlias('devices', 'console', 1);
      expect(await store.getAlias('devices', 'console')).toBe(1);
    });

    it('answers random names, refs, tags and aliases with success or an MlopsError, never a raw error (fuzz)', async () => {
      await subject.store.register('iris', { artifact: artifact() });
      await fuzzStoreCalls(subject.store, { seed: 20260101, numRuns: 150 });
      expect((await subject.store.searchVersions({ limit: 1000 })).total).toBeGreaterThan(0);
      expect((await subject.store.verify()).ok).toBe(true);
    }, 60_000);
  });
}
