// Distribution of the two-sided one-sample KS statistic D_n (scipy's `kstwo`), used by ksTest's
// asymptotic mode exactly as scipy uses it: kstwo.sf(d, round(n1·n2 / (n1 + n2))).
import { logGamma } from './special';

/** Pr(D⁺_n ≥ x): the exact one-sided Smirnov survival function (Birnbaum–Tingey sum, in log space). */
export function smirnovSurvival(n: number, x: number): number {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  const lastJ = Math.floor(n * (1 - x));
  const logNFact = logGamma(n + 1);
  let sum = 0;
  for (let j = 0; j <= lastJ; j++) {
    const rest = 1 - x - j / n;
    if (rest <= 0) {
      if (j === n) sum += Math.exp(logNFact - logGamma(j + 1) - logGamma(n - j + 1) + (j - 1) * Math.log(x + j / n));
      continue;
    }
    const logTerm =
      logNFact - logGamma(j + 1) - logGamma(n - j + 1) + (j - 1) * Math.log(x + j / n) + (n - j) * Math.log(rest);
    sum += Math.exp(logTerm);
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
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m2 * m2, k3a + k3b * m2 + k3c * m2 * m2 + k3d * m2 * m2 * m2];
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

/**
 * Pr(D_n > x), following scipy's `_kolmogn` branches: Ruben–Gambino at the extremes, twice the exact
 * Smirnov tail where that is exact or accurate (x ≥ 0.5, or n·x² ≥ 2.2 for n > 140), Pelz–Good elsewhere.
 * scipy uses the Durbin matrix and Pomeranz recursions in the small-n, small-x region; there this is an approximation.
 */
export function kolmogorovNSurvival(n: number, x: number): number {
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let prob = 1;
    for (let i = 1; i <= n; i++) prob *= (i / n) * (2 * t - 1);
    return 1 - prob;
  }
  if (t >= n - 1) return 2 * (1 - x) ** n;
  if (x >= 0.5) return Math.min(1, 2 * smirnovSurvival(n, x));
  const nx2 = t * x;
  if (n <= 140 ? nx2 > 4 : nx2 >= 2.2) return nx2 >= 370 ? 0 : Math.min(1, 2 * smirnovSurvival(n, x));
  if (nx2 >= 18) return 0;
  return Math.min(1, Math.max(0, 1 - pelzGoodCdf(n, x)));
}
