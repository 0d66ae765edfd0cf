import { parseJsonSafely } from '@mlops/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonStreamParser, MAX_STREAM_DEPTH, UnreadableJson } from './json-stream-parser';

/** Parses `text` given in pieces cut at `cuts` (character indices). */
function parseInPieces(
  text: string,
  cuts: number[] = [],
): { ok: true; value: unknown } | { ok: false; error: UnreadableJson } {
  const parser = new JsonStreamParser();
  const ends = [...new Set(cuts.map((c) => Math.min(c, text.length)))].sort((a, b) => a - b);
  try {
    let from = 0;
    for (const end of ends) {
      parser.write(text.slice(from, end));
      from = end;
    }
    parser.write(text.slice(from));
    return { ok: true, value: parser.end() };
  } catch (error) {
    if (!(error instanceof UnreadableJson)) throw error;
    return { ok: false, error };
  }
}

const cutsOf = (text: string) => fc.array(fc.nat({ max: Math.max(0, text.length) }), { maxLength: 12 });

/** JSON text of a value, compact or indented, with whitespace around it. */
const jsonText = fc
  .tuple(fc.jsonValue({ maxDepth: 6 }), fc.constantFrom(undefined, 1, '\t'), fc.constantFrom('', ' ', '\n\r\t '))
  .map(([value, indent, around]) => `${around}${JSON.stringify(value, null, indent)}${around}`);

/** Characters that make JSON, so random text is sometimes valid and often nearly so. */
const jsonish = fc
  .array(
    fc.constantFrom(
      ...'{}[],:"\\ \n0123456789-+.eEtrufalsn_proto'.split(''),
      '\u00e9',
      '\ud83d\ude00',
      '\u0001',
      '\\u0041',
    ),
    { maxLength: 40 },
  )
  .map((chars) => chars.join(''));

/** Valid JSON with one character inserted, removed or replaced. */
const mutated = fc
  .tuple(
    jsonText,
    fc.nat(),
    fc.constantFrom('insert', 'remove', 'replace'),
    fc.constantFrom(...'{}[],:"\\ 0-.e'.split('')),
  )
  .map(([text, at, how, char]) => {
    const i = text.length === 0 ? 0 : at % text.length;
    if (how === 'insert') return text.slice(0, i) + char + text.slice(i);
    if (how === 'remove') return text.slice(0, i) + text.slice(i + 1);
    return text.slice(0, i) + char + text.slice(i + 1);
  });

function expectLikeJsonParse(text: string, cuts: number[]): void {
  const expected = parseJsonSafely(text);
  const found = parseInPieces(text, cuts);
  expect(found.ok).toBe(expected.ok);
  if (expected.ok && found.ok) {
    expect(found.value).toStrictEqual(expected.value);
    expect(JSON.stringify(found.value)).toBe(JSON.stringify(expected.value)); // the same key order
  }
  if (!expected.ok && !found.ok && expected.reason.startsWith('forbidden key'))
    expect(found.error.problem).toBe('forbidden');
}

describe('JsonStreamParser', () => {
  it('gives JSON.parse’s value for any JSON text cut anywhere', () => {
    fc.assert(
      fc.property(
        jsonText.chain((text) => fc.tuple(fc.constant(text), cutsOf(text))),
        ([text, cuts]) => expectLikeJsonParse(text, cuts),
      ),
      { numRuns: 500 },
    );
  });

  it('accepts and refuses what parseJsonSafely does, for near-JSON text', () => {
    fc.assert(
      fc.property(
        fc.oneof(jsonish, mutated).chain((text) => fc.tuple(fc.constant(text), cutsOf(text))),
        ([text, cuts]) => expectLikeJsonParse(text, cuts),
      ),
      { numRuns: 2000 },
    );
  });

  it('reads text given one character at a time', () => {
    const text = JSON.stringify({
      a: [1, -2.5e-3, 'x\\"y', { b: [true, false, null, {}] }, []],
      'c\u00e9': 'z'.repeat(50),
    });
    expect(
      parseInPieces(
        text,
        Array.from(text, (_, i) => i),
      ),
    ).toStrictEqual({ ok: true, value: JSON.parse(text) });
  });

  it('keeps strings and numbers that span many pieces whole, escapes included', () => {
    const long = `${'ab\\"'.repeat(2000)}\\\\`;
    const text = `{"long":"${long}","n":${'1'.repeat(300)},"list":["${long}",12345678901234567890]}`;
    const cuts = Array.from({ length: 400 }, (_, i) => i * 31 + (i % 7));
    expect(parseInPieces(text, cuts)).toStrictEqual({ ok: true, value: JSON.parse(text) });
    // Long strings inside one piece are parsed on their own, between runs of short values.
    const plain = 'x'.repeat(5000);
    const mixed = JSON.stringify({ a: [1, plain, 2, `${plain}\n`, 3], b: plain, c: { d: plain, e: 4 }, f: 5 });
    for (const pieces of [[], [1], [7, 5020]])
      expect(parseInPieces(mixed, pieces)).toStrictEqual({ ok: true, value: JSON.parse(mixed) });
  });

  it('refuses forbidden keys at any depth, also when escaped, after the whole text parsed', () => {
    for (const text of [
      '{"a":{"__proto__":{"polluted":1}}}',
      '[{"x":1},{"constructor":{"prototype":1}}]',
      '{"\\u005f_proto__":1}',
      '{"a":[1,2,{"prototype":[]}]}',
      '{"x":[1,2],"__proto__":1}',
    ]) {
      for (const cuts of [[], [1], Array.from(text, (_, i) => i)]) {
        const found = parseInPieces(text, cuts);
        expect(found.ok ? undefined : found.error.problem).toBe('forbidden');
      }
    }
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
    const broken = parseInPieces('{"__proto__":1,}', [3]);
    expect(broken.ok ? undefined : broken.error.problem).toBe('syntax');
  });

  it('refuses nesting deeper than MAX_STREAM_DEPTH, in pieces or whole', () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    for (const cuts of [[], [MAX_STREAM_DEPTH / 2]]) {
      expect(parseInPieces(nested(MAX_STREAM_DEPTH), cuts).ok).toBe(true);
      const deep = parseInPieces(nested(MAX_STREAM_DEPTH + 1), cuts);
      expect(deep.ok ? undefined : deep.error.message).toBe('nested too deeply to read');
    }
  });

  it('names where the text goes wrong', () => {
    const problem = (text: string, cuts: number[] = []) => {
      const found = parseInPieces(text, cuts);
      return found.ok ? 'ok' : found.error.message;
    };
    expect(problem('')).toBe('empty');
    expect(problem('{"a":1}x')).toBe('syntax error at character 7');
    expect(problem('{"a":1} x', [8])).toBe('syntax error at character 8');
    expect(problem('[1,2')).toBe('syntax error at character 4');
    expect(problem('[1,2', [2])).toBe('syntax error at character 4');
    expect(problem('"abc', [2])).toBe('syntax error at character 4');
    expect(problem('[1, 01]', [1])).toBe('syntax error at character 5');
    expect(problem('{"a" 1}', [2])).toBe('syntax error at character 5');
  });
});
