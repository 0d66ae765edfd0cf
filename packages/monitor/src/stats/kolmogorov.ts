// Distribution of the two-sided one-sample KS statistic D_n (scipy's `kstwo`), used by ksTest's
// asymptotic mode exactly as scipy uses it: kstwo.sf(d, round(n1·n2 / (n1 + n2))).
import { logGamma } from './special';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** log(k!) − log(√(2πk)·(k/e)^k), Stirling's error (Loader 2000), for integers k ≥ 0. */
function stirlingError(k: number): number {
  if (k <= 15) return k === 0 ? 0 : logGamma(k + 1) - (k + 0.5) * Math.log(k) + k - HALF_LOG_2PI;
  const k2 = k * k;
  if (k > 500) return (1 / 12 - 1 / 360 / k2) / k;
  if (k > 80) return (1 / 12 - (1 / 360 - 1 / 1260 / k2) / k2) / k;
  if (k > 35) return (1 / 12 - (1 / 360 - (1 / 1260 - 1 / 1680 / k2) / k2) / k2) / k;
  return (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - 1 / 1188 / k2) / k2) / k2) / k2) / k;
}

/** k·log(k/m) + m − k without cancellation (Loader's bd0). */
function deviance(k: number, m: number): number {
  if (Math.abs(k - m) < 0.1 * (k + m)) {
    let v = (k - m) / (k + m);
    let sum = (k - m) * v;
    let ej = 2 * k * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const next = sum + ej / (2 * j + 1);
      if (next === sum) return sum;
      sum = next;
    }
    return sum;
  }
  return k * Math.log(k / m) + m - k;
}

/** Binomial pmf C(n, k)·p^k·q^(n−k) given n·p and n·q (p + q = 1), to full relative precision. */
function binomialPmf(k: number, n: number, np: number, nq: number): number {
  if (k === 0) return nq <= 0 ? 0 : Math.exp(n * Math.log(nq / n));
  if (k === n) return np <= 0 ? 0 : Math.exp(n * Math.log(np / n));
  if (np <= 0 || nq <= 0) return 0;
  const lc = stirlingError(n) - stirlingError(k) - stirlingError(n - k) - deviance(k, np) - deviance(n - k, nq);
  return Math.exp(lc) * Math.sqrt(n / (2 * Math.PI * k * (n - k)));
}

/** cephes' MINLOG: below this log, probabilities underflow. */
const MIN_LOG = -708.3964185322641;

/**
 * Pr(D⁺_n ≥ x): the one-sided Smirnov survival function as scipy's `smirnov` computes it — the
 * Birnbaum–Tingey sum (here in log space), stopped once the remaining terms cannot change the sum; 0 where
 * it underflows; and for n > 1,000,000 the approximation exp(−(6nx + 1)² / 18n).
 */
export function smirnovSurvival(n: number, x: number): number {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  if (-2 * n * x * x < MIN_LOG) return 0;
  if (n > 1_000_000) {
    const logp = -((6 * n * x + 1) ** 2) / 18 / n;
    return logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp);
  }
  const lastJ = Math.floor(n * (1 - x));
  const nx = n * x;
  const step = 1 / n;
  let sum = 0;
  let term = 0;
  for (let j = 0; j <= lastJ; j++) {
    // Term j is C(n, j)·a^(j−1)·b^(n−j) with a = x + j/n, b = 1 − a: the binomial pmf at j for success
    // probability a, divided by a. Every 256th term is computed with Loader's saddle-point form (full
    // precision); those between by the ratio to the previous term (two log1p and one exp).
    if (j % 256 === 0 || term === 0) {
      term = binomialPmf(j, n, nx + j, n - j - nx) / (x + j / n);
    } else {
      const a = x + (j - 1) / n;
      const b = (n - j + 1 - nx) / n;
      term *= ((n - j + 1) / j) * (a / b) * Math.exp((j - 1) * Math.log1p(step / a) + (n - j) * Math.log1p(-step / b));
    }
    sum += term;
    if (term > 0 && j !== lastJ && 4 * (lastJ + 1 - j) * term < Number.EPSILON * sum) break;
  }
  return Math.min(1, Math.max(0, x * sum));
}

/** Pelz–Good approximation of Pr(D_n ≤ x) (scipy's `_kolmogn_PelzGood`). */
function pelzGoodCdf(n: number, x: number): number {
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const pi2 = Math.PI ** 2;
  const pi4 = pi2 * pi2;
  const pi6 = pi4 * pi2;
  const qlog = -pi2 / 8 / z2;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = pi2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * pi2) / 4;
  const k2c = (pi4 * (1 - 2 * z2)) / 16;
  const k3d = (pi6 * (5 - 30 * z2)) / 64;
  const k3c = (pi4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (pi2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const k = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let kk = maxk; kk > 0; kk--) {
    const m = 2 * kk - 1;
    const m2 = m * m;
    const qp = q ** (8 * kk);
    const coeffs = [
      1,
      k1a + k1b * m2,
      k2a + k2b * m2 + k2c * m2 * m2,
      k3a + k3b * m2 + k3c * m2 * m2 + k3d * m2 * m2 * m2,
    ];
    for (let i = 0; i < 4; i++) k[i] = k[i]! * qp + coeffs[i]!;
  }
  const sqrt2pi = Math.sqrt(2 * Math.PI);
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) k[i] = (k[i]! * q * sqrt2pi) / divisors[i]!;
  q = Math.exp(-pi2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  for (let kk = maxk; kk > 0; kk--) {
    const k2 = kk * kk;
    const qp = q ** k2;
    k2extra += k2 * qp;
    k3extra += (Math.sqrt(3) * z + Math.PI * kk) * (Math.sqrt(3) * z - Math.PI * kk) * k2 * qp;
  }
  k[2] = k[2]! + (k2extra * pi2 * sqrt2pi) / (-36 * z ** 3);
  k[3] = k[3]! + (k3extra * pi2 * sqrt2pi) / (216 * z6);
  return k.reduce((sum, v, i) => sum + v / n ** (i / 2), 0);
}

const SCALE_EXP = 128;
const BIG = 2 ** SCALE_EXP;
const SMALL = 2 ** -SCALE_EXP;

/** `x · 2^e` without overflowing or underflowing in an intermediate power of two. */
function ldexp(x: number, e: number): number {
  let value = x;
  let rest = e;
  while (rest > 512) {
    value *= 2 ** 512;
    rest -= 512;
  }
  while (rest < -512) {
    value *= 2 ** -512;
    rest += 512;
  }
  return value * 2 ** rest;
}

function matmul(a: Float64Array, b: Float64Array, m: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < m; l++) {
      const ail = a[i * m + l]!;
      if (ail === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j]! += ail * b[l * m + j]!;
    }
  }
  return out;
}

/**
 * Pr(D_n ≤ d) by the Durbin matrix method (Marsaglia, Tsang & Wang 2003): the (k, k) entry of Hⁿ times
 * n!/nⁿ, with H of order 2k − 1, k = ⌈nd⌉, and power-of-two rescaling against overflow.
 */
export function durbinMatrixCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac; // 1/(j−1)!
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac; // (1 − h^j)/j!
  }
  v[m - 1] = (1 + Math.max(2 * h - 1, 0) ** m - 2 * h ** m) * fac;
  let H: Float64Array<ArrayBuffer> = new Float64Array(m * m);
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - i + 1]!;
  for (let r = 0; r < m; r++) H[r * m] = v[r]!;
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c]!;

  let power: Float64Array<ArrayBuffer> = new Float64Array(m * m);
  for (let i = 0; i < m; i++) power[i * m + i] = 1;
  let exponent = 0;
  let hExponent = 0;
  for (let left = n; left > 0; left = Math.floor(left / 2)) {
    if (left % 2) {
      power = matmul(power, H, m);
      exponent += hExponent;
    }
    H = matmul(H, H, m);
    hExponent *= 2;
    if (Math.abs(H[(k - 1) * m + (k - 1)]!) > BIG) {
      for (let i = 0; i < H.length; i++) H[i]! /= BIG;
      hExponent += SCALE_EXP;
    }
  }
  let p = power[(k - 1) * m + (k - 1)]!;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < SMALL) {
      p *= BIG;
      exponent -= SCALE_EXP;
    }
  }
  return exponent === 0 ? p : ldexp(p, exponent);
}

/** Row bounds of the Pomeranz recursion (scipy's `_pomeranz_compute_j1j2`). */
function pomeranzBounds(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = half - 1 - ll - roundf - 1;
        j2 = half + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** Pr(D_n ≤ x) by the Pomeranz (1974) recursion: 2n + 1 convolutions with truncated Poisson weights. */
export function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const size = 2 * (ll + 1);
  const gPower = new Float64Array(size);
  const twoGPower = new Float64Array(size);
  const restPower = new Float64Array(size);
  gPower[0] = twoGPower[0] = restPower[0] = 1;
  for (let m = 1; m < size; m++) {
    gPower[m] = (gPower[m - 1]! * (g / n)) / m;
    twoGPower[m] = (twoGPower[m - 1]! * ((2 * g) / n)) / m;
    restPower[m] = (restPower[m - 1]! * ((1 - 2 * g) / n)) / m;
  }
  let v0 = new Float64Array(size);
  let v1 = new Float64Array(size);
  v1[0] = 1;
  let v0Start = 0;
  let v1Start = 0;
  let exponent = 0;
  let [j1, j2] = pomeranzBounds(0, n, ll, ceilf, roundf);
  for (let i = 1; i <= 2 * n + 1; i++) {
    const k1 = j1;
    [v0, v1] = [v1, v0];
    [v0Start, v1Start] = [v1Start, v0Start];
    v1.fill(0);
    [j1, j2] = pomeranzBounds(i, n, ll, ceilf, roundf);
    const powers = i === 1 || i === 2 * n + 1 ? gPower : i % 2 ? twoGPower : restPower;
    const span = j2 - k1 + 1;
    if (span <= 0) continue;
    const from = k1 - v0Start;
    const aLen = Math.max(0, Math.min(span, size - from));
    const bLen = Math.min(span, size);
    const start = j1 - k1;
    const len = j2 - j1 + 1;
    let max = 0;
    for (let c = 0; c < len; c++) {
      const at = start + c; // index into the full convolution of v0[from…] and powers
      let sum = 0;
      for (let a = Math.max(0, at - bLen + 1); a <= Math.min(at, aLen - 1); a++) sum += v0[from + a]! * powers[at - a]!;
      v1[c] = sum;
      if (sum > max) max = sum;
    }
    if (max > 0 && max < SMALL) {
      for (let c = 0; c < size; c++) v1[c]! *= BIG;
      exponent -= SCALE_EXP;
    }
    v1Start = v0Start + j1 - k1;
  }
  let answer = v1[n - v1Start]!;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(answer) > BIG) {
      answer *= SMALL;
      exponent += SCALE_EXP;
    }
    answer *= m;
  }
  return exponent === 0 ? answer : ldexp(answer, exponent);
}

const clip = (p: number) => Math.min(1, Math.max(0, p));

/**
 * Pr(D_n > x) = scipy's `kstwo.sf(x, n)`, with the same method in each region as scipy's `_kolmogn`:
 * Ruben–Gambino at the extremes; twice the exact Smirnov tail for x ≥ 0.5 and far tails; for n ≤ 140 the
 * Durbin matrix (n·x² ≤ 0.754693) or the Pomeranz recursion (n·x² ≤ 4); for larger n the Durbin matrix
 * near the origin (n·x^1.5 ≤ 1.4, n ≤ 100,000) and Pelz–Good elsewhere.
 */
export function kolmogorovNSurvival(n: number, x: number): number {
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let prob: number;
    if (n <= 140) {
      prob = 1;
      for (let i = 1; i <= n; i++) prob *= (i / n) * (2 * t - 1);
    } else {
      prob = Math.exp(logGamma(n + 1) - n * Math.log(n) + n * Math.log(2 * t - 1));
    }
    return clip(1 - prob);
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n);
  if (x >= 0.5) return clip(2 * smirnovSurvival(n, x));
  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 0.754693) return clip(1 - durbinMatrixCdf(n, x));
    if (nx2 <= 4) return clip(1 - pomeranzCdf(n, x));
    return clip(2 * smirnovSurvival(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip(2 * smirnovSurvival(n, x));
  if (nx2 >= 18) return 0;
  if (n <= 100_000 && n * x ** 1.5 <= 1.4) return clip(1 - durbinMatrixCdf(n, x));
  return clip(1 - pelzGoodCdf(n, x));
}
