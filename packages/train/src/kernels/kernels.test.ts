import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BIN, histogramLength, KernelMemory, STRIDE } from './kernels';

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
  const memory = new KernelMemory();
  const copy = <T extends Uint8Array | Int32Array | Float64Array>(into: T, from: ArrayLike<number>): T => {
    into.set(from);
    return into;
  };
  const arrays = {
    codes: copy(memory.alloc(Uint8Array, rows * cols), codes),
    order: copy(memory.alloc(Int32Array, rows), order),
    g: copy(memory.alloc(Float64Array, rows), g),
    h: copy(memory.alloc(Float64Array, rows), h),
    hist: memory.alloc(Float64Array, histogramLength(cols)).fill(9),
  };
  const { kernels } = memory;
  /** The histogram kernel on these arrays: features [f0, f1) of `into` over order[0, count). */
  const fill = (into: Float64Array, count: number, f0: number, f1: number) => {
    const { codes, g, h, order } = arrays;
    kernels.fill(
      codes.byteOffset,
      cols,
      into.byteOffset,
      g.byteOffset,
      h.byteOffset,
      order.byteOffset,
      0,
      count,
      f0,
      f1,
    );
  };
  return { ...arrays, memory, kernels, fill };
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

describe('kernels', () => {
  it('sums gradient, hessian and count per feature and bin', () => {
    // 2 features; rows (codes) [1, 0], [1, 2], [3, 0]; the middle row left out by the order.
    const t = { rows: 3, cols: 2, codes: Uint8Array.from([1, 0, 1, 2, 3, 0]), order: [2, 0] };
    const m = inMemory({ ...t, g: Float64Array.from([0.5, 7, -1]), h: Float64Array.from([2, 7, 4]) });
    m.fill(m.hist, 2, 0, 2);
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
        m.fill(m.hist, t.order.length, 0, t.cols);
        expect(bits(m.hist).equals(expected)).toBe(true);
        m.hist.fill(9);
        m.fill(m.hist, t.order.length, t.cut, t.cols);
        m.fill(m.hist, t.order.length, 0, t.cut);
        expect(bits(m.hist).equals(expected)).toBe(true);
      }),
    );
  });

  it('subtracts a histogram from another element by element', () => {
    fc.assert(
      fc.property(table, (t) => {
        const m = inMemory(t);
        m.fill(m.hist, t.order.length, 0, t.cols);
        const from = m.memory.alloc(Float64Array, m.hist.length);
        m.fill(from, Math.floor(t.order.length / 2), 0, t.cols);
        const expected = m.hist.map((v, i) => v - from[i]!);
        m.kernels.subtract(m.hist.byteOffset, from.byteOffset, m.hist.length);
        expect(bits(m.hist).equals(bits(expected))).toBe(true);
      }),
    );
  });

  it('keeps earlier arrays valid as the memory grows', () => {
    const memory = new KernelMemory();
    const first = memory.alloc(Float64Array, 10).fill(3);
    for (let i = 0; i < 20; i++) memory.alloc(Float64Array, histogramLength(20));
    expect(memory.memory.buffer.byteLength).toBeGreaterThan(20 * histogramLength(20) * 8);
    expect(Array.from(first)).toEqual(Array(10).fill(3));
  });

  it('partitions rows stably by bin, missing direction or category set, as the JavaScript rule does', () => {
    fc.assert(
      fc.property(
        table,
        fc.integer({ min: 0, max: 254 }),
        fc.boolean(),
        fc.option(fc.uint32Array({ minLength: 8, maxLength: 8 }), { nil: undefined }),
        (t, bin, missingLeft, set) => {
          const m = inMemory(t);
          // Column 0 of the codes, a missing code (255) now and then.
          const column = m.memory.alloc(Uint8Array, t.rows);
          for (let r = 0; r < t.rows; r++) column[r] = r % 7 === 3 ? 255 : t.codes[r * t.cols]!;
          const goesLeft = (r: number) => {
            const code = column[r]!;
            if (set) return ((set[code >>> 5]! >>> (code & 31)) & 1) === 1;
            return code <= bin || (code === 255 && missingLeft);
          };
          const expected = [...t.order.filter(goesLeft), ...t.order.filter((r) => !goesLeft(r))];
          const scratch = m.memory.alloc(Int32Array, t.rows);
          const setAt = set ? m.memory.alloc(Uint32Array, 8).fill(0) : undefined;
          if (set && setAt) setAt.set(set);
          const [order, count] = [m.order.byteOffset, t.order.length];
          const left = m.kernels.partition(
            column.byteOffset,
            order,
            scratch.byteOffset,
            0,
            count,
            bin,
            Number(missingLeft),
            setAt?.byteOffset ?? 0,
          );
          expect(left).toBe(t.order.filter(goesLeft).length);
          expect(Array.from(m.order.subarray(0, count))).toEqual(expected);
        },
      ),
    );
  });

  it("adds a leaf's value to its rows' raw predictions", () => {
    const memory = new KernelMemory();
    const raw = memory.alloc(Float64Array, 4).fill(1);
    const order = memory.alloc(Int32Array, 4);
    order.set([3, 1, 0, 2]);
    memory.kernels.addToRows(raw.byteOffset, order.byteOffset, 1, 3, 0.5); // rows 1 and 0
    expect(Array.from(raw)).toEqual([1.5, 1.5, 1, 1]);
  });

  it('computes exp within two ulps of Math.exp (itself within one of the true value), with its limits', () => {
    const { exp } = new KernelMemory().kernels;
    const f = new Float64Array(1);
    const word = new BigInt64Array(f.buffer);
    const bitsOf = (x: number) => {
      f[0] = x;
      return word[0]!;
    };
    fc.assert(
      fc.property(fc.double({ min: -708, max: 709.7, noNaN: true }), (x) => {
        const ulps = bitsOf(exp(x)) - bitsOf(Math.exp(x));
        expect(ulps >= -2n && ulps <= 2n).toBe(true);
      }),
      { numRuns: 5000 },
    );
    expect([exp(0), exp(-Infinity), exp(Infinity), exp(-800), exp(710)]).toEqual([1, 0, Infinity, 0, Infinity]);
    expect(exp(Number.NaN)).toBeNaN();
  });

  it('gives the log loss gradients and hessians (binary and softmax) of the JavaScript formulas, to the rounding of exp', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((outputs) =>
          fc.record({
            outputs: fc.constant(outputs),
            raw: fc.array(fc.double({ min: -30, max: 30, noNaN: true }), {
              minLength: outputs,
              maxLength: 12 * outputs,
            }),
          }),
        ),
        fc.nat(),
        ({ outputs, raw: values }, at) => {
          const n = Math.floor(values.length / outputs);
          const cut = at % (n + 1);
          const memory = new KernelMemory();
          const raw = memory.alloc(Float64Array, n * outputs);
          raw.set(values.slice(0, n * outputs));
          const labels = memory.alloc(Int32Array, n);
          labels.forEach((_, i) => {
            labels[i] = (i * 7) % Math.max(outputs, 2);
          });
          const [g, h] = [memory.alloc(Float64Array, n * outputs), memory.alloc(Float64Array, n * outputs)];
          const [expectedG, expectedH] = [new Float64Array(n * outputs), new Float64Array(n * outputs)];
          for (let i = 0; i < n; i++) {
            const row = Array.from({ length: outputs }, (_, k) => raw[k * n + i]!); // output after output
            const p =
              outputs === 1
                ? [1 / (1 + Math.exp(-row[0]!))]
                : (() => {
                    const top = Math.max(...row);
                    const e = row.map((v) => Math.exp(v - top));
                    const sum = e.reduce((a, b) => a + b, 0);
                    return e.map((v) => v / sum);
                  })();
            p.forEach((pk, k) => {
              expectedG[k * n + i] = pk - (outputs === 1 ? labels[i]! : Number(k === labels[i]));
              expectedH[k * n + i] = pk * (1 - pk);
            });
          }
          // In two row ranges, as two threads compute them.
          const [r, l, gAt, hAt] = [raw.byteOffset, labels.byteOffset, g.byteOffset, h.byteOffset];
          for (const [start, end] of [
            [0, cut],
            [cut, n],
          ] as const) {
            if (outputs === 1) memory.kernels.logisticGradients(r, l, start, end, gAt, hAt);
            else memory.kernels.softmaxGradients(r, l, start, end, n, outputs, gAt, hAt);
          }
          for (let i = 0; i < g.length; i++) {
            expect(g[i]).toBeCloseTo(expectedG[i]!, 14);
            expect(h[i]).toBeCloseTo(expectedH[i]!, 14);
          }
        },
      ),
    );
  });

  it('finds the split a plain scan over the bins finds, in both directions, ties to the first', () => {
    const bins = fc.array(
      fc.record({
        g: fc.double({ min: -5, max: 5, noNaN: true }),
        h: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 2, noNaN: true })),
        n: fc.integer({ min: 0, max: 6 }),
      }),
      { minLength: 1, maxLength: 20 },
    );
    fc.assert(
      fc.property(
        bins,
        fc.boolean(),
        fc.integer({ min: 1, max: 5 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (cells, missing, minLeaf, l2) => {
          // Bins 0 … last − 1 hold values, bin `last` the missing ones (when `missing`).
          const last = missing ? cells.length - 1 : cells.length;
          const memory = new KernelMemory();
          const hist = memory.alloc(Float64Array, 256 * BIN);
          cells.forEach(({ g, h, n }, b) => {
            hist.set([g, h, n, 0], b * BIN);
          });
          const sumG = cells.reduce((a, c) => a + c.g, 0);
          const sumH = cells.reduce((a, c) => a + c.h, 0);
          const count = cells.reduce((a, c) => a + c.n, 0);
          const parent = (sumG * sumG) / (sumH + l2);
          const gainOf = (gl: number, hl: number) => {
            const hr = sumH - hl;
            if (hl < 1e-3 || hr < 1e-3) return Number.NEGATIVE_INFINITY;
            const gr = sumG - gl;
            return (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parent;
          };
          let best: number[] | undefined;
          const offer = (split: number[]) => {
            if (split[0]! > (best?.[0] ?? 0)) best = split;
          };
          let [gl, hl, nl] = [0, 0, 0];
          for (let b = 0; b < (missing ? last + 1 : last); b++) {
            [gl, hl, nl] = [gl + hist[b * BIN]!, hl + hist[b * BIN + 1]!, nl + hist[b * BIN + 2]!];
            if (nl < minLeaf) continue;
            if (count - nl < minLeaf) break;
            offer([gainOf(gl, hl), b, gl, hl, nl, 0]);
          }
          let [gr, hr, nr] = [0, 0, 0];
          for (let b = last - 1; missing && b >= 0; b--) {
            const at = (b + 1) * BIN;
            [gr, hr, nr] = [gr + hist[at]!, hr + hist[at + 1]!, nr + hist[at + 2]!];
            if (nr < minLeaf) continue;
            if (count - nr < minLeaf) break;
            offer([gainOf(sumG - gr, sumH - hr), b, sumG - gr, sumH - hr, count - nr, 1]);
          }
          const out = memory.alloc(Float64Array, 6);
          const end = missing ? last + 1 : last;
          const args = [sumG, sumH, count, parent, l2, minLeaf, 0, out.byteOffset] as const;
          const found = memory.kernels.scanSplit(hist.byteOffset, end, last, Number(missing), ...args);
          expect(found).toBe(best ? 1 : 0);
          if (best) expect(Array.from(out)).toEqual(best);
        },
      ),
    );
  });

  it('sorts positions by value (stable, NaN last) on byte and two-byte digits', () => {
    const values = fc.array(
      fc.oneof(
        fc.double(),
        fc.constantFrom(0, -0, 1, -1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
      ),
      { maxLength: 300 },
    );
    fc.assert(
      fc.property(values, fc.constantFrom(8, 16), (list, bits) => {
        const memory = new KernelMemory();
        const column = memory.alloc(Float64Array, list.length);
        column.set(list);
        const work = memory.alloc(Int32Array, 6 * list.length + (1 << bits));
        const at = memory.kernels.argsort(column.byteOffset, list.length, work.byteOffset, bits);
        const rank = (v: number) => (Number.isNaN(v) ? 2 : 1); // NaN after every number
        const expected = list
          .map((_, i) => i)
          .sort(
            (a, b) =>
              rank(list[a]!) - rank(list[b]!) || (list[a]! < list[b]! ? -1 : list[a]! > list[b]! ? 1 : 0) || a - b,
          );
        // -0 sorts before 0 (equal numbers, distinct keys): compare the values, as numbers.
        const got = Array.from(memory.view(Int32Array, at, list.length));
        const value = (i: number) => list[i]! + 0; // -0 + 0 is 0
        expect(got.map(value)).toEqual(expected.map(value));
        const zeros = got.filter((i) => list[i] === 0);
        expect(zeros.filter((i) => !Object.is(list[i], -0))).toEqual(expected.filter((i) => Object.is(list[i], 0)));
      }),
    );
  });

  it('runs the WebAssembly compiled from kernels.wat (the committed bytes are not stale)', () => {
    const script = new URL('../../scripts/build-wasm.mjs', import.meta.url);
    expect(execFileSync(process.execPath, [script.pathname, '--check'], { encoding: 'utf8' })).toContain('up to date');
  });
});
