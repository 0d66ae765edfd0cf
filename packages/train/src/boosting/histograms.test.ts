import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fillHistogram, fillRootHistograms, histogramLength, STRIDE } from './histograms';

/** Random byte codes, gradients and hessians of `rows` × `cols`, from fast-check. */
const table = fc
  .record({
    rows: fc.integer({ min: 1, max: 40 }),
    cols: fc.integer({ min: 1, max: 9 }),
    outputs: fc.integer({ min: 1, max: 4 }),
  })
  .chain(({ rows, cols, outputs }) =>
    fc.record({
      rows: fc.constant(rows),
      cols: fc.constant(cols),
      codes: fc.uint8Array({ minLength: rows * cols, maxLength: rows * cols }),
      g: fc.array(fc.float64Array({ minLength: rows, maxLength: rows, noNaN: true, noDefaultInfinity: true }), {
        minLength: outputs,
        maxLength: outputs,
      }),
      h: fc.array(fc.float64Array({ minLength: rows, maxLength: rows, noNaN: true, noDefaultInfinity: true }), {
        minLength: outputs,
        maxLength: outputs,
      }),
      cut: fc.integer({ min: 0, max: cols }),
    }),
  );

const identity = (rows: number) => Int32Array.from({ length: rows }, (_, i) => i);

describe('histograms', () => {
  it('sums gradient, hessian and count per feature and bin', () => {
    // 2 features; rows (codes) [1, 0], [1, 2], [3, 0]; the middle row left out by the order.
    const hist = new Float64Array(histogramLength(2)).fill(9);
    const codes = Uint8Array.from([1, 0, 1, 2, 3, 0]);
    fillHistogram(
      codes,
      2,
      hist,
      Float64Array.from([0.5, 7, -1]),
      Float64Array.from([2, 7, 4]),
      Int32Array.from([2, 0]),
      0,
      2,
      0,
      2,
    );
    const at = (f: number, b: number) => Array.from(hist.subarray((f * STRIDE + b) * 3, (f * STRIDE + b) * 3 + 3));
    expect([at(0, 1), at(0, 3), at(1, 0), at(0, 0), at(1, 2)]).toEqual([
      [0.5, 2, 1],
      [-1, 4, 1],
      [-0.5, 6, 2],
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  it('gives the same bits whether the features are filled in one call or split between two (threads)', () => {
    fc.assert(
      fc.property(table, ({ rows, cols, codes, g, h, cut }) => {
        const whole = new Float64Array(histogramLength(cols));
        const parts = new Float64Array(histogramLength(cols));
        const order = identity(rows).reverse();
        fillHistogram(codes, cols, whole, g[0]!, h[0]!, order, 0, rows, 0, cols);
        fillHistogram(codes, cols, parts, g[0]!, h[0]!, order, 0, rows, cut, cols);
        fillHistogram(codes, cols, parts, g[0]!, h[0]!, order, 0, rows, 0, cut);
        expect(Buffer.from(parts.buffer).equals(Buffer.from(whole.buffer))).toBe(true);
      }),
    );
  });

  it('fills every root in one pass exactly as one histogram per output would', () => {
    fc.assert(
      fc.property(table, ({ rows, cols, codes, g, h, cut }) => {
        const roots = g.map(() => new Float64Array(histogramLength(cols)));
        const scratch = new Float64Array(cols * STRIDE * (2 * g.length + 1));
        fillRootHistograms(codes, cols, rows, roots, g, h, scratch, 0, cut);
        fillRootHistograms(codes, cols, rows, roots, g, h, scratch, cut, cols);
        g.forEach((gk, k) => {
          const one = new Float64Array(histogramLength(cols));
          fillHistogram(codes, cols, one, gk, h[k]!, identity(rows), 0, rows, 0, cols);
          expect(Buffer.from(roots[k]!.buffer).equals(Buffer.from(one.buffer))).toBe(true);
        });
      }),
    );
  });
});
