import type { Dataset, Trainer } from '@mlops/core';
import { classificationData } from '../shared/classification-data';
import { minimizeLbfgs } from './lbfgs';
import { LogisticRegressionModel, type LinearWeights } from './model';
import { type LogisticRegressionParams, resolveLogisticRegressionParams } from './params';
import { withRecipe } from '../shared/recipes';

/**
 * Logistic regression with an L2 penalty, fitted by L-BFGS: multinomial (softmax) for three or more classes, one
 * coefficient vector (sigmoid) for two — scikit-learn's `LogisticRegression(solver="lbfgs")`, by default after a
 * `StandardScaler` (`standardize`). Deterministic: no randomness, same data → same artifact.
 */
export function logisticRegression(
  defaults: Partial<LogisticRegressionParams> = {},
): Trainer<LogisticRegressionParams, LogisticRegressionModel> {
  resolveLogisticRegressionParams(defaults);
  return withRecipe(
    {
      name: 'logistic-regression',
      async fit(dataset: Dataset, overrides: Partial<LogisticRegressionParams> = {}) {
        const params = resolveLogisticRegressionParams({ ...defaults, ...overrides });
        const { dataset: data, x, rows, cols } = classificationData(dataset);
        const weights = fitLogistic(x, rows, cols, Int32Array.from(data.target), data.classNames.length, params);
        return new LogisticRegressionModel(weights, data.featureNames, data.classNames, params);
      },
    },
    'logisticRegression',
    defaults,
  );
}

/** Column means and standard deviations (population; a constant column gets scale 1), as scikit-learn's StandardScaler. */
function scaling(x: Float64Array, rows: number, cols: number, standardize: boolean) {
  const mean = new Float64Array(cols);
  const scale = new Float64Array(cols).fill(1);
  if (!standardize) return { mean, scale };
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mean[j]! += x[i * cols + j]!;
  for (let j = 0; j < cols; j++) mean[j]! /= rows;
  const variance = new Float64Array(cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const v = x[i * cols + j]! - mean[j]!;
      variance[j]! += v * v;
    }
  for (let j = 0; j < cols; j++) {
    const sd = Math.sqrt(variance[j]! / rows);
    scale[j] = sd > 10 * Number.EPSILON * Math.max(1, Math.abs(mean[j]!)) ? sd : 1;
  }
  return { mean, scale };
}

/**
 * Minimises the summed log loss plus ‖W‖² / (2·C) (intercepts unpenalised), scikit-learn's objective, over `outputs`
 * coefficient rows (1 for two classes, else one per class); `tol` bounds its gradient, as scipy's `gtol` there.
 */
function fitLogistic(
  raw: Float64Array,
  rows: number,
  cols: number,
  y: Int32Array,
  classes: number,
  params: LogisticRegressionParams,
): LinearWeights {
  const { mean, scale } = scaling(raw, rows, cols, params.standardize);
  const x = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) x[i * cols + j] = (raw[i * cols + j]! - mean[j]!) / scale[j]!;
  const outputs = classes === 2 ? 1 : classes;
  const stride = cols + 1; // per output: cols coefficients, then the intercept
  const penalty = 1 / params.C;
  const z = new Float64Array(outputs);
  const objective = (w: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    for (let i = 0; i < rows; i++) {
      const at = i * cols;
      for (let k = 0; k < outputs; k += 3) scores(w, x, at, cols, stride, k, Math.min(3, outputs - k), z);
      if (outputs === 1) {
        // Binary: class 1 is the positive one; loss = log(1 + e^{−m}), m = ±z.
        const positive = y[i] === 1;
        const m = positive ? z[0]! : -z[0]!;
        loss += m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m));
        const p = 1 / (1 + Math.exp(-z[0]!));
        z[0] = p - (positive ? 1 : 0);
      } else {
        let top = z[0]!;
        for (let k = 1; k < outputs; k++) if (z[k]! > top) top = z[k]!;
        // −log softmax(z)_y = log Σ e^{z_k − top} − (z_y − top): one log a row.
        loss += top - z[y[i]!]!;
        let sum = 0;
        for (let k = 0; k < outputs; k++) {
          const e = Math.exp(z[k]! - top);
          z[k] = e;
          sum += e;
        }
        loss += Math.log(sum);
        for (let k = 0; k < outputs; k++) z[k] = z[k]! / sum - (k === y[i] ? 1 : 0);
      }
      for (let k = 0; k < outputs; k += 3) accumulate(grad, x, at, cols, stride, k, Math.min(3, outputs - k), z);
    }
    let norm = 0;
    for (let k = 0; k < outputs; k++)
      for (let j = 0; j < cols; j++) {
        const o = k * stride + j;
        norm += w[o]! * w[o]!;
        grad[o] = grad[o]! + penalty * w[o]!;
      }
    for (let k = 0; k < outputs; k++) {
      const o = k * stride + cols;
      if (!params.fitIntercept) grad[o] = 0;
    }
    return loss + 0.5 * penalty * norm;
  };
  const result = minimizeLbfgs(objective, new Float64Array(outputs * stride), {
    gtol: params.tol,
    // scipy L-BFGS-B's default value test at the default tol (scikit-learn 1.2 passes only gtol), tighter with tol.
    ftol: Math.min(2.220446049250313e-9, params.tol * 2.220446049250313e-5),
    maxIter: params.maxIter,
    maxLineSearch: 50,
  });
  const w = result.x;
  return {
    mean: Array.from(mean),
    scale: Array.from(scale),
    coefficients: Array.from({ length: outputs }, (_, k) => Array.from(w.subarray(k * stride, k * stride + cols))),
    intercepts: Array.from({ length: outputs }, (_, k) => w[k * stride + cols]!),
    iterations: result.iterations,
  };
}

/**
 * `z[k0 + d] = bias + w·x` for `width` (1–3) outputs from `k0`, row `x[at, at + cols)` read once for all of them
 * (weights of output k at `k · stride`, its bias last). Same sums, term by term, as one output at a time.
 */
function scores(
  w: Float64Array,
  x: Float64Array,
  at: number,
  cols: number,
  stride: number,
  k0: number,
  width: number,
  z: Float64Array,
): void {
  const o0 = k0 * stride;
  const o1 = o0 + stride;
  const o2 = o1 + stride;
  if (width === 3) {
    let s0 = w[o0 + cols]!;
    let s1 = w[o1 + cols]!;
    let s2 = w[o2 + cols]!;
    for (let j = 0; j < cols; j++) {
      const v = x[at + j]!;
      s0 += w[o0 + j]! * v;
      s1 += w[o1 + j]! * v;
      s2 += w[o2 + j]! * v;
    }
    z[k0] = s0;
    z[k0 + 1] = s1;
    z[k0 + 2] = s2;
  } else if (width === 2) {
    let s0 = w[o0 + cols]!;
    let s1 = w[o1 + cols]!;
    for (let j = 0; j < cols; j++) {
      const v = x[at + j]!;
      s0 += w[o0 + j]! * v;
      s1 += w[o1 + j]! * v;
    }
    z[k0] = s0;
    z[k0 + 1] = s1;
  } else {
    let s0 = w[o0 + cols]!;
    for (let j = 0; j < cols; j++) s0 += w[o0 + j]! * x[at + j]!;
    z[k0] = s0;
  }
}

/** `grad[output k] += r_k · (x, 1)` for `width` (1–3) outputs from `k0`, residuals `r = z`, the row read once. */
function accumulate(
  grad: Float64Array,
  x: Float64Array,
  at: number,
  cols: number,
  stride: number,
  k0: number,
  width: number,
  r: Float64Array,
): void {
  const o0 = k0 * stride;
  const o1 = o0 + stride;
  const o2 = o1 + stride;
  const r0 = r[k0]!;
  if (width === 3) {
    const r1 = r[k0 + 1]!;
    const r2 = r[k0 + 2]!;
    for (let j = 0; j < cols; j++) {
      const v = x[at + j]!;
      grad[o0 + j]! += r0 * v;
      grad[o1 + j]! += r1 * v;
      grad[o2 + j]! += r2 * v;
    }
    grad[o1 + cols]! += r1;
    grad[o2 + cols]! += r2;
  } else if (width === 2) {
    const r1 = r[k0 + 1]!;
    for (let j = 0; j < cols; j++) {
      const v = x[at + j]!;
      grad[o0 + j]! += r0 * v;
      grad[o1 + j]! += r1 * v;
    }
    grad[o1 + cols]! += r1;
  } else for (let j = 0; j < cols; j++) grad[o0 + j]! += r0 * x[at + j]!;
  grad[o0 + cols]! += r0;
}
