import { accuracyScore, InvalidInputError } from '@mlops/core';

function classCount(actual: readonly number[], predicted: readonly number[], nClasses?: number): number {
  if (actual.length !== predicted.length) {
    throw new InvalidInputError(`metrics need equal lengths: ${actual.length} actual vs ${predicted.length} predicted`);
  }
  if (actual.length === 0) throw new InvalidInputError('metrics of zero rows are undefined');
  const k = nClasses ?? Math.max(...actual, ...predicted) + 1;
  const check = (values: readonly number[], what: string) =>
    values.forEach((v, i) => {
      if (!Number.isInteger(v) || v < 0 || v >= k) {
        throw new InvalidInputError(
          `${what} label at row ${i} is ${String(v)}: expected a class index in [0, ${k - 1}]`,
          { row: i },
        );
      }
    });
  check(actual, 'actual');
  check(predicted, 'predicted');
  return k;
}

/** `matrix[i][j]`: rows of true class i predicted as class j (scikit-learn's `confusion_matrix`). */
export function confusionMatrix(
  actual: readonly number[],
  predicted: readonly number[],
  nClasses?: number,
): number[][] {
  const k = classCount(actual, predicted, nClasses);
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  actual.forEach((a, i) => {
    matrix[a]![predicted[i]!]!++;
  });
  return matrix;
}

/** Precision, recall, F1 and support of one class or average. */
export interface ClassScores {
  /** TP / (TP + FP); 0 when nothing was predicted as the class. */
  readonly precision: number;
  /** TP / (TP + FN); 0 when the class never occurs. */
  readonly recall: number;
  /** Harmonic mean of precision and recall; 0 when both are 0. */
  readonly f1: number;
  /** Rows whose true class it is. */
  readonly support: number;
}

/** scikit-learn's `classification_report(output_dict=True)` as data. */
export interface ClassificationReport {
  /** Scores per class name. */
  readonly perClass: Readonly<Record<string, ClassScores>>;
  /** Unweighted mean over classes. */
  readonly macro: ClassScores;
  /** Mean weighted by support. */
  readonly weighted: ClassScores;
  /** From the pooled counts (equals accuracy for single-label data). */
  readonly micro: ClassScores;
  /** Overall accuracy. */
  readonly accuracy: number;
}

/**
 * Per-class precision/recall/F1 plus macro and weighted averages, as scikit-learn computes them with
 * `zero_division="warn"`: an undefined ratio counts as 0 (scikit-learn also warns; this returns the value).
 */
export function classificationReport(
  actual: readonly number[],
  predicted: readonly number[],
  classNames: readonly string[],
): ClassificationReport {
  const matrix = confusionMatrix(actual, predicted, classNames.length);
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const scores = classNames.map((_, c) => {
    const tp = matrix[c]![c]!;
    const support = matrix[c]!.reduce((a, b) => a + b, 0);
    const predictedAs = matrix.reduce((sum, row) => sum + row[c]!, 0);
    const precision = ratio(tp, predictedAs);
    const recall = ratio(tp, support);
    return { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  const total = actual.length;
  const average = (weight: (s: ClassScores) => number, divisor: number): ClassScores => ({
    precision: scores.reduce((sum, s) => sum + s.precision * weight(s), 0) / divisor,
    recall: scores.reduce((sum, s) => sum + s.recall * weight(s), 0) / divisor,
    f1: scores.reduce((sum, s) => sum + s.f1 * weight(s), 0) / divisor,
    support: total,
  });
  return {
    perClass: Object.fromEntries(classNames.map((name, c) => [name, scores[c]!])),
    macro: average(() => 1, classNames.length),
    weighted: average((s) => s.support, total),
    micro: (() => {
      const tp = classNames.reduce((sum, _, c) => sum + matrix[c]![c]!, 0);
      const p = ratio(tp, total);
      return { precision: p, recall: p, f1: p, support: total };
    })(),
    accuracy: accuracyScore(actual, predicted),
  };
}

/** Mean per-class recall over the classes that occur in `actual` (scikit-learn's `balanced_accuracy_score`). */
export function balancedAccuracy(actual: readonly number[], predicted: readonly number[]): number {
  const matrix = confusionMatrix(actual, predicted);
  const recalls = matrix.flatMap((row, c) => {
    const support = row.reduce((a, b) => a + b, 0);
    return support === 0 ? [] : [row[c]! / support];
  });
  return recalls.reduce((a, b) => a + b, 0) / recalls.length;
}
