/** What a raw input column holds: any finite number, whole numbers, true/false flags, or one of a set of text levels. */
export type ColumnType = 'number' | 'integer' | 'boolean' | 'category';

/**
 * How a column's missing values are filled: the statistic learned from the training rows, or a given value — or
 * `keep`: not filled, the estimator gets `NaN` (for estimators that handle missing values, such as gradient boosting).
 */
export type ColumnFill =
  | {
      /** `median`/`mean` (numbers), `mode` (the most frequent value), or `constant` (given by the user). */
      readonly strategy: 'median' | 'mean' | 'mode' | 'constant';
      /** The raw value that replaces a missing one: a number, a boolean, or one of a category's levels. */
      readonly value: number | boolean | string;
    }
  | { readonly strategy: 'keep' };

/** One raw input column of a pipeline: what a record must (or may) carry under this name. */
export interface InputColumn {
  /** Column name, as in the training file. */
  readonly name: string;
  /** What the column holds. */
  readonly type: ColumnType;
  /** For `category`: the levels seen in the training rows (or declared), in code order. */
  readonly levels?: readonly string[];
  /** True when a missing value is accepted (and filled with `fill`). */
  readonly nullable: boolean;
  /** How a missing value is filled; present exactly when `nullable`. */
  readonly fill?: ColumnFill;
  /** Missing values this column had in the training rows. */
  readonly missingCount: number;
}

/** What happens to a category value a column did not see at fit time: an error, or it is treated as missing (and filled). */
export type UnseenCategory = 'error' | 'missing';

/** The prediction target of a pipeline: its column name, and its classes (classification) or `regression`. */
export interface PipelineTarget {
  /** Target column name; prediction files may carry it (it is never a feature). */
  readonly name: string;
  /** `classification` (predictions are indices into `classNames`) or `regression`. */
  readonly task: 'classification' | 'regression';
  /** Class labels in index order, for classification. */
  readonly classNames?: readonly string[];
}

/**
 * Preprocessing learned from the training rows: how raw records become the numeric rows an estimator
 * takes. Plain JSON data; the pipeline artifact (`mlops-pipeline`) stores it next to the estimator.
 */
export interface Preprocessing {
  /** Input columns in order; the estimator sees one numeric column per input (category levels as codes). */
  readonly inputs: readonly InputColumn[];
  /** The target column and task. */
  readonly target: PipelineTarget;
  /** Columns left out on purpose (an id, a leaking column): records may carry them, and they are ignored. */
  readonly dropped: readonly string[];
  /** Text that means "missing" (compared after trimming); `null`, `undefined` and `NaN` always do. */
  readonly missingValues: readonly string[];
  /** What an unseen category does (default `error`). */
  readonly unseenCategory: UnseenCategory;
}

/** One raw cell: text (CSV), a number, a boolean, or `null`/`undefined` for missing. */
export type RawValue = string | number | boolean | null | undefined;

/** One raw input record keyed by column name, e.g. a parsed CSV row or a JSON request body. */
export type RawRecord = Readonly<Record<string, RawValue>>;

/** One raw input row by position (columns in the pipeline's input order); categories as levels or codes. */
export type RawRow = readonly RawValue[];
