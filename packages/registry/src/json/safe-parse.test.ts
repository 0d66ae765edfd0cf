import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJsonProblem, findTextProblem, MAX_JSON_DEPTH } from './json-safety';
import { JsonBytesReader, parseChecked, parseJsonSafely } from './safe-parse';

describe('parseJsonSafely', () => {
  it('parses ordinary JSON', () => {
    expect(parseJsonSafely('{"a":[1,{"b":null}],"c":"constructor"}')).toEqual({
      ok: true,
      value: { a: [1, { b: null }], c: 'constructor' },
    });
  });

  it('rejects __proto__, constructor and prototype keys at any depth, escaped or not', () => {
    expect(parseJsonSafely('{"__proto__":{"polluted":1}}')).toEqual({ ok: false, reason: 'forbidden key "__proto__"' });
    expect(parseJsonSafely('[{"x":{"constructor":1}}]')).toEqual({ ok: false, reason: 'forbidden key "constructor"' });
    expect(parseJsonSafely('{"a":{"prototype":{}}}')).toEqual({ ok: false, reason: 'forbidden key "prototype"' });
    expect(parseJsonSafely('{"__pro\\u0074o__":{"polluted":1}}')).toEqual({
      ok: false,
      reason: 'forbidden key "__proto__"',
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports malformed text', () => {
    const result = parseJsonSafely('{"a":');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason.startsWith('not valid JSON (')).toBe(true);
  });

  it('parseChecked applies the structural check', () => {
    const positive = (value: unknown) => (typeof value === 'number' && value > 0 ? undefined : 'must be positive');
    expect(parseChecked('3', positive)).toEqual({ ok: true, value: 3 });
    expect(parseChecked('-3', positive)).toEqual({ ok: false, reason: 'must be positive' });
  });
});

describe('JsonBytesReader', () => {
  /** Reads `bytes` in chunks cut at `cuts`. */
  function read(bytes: Uint8Array, cuts: number[], describeProblem = (_: unknown): string | undefined => undefined) {
    const reader = new JsonBytesReader();
    let from = 0;
    for (const end of [...cuts.map((c) => Math.min(c, bytes.length)).sort((a, b) => a - b), bytes.length]) {
      reader.push(bytes.subarray(from, Math.max(from, end)));
      from = Math.max(from, end);
    }
    return reader.finish(describeProblem);
  }

  // UTF-8 of JSON text with multi-byte characters, sometimes a byte order mark, a stray or cut sequence.
  const utf8 = fc
    .tuple(
      fc.jsonValue({ maxDepth: 4 }),
      fc.constantFrom([], [0xef, 0xbb, 0xbf], [0xff], [0xe2, 0x82], [0xc3]),
      fc.nat(),
      fc.constantFrom('', '\u00e9', '\ud83d\ude00', '\u4e2d'),
    )
    .map(([value, stray, at, extra]) => {
      const text = Buffer.from(JSON.stringify({ v: value, s: `x${extra}y` }).replace(/\\\\u/g, '\\u'));
      const i = stray.length === 0 || at % 3 === 0 ? 0 : at % text.length;
      return Uint8Array.from([...text.subarray(0, i), ...stray, ...text.subarray(i)]);
    });

  it('gives parseChecked’s result and the sha256 of the bytes, however they are cut', () => {
    fc.assert(
      fc.property(
        utf8.chain((bytes) => fc.tuple(fc.constant(bytes), fc.array(fc.nat({ max: bytes.length }), { maxLength: 8 }))),
        ([bytes, cuts]) => {
          const { digest, parsed } = read(bytes, cuts);
          expect(digest).toEqual({ bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
          const expected = parseChecked(Buffer.from(bytes).toString('utf8'), () => undefined);
          if (expected.ok) expect(parsed).toStrictEqual(expected);
          else {
            // The bytes as stored are named, not the decoded text encoded again.
            const named = `; ${digest.bytes} bytes, sha256 ${digest.sha256.slice(0, 16)}…)`;
            const withBytes = expected.reason.replace(/; \d+ bytes, sha256 [0-9a-f]{16}…\)$/, named);
            // Where JSON.parse names no position, the reader may (`syntax error at character 15`).
            const anyPosition = (reason: string) => reason.replace(/ at character \d+/, '');
            expect(parsed.ok).toBe(false);
            expect(anyPosition(parsed.ok ? '' : parsed.reason)).toBe(anyPosition(withBytes));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('applies the structural check and names unreadable bytes without quoting them', () => {
    const json = Buffer.from('{"secret":"hunter2"}');
    expect(read(json, [3], (v) => ((v as { secret?: string }).secret ? 'has a secret' : undefined)).parsed).toEqual({
      ok: false,
      reason: 'has a secret',
    });
    const { parsed } = read(Buffer.from('{"secret":"hunter2"} x'), [5]);
    expect(parsed).toEqual(parseChecked('{"secret":"hunter2"} x', () => undefined));
    expect(parsed.ok ? '' : parsed.reason).toMatch(
      /^not valid JSON \(syntax error at character 21; 22 bytes, sha256 [0-9a-f]{16}…\)$/,
    );
    expect(read(new Uint8Array(0), []).parsed).toEqual(parseChecked('', () => undefined));
  });
});

describe('findJsonProblem', () => {
  it('accepts plain JSON data and object properties set to undefined', () => {
    expect(findJsonProblem({ a: [1, 'x', null, true, { b: -0.5 }], c: undefined }, 'v')).toBeUndefined();
    expect(findJsonProblem(Object.assign(Object.create(null) as object, { a: 1 }), 'v')).toBeUndefined();
  });

  it('names the path of the first value JSON would not round-trip', () => {
    expect(findJsonProblem({ a: [1, Number.NEGATIVE_INFINITY] }, 'v')).toBe('v.a[1] is -Infinity');
    expect(findJsonProblem({ a: [1, undefined] }, 'v')).toBe('v.a[1] is undefined');
    expect(findJsonProblem({ f: () => 1 }, 'v')).toBe('v.f is function');
    expect(findJsonProblem({ n: 10n }, 'v')).toBe('v.n is bigint');
    expect(findJsonProblem({ m: new Map() }, 'v')).toBe('v.m is a Map object');
    expect(findJsonProblem({ x: { constructor: 1 } }, 'v')).toBe(
      'v.x.constructor uses the forbidden key "constructor"',
    );
    const cycle: unknown[] = [];
    cycle.push({ back: cycle });
    expect(findJsonProblem(cycle, 'v')).toBe('v[0].back refers back to one of its parents (a cycle)');
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { w: 1 };
    expect(findJsonProblem({ a: shared, b: shared }, 'v')).toBeUndefined();
  });

  it(`caps nesting at MAX_JSON_DEPTH (${MAX_JSON_DEPTH}) levels without recursion, at any depth`, () => {
    const nest = (levels: number): unknown => {
      let value: unknown = {};
      for (let i = 1; i < levels; i++) value = i % 2 ? [value] : { k: value };
      return value;
    };
    expect(findJsonProblem(nest(MAX_JSON_DEPTH), 'v')).toBeUndefined();
    expect(findJsonProblem(nest(MAX_JSON_DEPTH + 1), 'v')).toMatch(
      /^v(\[0\]|\.k)+ is nested more than 64 levels deep$/,
    );
    expect(findJsonProblem(nest(1_000_000), 'v')).toContain('is nested more than 64 levels deep');
    expect(findJsonProblem({ payload: nest(MAX_JSON_DEPTH) }, 'artifact', 0)).toBeUndefined();
    expect(findJsonProblem({ payload: nest(MAX_JSON_DEPTH + 1) }, 'artifact', 0)).toContain('artifact.payload');
  });

  it('rejects U+0000 and unpaired surrogates in strings and keys, naming the path', () => {
    expect(findJsonProblem({ a: ['x', 'y\u0000'] }, 'v')).toBe('v.a[1] contains U+0000 (NUL), which cannot be stored');
    expect(findJsonProblem({ 'odd key': { 'k\u0000': 1 } }, 'v')).toBe(
      'v["odd key"] key "k\\u0000" contains U+0000 (NUL), which cannot be stored',
    );
    expect(findJsonProblem('\udfff', 'v')).toBe('v contains an unpaired surrogate U+DFFF (not well-formed Unicode)');
    expect(findJsonProblem({ ok: 'tab\t esc\u001b \u{1F600}' }, 'v')).toBeUndefined();
  });

  it('findTextProblem also rejects C0 control characters but tab, line feed and carriage return', () => {
    expect(findTextProblem('a\tb\nc\r\n', 'reason')).toBeUndefined();
    expect(findTextProblem('a\u001bb', 'reason')).toBe(
      'reason contains the control character U+001B (only tab, line feed and carriage return are allowed)',
    );
    expect(findTextProblem('a\u0000b', 'reason')).toBe('reason contains U+0000 (NUL), which cannot be stored');
    expect(findTextProblem(3, 'reason')).toBeUndefined();
  });
});
