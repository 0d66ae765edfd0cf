import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonChunks } from './json-chunks';

const text = (chunks: Iterable<Buffer>) => Buffer.concat([...chunks]).toString('utf8');

describe('jsonChunks', () => {
  it('gives the bytes of JSON.stringify, whatever the chunk size', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 1, max: 4096 }), (value, size) => {
        expect(text(jsonChunks(value, size))).toBe(JSON.stringify(value));
      }),
      { numRuns: 300 },
    );
  });

  it('splits long strings without breaking a surrogate pair, escapes as JSON.stringify does', () => {
    const piece = 1 << 15;
    const emoji = '\u{1F600}';
    // Pairs straddling every piece boundary, a lone high surrogate at one, quotes, backslashes and control characters.
    const long = `${'a'.repeat(piece - 1)}${emoji}${'"\\\n\u0001'.repeat(piece / 4)}${'b'.repeat(piece - 1)}\ud800x${emoji.repeat(piece)}`;
    const value = { format: 'x', payload: { trees: [long, long.slice(3)], skipped: undefined }, n: [-0, 1e21, 0.1] };
    for (const size of [1, 1000, 1 << 16]) expect(text(jsonChunks(value, size))).toBe(JSON.stringify(value));
  });

  it('never holds much more than a chunk: a 40 MB string comes in pieces of about the chunk size', () => {
    const long = 'z'.repeat(40e6);
    let most = 0;
    let bytes = 0;
    for (const chunk of jsonChunks({ payload: long }, 1 << 16)) {
      most = Math.max(most, chunk.length);
      bytes += chunk.length;
    }
    expect(bytes).toBe(Buffer.byteLength(JSON.stringify({ payload: long })));
    expect(most).toBeLessThan(1 << 17);
  });
});
