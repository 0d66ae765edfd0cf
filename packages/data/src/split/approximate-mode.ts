import type { RandomState } from '@mlops/core';

/**
 * scikit-learn's `_approximate_mode`: how many of `draws` to take per class so the split keeps class
 * proportions; ties of the remainders are broken with `random` exactly as scikit-learn breaks them.
 */
export function approximateMode(classCounts: readonly number[], draws: number, random: RandomState): number[] {
  const total = classCounts.reduce((a, b) => a + b, 0);
  const continuous = classCounts.map((count) => (count / total) * draws);
  const floored = continuous.map(Math.floor);
  let needToAdd = draws - floored.reduce((a, b) => a + b, 0);
  if (needToAdd > 0) {
    const remainder = continuous.map((c, i) => c - floored[i]!);
    const values = [...new Set(remainder)].sort((a, b) => b - a);
    for (const value of values) {
      const candidates = remainder.flatMap((r, i) => (r === value ? [i] : []));
      const addNow = Math.min(candidates.length, needToAdd);
      for (const pick of random.choiceWithoutReplacement(candidates.length, addNow)) floored[candidates[pick]!]!++;
      needToAdd -= addNow;
      if (needToAdd === 0) break;
    }
  }
  return floored;
}
