/**
 * Class probabilities from raw outputs: one output is the log-odds of the second of two classes (sigmoid), more are
 * one margin per class (softmax, shifted by the largest for stability).
 */
export function classProbabilities(z: readonly number[]): number[] {
  if (z.length === 1) {
    const p = 1 / (1 + Math.exp(-z[0]!));
    return [1 - p, p];
  }
  const top = Math.max(...z);
  const e = z.map((v) => Math.exp(v - top));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/** The index of the highest probability (ties to the lower index). */
export function mostProbable(p: readonly number[]): number {
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k]! > p[best]!) best = k;
  return best;
}
