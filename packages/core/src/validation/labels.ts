import { InvalidInputError } from '../errors/errors';

/** Class labels turned into a dataset's `target` (indices) and `classNames`. */
export interface EncodedLabels {
  /** Index into `classNames` per row. */
  readonly target: number[];
  /** Distinct labels as strings, sorted as scikit-learn's `LabelEncoder` sorts them. */
  readonly classNames: string[];
}

/**
 * Encodes class labels — all numbers or all strings — as scikit-learn's `LabelEncoder` does: classes
 * sorted (numerically for numbers), each row's target the index of its class.
 */
export function encodeLabels(labels: readonly (string | number)[]): EncodedLabels {
  if (labels.length === 0) throw new InvalidInputError('labels are empty');
  const kind = typeof labels[0];
  labels.forEach((label, i) => {
    if (
      typeof label !== kind ||
      (typeof label === 'number' && !Number.isFinite(label)) ||
      (kind !== 'number' && kind !== 'string')
    ) {
      throw new InvalidInputError(
        `label at row ${i} is ${typeof label === 'string' ? JSON.stringify(label) : String(label)}: labels must be all finite numbers or all strings`,
        { row: i },
      );
    }
  });
  const distinct = [...new Set(labels)];
  const sorted =
    kind === 'number'
      ? (distinct as number[]).sort((a, b) => a - b)
      : (distinct as string[]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map<string | number, number>(sorted.map((label, i) => [label, i]));
  return { target: labels.map((label) => index.get(label)!), classNames: sorted.map(String) };
}
