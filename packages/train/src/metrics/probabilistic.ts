import { InvalidInputError } from '@mlops/core';

function checkProba(actual: readonly number[], proba: readonly (readonly number[])[]): number {
  if (actual.length !== proba.length)
    throw new InvalidInputError(`need one probability row per label: ${actual.length} labels vs ${proba.length} rows`);
  if (actual.length === 0) throw new InvalidInputError('metrics of zero rows are undefined');
  const k = proba[0]!.length;
  proba.forEach((row, i) => {
    if (row.length !== k)
      throw new InvalidInputError(`probability row ${i} has ${row.length} values, expected ${k}`, { row: i });
    row.forEach((p, c) => {
      if (!(p >= 0 && p <= 1))
        throw new InvalidInputError(`probability row ${i}, class ${c} is ${p}: expected a number in [0, 1]`, {
          row: i,
          column: c,
        });
    });
  });
  actual.forEach((a, i) => {
    if (!Number.isInteger(a) || a < 0 || a >= k)
      throw new InvalidInputError(`label at row ${i} is ${a}: expected a class index in [0, ${k - 1}]`, { row: i });
  });
  return k;
}

/**
 * Cross-entropy of predicted class probabilities (scikit-learn's `log_loss`): rows are renormalised,
 * probabilities clipped to [ε, 1 − ε] with ε the float64 machine epsilon.
 */
export function logLoss(actual: readonly number[], proba: readonly (readonly number[])[]): number {
  checkProba(actual, proba);
  const eps = Number.EPSILON;
  let total = 0;
  actual.forEach((a, i) => {
    const row = proba[i]!.map((p) => Math.min(1 - eps, Math.max(eps, p)));
    const sum = row.reduce((s, p) => s + p, 0);
    total -= Math.log(row[a]! / sum);
  });
  return total / actual.length;
}

/** Area under the ROC curve of binary labels (1 = positive) and scores: Mann–Whitney U with average ranks for ties. */
export function binaryRocAuc(positive: readonly boolean[], scores: readonly number[]): number {
  const order = scores.map((_s, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  const ranks = new Float64Array(scores.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[i]!]) j++;
    for (let t = i; t <= j; t++) ranks[order[t]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  let nPos = 0;
  let rankSum = 0;
  positive.forEach((p, i) => {
    if (p) {
      nPos++;
      rankSum += ranks[i]!;
    }
  });
  const nNeg = positive.length - nPos;
  if (nPos === 0 || nNeg === 0) throw new InvalidInputError('ROC AUC needs both positive and negative rows');
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * One-vs-rest ROC AUC over classes (scikit-learn's `roc_auc_score(multi_class='ovr')`): the unweighted
 * mean of per-class AUCs, or weighted by class prevalence. Two columns: the AUC of column 1.
 */
export function rocAuc(
  actual: readonly number[],
  proba: readonly (readonly number[])[],
  average: 'macro' | 'weighted' = 'macro',
): number {
  const k = checkProba(actual, proba);
  if (k === 2)
    return binaryRocAuc(
      actual.map((a) => a === 1),
      proba.map((row) => row[1]!),
    );
  let sum = 0;
  let weights = 0;
  for (let c = 0; c < k; c++) {
    const positive = actual.map((a) => a === c);
    const w = average === 'weighted' ? positive.filter(Boolean).length : 1;
    sum +=
      w *
      binaryRocAuc(
        positive,
        proba.map((row) => row[c]!),
      );
    weights += w;
  }
  return sum / weights;
}
