import { InvalidInputError } from '@mlops/core';
import { chiSquareSurvival, normalSurvival } from './special';

/** A test's statistic and p-value. */
export interface TestResult {
  readonly statistic: number;
  readonly pValue: number;
}

function assertCounts(counts: readonly number[], which: string): void {
  counts.forEach((c, i) => {
    if (!Number.isFinite(c) || c < 0)
      throw new InvalidInputError(`${which} count ${i} is ${c}: expected a finite number ≥ 0`, { column: i });
  });
}

/**
 * Chi-square test of independence on the 2 × k table of reference and current category counts
 * (scipy's `chi2_contingency(..., correction=False)`), with (2 − 1)(k − 1) degrees of freedom.
 */
export function chiSquareTest(
  referenceCounts: readonly number[],
  currentCounts: readonly number[],
): TestResult & { readonly dof: number } {
  if (referenceCounts.length !== currentCounts.length) {
    throw new InvalidInputError(`reference has ${referenceCounts.length} categories, current ${currentCounts.length}`);
  }
  if (referenceCounts.length < 2) throw new InvalidInputError('chi-square needs at least 2 categories');
  assertCounts(referenceCounts, 'reference');
  assertCounts(currentCounts, 'current');
  const rows = [referenceCounts, currentCounts];
  const rowTotals = rows.map((r) => r.reduce((a, b) => a + b, 0));
  const total = rowTotals[0]! + rowTotals[1]!;
  if (rowTotals[0] === 0 || rowTotals[1] === 0) throw new InvalidInputError('chi-square needs counts in both samples');
  let statistic = 0;
  referenceCounts.forEach((_, j) => {
    const columnTotal = referenceCounts[j]! + currentCounts[j]!;
    if (columnTotal === 0)
      throw new InvalidInputError(`category ${j} has no count in either sample: its expected frequency is zero`, {
        column: j,
      });
    rows.forEach((row, r) => {
      const expected = (rowTotals[r]! * columnTotal) / total;
      statistic += (row[j]! - expected) ** 2 / expected;
    });
  });
  const dof = referenceCounts.length - 1;
  return { statistic, pValue: chiSquareSurvival(statistic, dof), dof };
}

/** Two-sided two-proportion Z-test with the pooled proportion (successes out of trials in each sample). */
export function zTestProportions(
  referenceSuccesses: number,
  referenceTrials: number,
  currentSuccesses: number,
  currentTrials: number,
): TestResult {
  const pairs: [number, number, string][] = [
    [referenceSuccesses, referenceTrials, 'reference'],
    [currentSuccesses, currentTrials, 'current'],
  ];
  for (const [x, n, which] of pairs) {
    if (!Number.isInteger(n) || n < 1 || !Number.isInteger(x) || x < 0 || x > n) {
      throw new InvalidInputError(`${which}: ${x} successes of ${n} trials is not a valid proportion`);
    }
  }
  const pooled = (referenceSuccesses + currentSuccesses) / (referenceTrials + currentTrials);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / referenceTrials + 1 / currentTrials));
  if (se === 0) return { statistic: 0, pValue: 1 };
  const statistic = (referenceSuccesses / referenceTrials - currentSuccesses / currentTrials) / se;
  return { statistic, pValue: Math.min(1, 2 * normalSurvival(Math.abs(statistic))) };
}
