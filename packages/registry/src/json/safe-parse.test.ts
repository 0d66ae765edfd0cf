import { describe, expect, it } from 'vitest';
import { findJsonProblem } from './json-safety';
import { parseChecked, parseJsonSafely } from './safe-parse';

describe('parseJsonSafely', () => {
  it('parses ordinary JSON', () => {
    expect(parseJsonSafely('{"a":[1,{"b":null}],"c":"constructor"}')).toEqual({ ok: true, value: { a: [1, { b: null }], c: 'constructor' } });
  });

  it('rejects __proto__, constructor and prototype keys at any depth, escaped or not', () => {
    expect(parseJsonSafely('{"__proto__":{"polluted":1}}')).toEqual({ ok: false, reason: 'forbidden key "__proto__"' });
    expect(parseJsonSafely('[{"x":{"constructor":1}}]')).toEqual({ ok: false, reason: 'forbidden key "constructor"' });
    expect(parseJsonSafely('{"a":{"prototype":{}}}')).toEqual({ ok: false, reason: 'forbidden key "prototype"' });
    expect(parseJsonSafely('{"__pro\\u0074o__":{"polluted":1}}')).toEqual({ ok: false, reason: 'forbidden key "__proto__"' });
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
    expect(findJsonProblem({ x: { constructor: 1 } }, 'v')).toBe('v.x.constructor uses the forbidden key "constructor"');
    const cycle: unknown[] = [];
    cycle.push({ back: cycle });
    expect(findJsonProblem(cycle, 'v')).toBe('v[0].back refers back to one of its parents (a cycle)');
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { w: 1 };
    expect(findJsonProblem({ a: shared, b: shared }, 'v')).toBeUndefined();
  });
});
