/** The objective: writes the gradient at `x` into `grad` and returns the value. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

/** How {@link minimizeLbfgs} stopped. */
export interface LbfgsResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly iterations: number;
  /** `gradient` (max |gradient| ≤ gtol), `value` (relative decrease ≤ ftol), `iterations` (maxIter reached) or `line-search`. */
  readonly stop: 'gradient' | 'value' | 'iterations' | 'line-search';
}

/** Options of {@link minimizeLbfgs}, with scipy's L-BFGS-B meanings where they exist. */
export interface LbfgsOptions {
  /** Stop when the largest gradient component is at most this (scipy's `gtol`). */
  readonly gtol: number;
  /** Stop when (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ ftol (scipy's `ftol`). */
  readonly ftol: number;
  readonly maxIter: number;
  /** Correction pairs kept (scipy's `maxcor`, default 10). */
  readonly memory?: number;
  /** Most objective evaluations per line search (scipy's `maxls`, default 50). */
  readonly maxLineSearch?: number;
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

const maxAbs = (a: Float64Array): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
};

/**
 * Minimises a smooth function with limited-memory BFGS (two-loop recursion) and a line search that keeps the
 * strong Wolfe conditions (bracketing, then bisection-safeguarded cubic interpolation). Deterministic: no randomness,
 * plain IEEE arithmetic in a fixed order.
 */
export function minimizeLbfgs(objective: Objective, start: Float64Array, options: LbfgsOptions): LbfgsResult {
  const n = start.length;
  const m = options.memory ?? 10;
  const maxLs = options.maxLineSearch ?? 50;
  const x = Float64Array.from(start);
  const g = new Float64Array(n);
  let f = objective(x, g);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const d = new Float64Array(n);
  const alpha = new Float64Array(m);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  for (let iter = 0; iter < options.maxIter; iter++) {
    if (maxAbs(g) <= options.gtol) return { x, value: f, iterations: iter, stop: 'gradient' };
    // Direction: −H·g by the two-loop recursion.
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    for (let k = s.length - 1; k >= 0; k--) {
      alpha[k] = rho[k]! * dot(s[k]!, d);
      const yk = y[k]!;
      for (let i = 0; i < n; i++) d[i]! -= alpha[k]! * yk[i]!;
    }
    if (s.length > 0) {
      const last = s.length - 1;
      const gamma = dot(s[last]!, y[last]!) / dot(y[last]!, y[last]!);
      for (let i = 0; i < n; i++) d[i]! *= gamma;
    }
    for (let k = 0; k < s.length; k++) {
      const beta = rho[k]! * dot(y[k]!, d);
      const sk = s[k]!;
      for (let i = 0; i < n; i++) d[i]! += (alpha[k]! - beta) * sk[i]!;
    }
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      s.length = 0;
      y.length = 0;
      rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      slope = dot(g, d);
    }
    const first = s.length === 0 ? Math.min(1, 1 / Math.sqrt(dot(g, g))) : 1;
    const step = wolfeStep(objective, x, f, slope, d, first, xNew, gNew, maxLs);
    if (step === undefined) return { x, value: f, iterations: iter, stop: 'line-search' };
    const fNew = step;
    const sk = new Float64Array(n);
    const yk = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      sk[i] = xNew[i]! - x[i]!;
      yk[i] = gNew[i]! - g[i]!;
    }
    const sy = dot(sk, yk);
    if (sy > 1e-12 * Math.sqrt(dot(sk, sk) * dot(yk, yk))) {
      if (s.length === m) {
        s.shift();
        y.shift();
        rho.shift();
      }
      s.push(sk);
      y.push(yk);
      rho.push(1 / sy);
    }
    const decrease = (f - fNew) / Math.max(Math.abs(f), Math.abs(fNew), 1);
    x.set(xNew);
    g.set(gNew);
    f = fNew;
    if (decrease <= options.ftol) return { x, value: f, iterations: iter + 1, stop: 'value' };
  }
  return { x, value: f, iterations: options.maxIter, stop: maxAbs(g) <= options.gtol ? 'gradient' : 'iterations' };
}

/**
 * A step along `d` satisfying the strong Wolfe conditions (c1 = 1e-4, c2 = 0.9; Nocedal & Wright, algorithms 3.5
 * and 3.6, cubic interpolation kept inside the bracket, else bisection). Leaves the accepted point and its gradient
 * in `xOut`/`gOut` and returns its value, or `undefined` when none is found within `maxEvals` evaluations.
 */
function wolfeStep(
  objective: Objective,
  x: Float64Array,
  f0: number,
  slope0: number,
  d: Float64Array,
  initial: number,
  xOut: Float64Array,
  gOut: Float64Array,
  maxEvals: number,
): number | undefined {
  const c1 = 1e-4;
  const c2 = 0.9;
  let evals = 0;
  const evaluate = (t: number): Point => {
    evals++;
    for (let i = 0; i < x.length; i++) xOut[i] = x[i]! + t * d[i]!;
    const value = objective(xOut, gOut);
    return { t, value: Number.isFinite(value) ? value : Number.POSITIVE_INFINITY, slope: dot(gOut, d) };
  };
  const sufficient = (p: Point) => p.value <= f0 + c1 * p.t * slope0;
  const curvature = (p: Point) => Math.abs(p.slope) <= -c2 * slope0;
  const zoom = (lo: Point, hi: Point): number | undefined => {
    while (evals < maxEvals) {
      const p = evaluate(interpolate(lo, hi));
      if (!sufficient(p) || p.value >= lo.value) hi = p;
      else {
        if (curvature(p)) return p.value;
        if (p.slope * (hi.t - lo.t) >= 0) hi = lo;
        lo = p;
      }
      if (Math.abs(hi.t - lo.t) <= 1e-15 * Math.max(1, lo.t)) break;
    }
    return undefined;
  };
  let previous: Point = { t: 0, value: f0, slope: slope0 };
  let t = initial;
  while (evals < maxEvals) {
    const p = evaluate(t);
    if (!sufficient(p) || (previous.t > 0 && p.value >= previous.value)) return zoom(previous, p);
    if (curvature(p)) return p.value;
    if (p.slope >= 0) return zoom(p, previous);
    previous = p;
    t *= 2;
  }
  return undefined;
}

interface Point {
  readonly t: number;
  readonly value: number;
  readonly slope: number;
}

/** The minimiser of the cubic through two points with their slopes, kept 10% inside the interval; else its middle. */
function interpolate(a: Point, b: Point): number {
  const lo = Math.min(a.t, b.t);
  const hi = Math.max(a.t, b.t);
  const d1 = a.slope + b.slope - (3 * (a.value - b.value)) / (a.t - b.t);
  const root = d1 * d1 - a.slope * b.slope;
  if (root >= 0 && Number.isFinite(root)) {
    const d2 = Math.sign(b.t - a.t) * Math.sqrt(root);
    const t = b.t - ((b.t - a.t) * (b.slope + d2 - d1)) / (b.slope - a.slope + 2 * d2);
    if (t > lo + 0.1 * (hi - lo) && t < hi - 0.1 * (hi - lo)) return t;
  }
  return (lo + hi) / 2;
}
