/** Stride of one feature in a histogram: codes are bytes. */
export const STRIDE = 256;

/** Doubles in one histogram of `cols` features: per feature and bin, Σ gradient, Σ hessian, row count. */
export function histogramLength(cols: number): number {
  return cols * STRIDE * 3;
}

/**
 * Fills features `[f0, f1)` of `hist` with Σ (g, h, 1) per bin over the rows `order[start, end)` (row-major byte
 * `codes`, `cols` per row). Each feature's sums run in row order, whichever features a call covers: splitting
 * the features between threads changes no bit.
 */
export function fillHistogram(
  codes: Uint8Array,
  cols: number,
  hist: Float64Array,
  g: Float64Array,
  h: Float64Array,
  order: Int32Array,
  start: number,
  end: number,
  f0: number,
  f1: number,
): void {
  hist.fill(0, f0 * STRIDE * 3, f1 * STRIDE * 3);
  const last = f1 - 3;
  for (let i = start; i < end; i++) {
    const r = order[i]!;
    const base = r * cols;
    const gr = g[r]!;
    const hr = h[r]!;
    let f = f0;
    for (; f < last; f += 4) {
      let at = (f * STRIDE + codes[base + f]!) * 3;
      hist[at]! += gr;
      hist[at + 1]! += hr;
      hist[at + 2]!++;
      at = ((f + 1) * STRIDE + codes[base + f + 1]!) * 3;
      hist[at]! += gr;
      hist[at + 1]! += hr;
      hist[at + 2]!++;
      at = ((f + 2) * STRIDE + codes[base + f + 2]!) * 3;
      hist[at]! += gr;
      hist[at + 1]! += hr;
      hist[at + 2]!++;
      at = ((f + 3) * STRIDE + codes[base + f + 3]!) * 3;
      hist[at]! += gr;
      hist[at + 1]! += hr;
      hist[at + 2]!++;
    }
    for (; f < f1; f++) {
      const at = (f * STRIDE + codes[base + f]!) * 3;
      hist[at]! += gr;
      hist[at + 1]! += hr;
      hist[at + 2]!++;
    }
  }
}

/**
 * The root histograms of every output at once (features `[f0, f1)`, all `rows` rows in order): one pass reads each
 * row's codes once for all outputs, summing into `scratch` (per bin: g and h of each output, then the count) before
 * copying out to `hists[k]`. The sums are those `fillHistogram` would make, bit for bit.
 */
export function fillRootHistograms(
  codes: Uint8Array,
  cols: number,
  rows: number,
  hists: readonly Float64Array[],
  g: readonly Float64Array[],
  h: readonly Float64Array[],
  scratch: Float64Array,
  f0: number,
  f1: number,
): void {
  const outputs = hists.length;
  const width = 2 * outputs + 1;
  scratch.fill(0, 0, (f1 - f0) * STRIDE * width);
  if (outputs === 3) fillThreeRoots(codes, cols, rows, g, h, scratch, f0, f1);
  else {
    const values = new Float64Array(2 * outputs);
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < outputs; k++) {
        values[2 * k] = g[k]![r]!;
        values[2 * k + 1] = h[k]![r]!;
      }
      const base = r * cols;
      for (let f = f0; f < f1; f++) {
        const at = ((f - f0) * STRIDE + codes[base + f]!) * width;
        for (let j = 0; j < width - 1; j++) scratch[at + j]! += values[j]!;
        scratch[at + width - 1]!++;
      }
    }
  }
  for (let k = 0; k < outputs; k++) {
    const hist = hists[k]!;
    for (let f = f0; f < f1; f++) {
      for (let b = 0; b < STRIDE; b++) {
        const from = ((f - f0) * STRIDE + b) * width;
        const to = (f * STRIDE + b) * 3;
        hist[to] = scratch[from + 2 * k]!;
        hist[to + 1] = scratch[from + 2 * k + 1]!;
        hist[to + 2] = scratch[from + width - 1]!;
      }
    }
  }
}

/** `fillRootHistograms`' pass for three outputs (the common multiclass case), unrolled. */
function fillThreeRoots(
  codes: Uint8Array,
  cols: number,
  rows: number,
  g: readonly Float64Array[],
  h: readonly Float64Array[],
  scratch: Float64Array,
  f0: number,
  f1: number,
): void {
  const [g0, g1, g2] = g as [Float64Array, Float64Array, Float64Array];
  const [h0, h1, h2] = h as [Float64Array, Float64Array, Float64Array];
  for (let r = 0; r < rows; r++) {
    const a = g0[r]!;
    const b = h0[r]!;
    const c = g1[r]!;
    const d = h1[r]!;
    const e = g2[r]!;
    const q = h2[r]!;
    const base = r * cols;
    for (let f = f0; f < f1; f++) {
      const at = ((f - f0) * STRIDE + codes[base + f]!) * 7;
      scratch[at]! += a;
      scratch[at + 1]! += b;
      scratch[at + 2]! += c;
      scratch[at + 3]! += d;
      scratch[at + 4]! += e;
      scratch[at + 5]! += q;
      scratch[at + 6]!++;
    }
  }
}
