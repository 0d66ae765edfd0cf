import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BIN, HistogramMemory, histogramLength, STRIDE } from './histograms';

/** Random byte codes, row order, gradients and hessians of `rows` × `cols`, from fast-check. */
const table = fc
  .record({ rows: fc.integer({ min: 1, max: 40 }), cols: fc.integer({ min: 1, max: 11 }) })
  .chain(({ rows, cols }) =>
    fc.record({
      rows: fc.constant(rows),
      cols: fc.constant(cols),
      codes: fc.uint8Array({ minLength: rows * cols, maxLength: rows * cols }),
      order: fc.shuffledSubarray(
        Array.from({ length: rows }, (_, i) => i),
        { minLength: 0 },
      ),
      g: fc.float64Array({ minLength: rows, maxLength: rows, noNaN: true, noDefaultInfinity: true }),
      h: fc.float64Array({ minLength: rows, maxLength: rows, noNaN: true, noDefaultInfinity: true }),
      cut: fc.integer({ min: 0, max: cols }),
    }),
  );

type Table = { rows: number; cols: number; codes: Uint8Array; order: number[]; g: Float64Array; h: Float64Array };

/** `table` copied into a fresh kernel memory, with a histogram full of garbage (a fill must zero what it covers). */
function inMemory({ rows, cols, codes, order, g, h }: Table) {
  const memory = new HistogramMemory();
  const copy = <T extends Uint8Array | Int32Array | Float64Array>(into: T, from: ArrayLike<number>): T => {
    into.set(from);
    return into;
  };
  return {
    memory,
    codes: copy(memory.alloc(Uint8Array, rows * cols), codes),
    order: copy(memory.alloc(Int32Array, rows), order),
    g: copy(memory.alloc(Float64Array, rows), g),
    h: copy(memory.alloc(Float64Array, rows), h),
    hist: memory.alloc(Float64Array, histogramLength(cols)).fill(9),
  };
}

/** The sums as plain JavaScript adds them, one row after the other. */
function reference({ cols, codes, order, g, h }: Table): Float64Array {
  const hist = new Float64Array(histogramLength(cols));
  for (const r of order) {
    for (let f = 0; f < cols; f++) {
      const at = (f * STRIDE + codes[r * cols + f]!) * BIN;
      hist[at]! += g[r]!;
      hist[at + 1]! += h[r]!;
      hist[at + 2]!++;
    }
  }
  return hist;
}

const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('histograms', () => {
  it('sums gradient, hessian and count per feature and bin', () => {
    // 2 features; rows (codes) [1, 0], [1, 2], [3, 0]; the middle row left out by the order.
    const t = { rows: 3, cols: 2, codes: Uint8Array.from([1, 0, 1, 2, 3, 0]), order: [2, 0] };
    const m = inMemory({ ...t, g: Float64Array.from([0.5, 7, -1]), h: Float64Array.from([2, 7, 4]) });
    m.memory.fill(m.codes, 2, m.hist, m.g, m.h, m.order, 0, 2, 0, 2);
    const at = (f: number, b: number) =>
      Array.from(m.hist.subarray((f * STRIDE + b) * BIN, (f * STRIDE + b + 1) * BIN));
    expect([at(0, 1), at(0, 3), at(1, 0), at(0, 0), at(1, 2)]).toEqual([
      [0.5, 2, 1, 0],
      [-1, 4, 1, 0],
      [-0.5, 6, 2, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
  });

  it('gives the bits of summing row by row in JavaScript, in one call or split between two (threads)', () => {
    fc.assert(
      fc.property(table, (t) => {
        const expected = bits(reference(t));
        const m = inMemory(t);
        m.memory.fill(m.codes, t.cols, m.hist, m.g, m.h, m.order, 0, t.order.length, 0, t.cols);
        expect(bits(m.hist).equals(expected)).toBe(true);
        m.hist.fill(9);
        m.memory.fill(m.codes, t.cols, m.hist, m.g, m.h, m.order, 0, t.order.length, t.cut, t.cols);
        m.memory.fill(m.codes, t.cols, m.hist, m.g, m.h, m.order, 0, t.order.length, 0, t.cut);
        expect(bits(m.hist).equals(expected)).toBe(true);
      }),
    );
  });

  it('subtracts a histogram from another element by element', () => {
    fc.assert(
      fc.property(table, (t) => {
        const m = inMemory(t);
        m.memory.fill(m.codes, t.cols, m.hist, m.g, m.h, m.order, 0, t.order.length, 0, t.cols);
        const from = m.memory.alloc(Float64Array, m.hist.length);
        m.memory.fill(m.codes, t.cols, from, m.g, m.h, m.order, 0, Math.floor(t.order.length / 2), 0, t.cols);
        const expected = m.hist.map((v, i) => v - from[i]!);
        m.memory.subtract(m.hist, from);
        expect(bits(m.hist).equals(bits(expected))).toBe(true);
      }),
    );
  });

  it('keeps earlier arrays valid as the memory grows', () => {
    const memory = new HistogramMemory();
    const first = memory.alloc(Float64Array, 10).fill(3);
    for (let i = 0; i < 20; i++) memory.alloc(Float64Array, histogramLength(20));
    expect(memory.memory.buffer.byteLength).toBeGreaterThan(20 * histogramLength(20) * 8);
    expect(Array.from(first)).toEqual(Array(10).fill(3));
  });

  it('runs the WebAssembly compiled from histograms.wat (the committed bytes are not stale)', () => {
    const script = new URL('../../scripts/build-wasm.mjs', import.meta.url);
    expect(execFileSync(process.execPath, [script.pathname, '--check'], { encoding: 'utf8' })).toContain('up to date');
  });
});
