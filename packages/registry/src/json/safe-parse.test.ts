import { describe, expect, it } from 'vitest';
import { findJsonProblem, findTextProblem, MAX_JSON_DEPTH } from './json-safety';
import { parseChecked, parseJsonSafely } from './safe-parse';

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
