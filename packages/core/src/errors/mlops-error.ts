const MARKER_PREFIX = '@mlops/core/error/';

/** Where in tabular input a problem was found: row, column, column name, and so on. */
export interface ErrorLocation {
  /**
   * The row as the message names it: the 1-based line number for text files (CSV, NDJSON — `line 3`), the 0-based
   * index for in-memory rows, JSON arrays and request bodies (`row 0`).
   */
  readonly row?: number;
  /** Zero-based column index. */
  readonly column?: number;
  /** Column (feature) name. */
  readonly columnName?: string;
  /** Model, dataset or alias name. */
  readonly name?: string;
  /** Model or dataset version. */
  readonly version?: number;
}

/** Options shared by every `@mlops` error. */
export interface MlopsErrorOptions extends ErrorLocation {
  /** The underlying error, if any. */
  readonly cause?: unknown;
}

function markerOf(className: string): symbol {
  return Symbol.for(MARKER_PREFIX + className);
}

/** True when `value` carries the cross-copy marker of error class `className`. */
export function hasErrorMarker(value: unknown, className: string): boolean {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[markerOf(className)] === true
  );
}

/**
 * Base class of every error thrown by `@mlops` packages. `code` is stable across releases; `isInstance`
 * works even when two copies of @mlops/core are installed (it checks a `Symbol.for` marker, not the prototype).
 */
export class MlopsError extends Error {
  /** Stable machine-readable code, e.g. `NOT_FOUND`. */
  readonly code: string;
  /** The row at fault, as the message names it (1-based line of a file, 0-based index of in-memory rows). */
  declare readonly row?: number;
  /** Zero-based column at fault, when the error is about tabular input. */
  declare readonly column?: number;
  /** Name of the column at fault. */
  declare readonly columnName?: string;
  /** Model, dataset or alias name at fault. */
  declare readonly modelName?: string;
  /** Version at fault. */
  declare readonly version?: number;

  constructor(code: string, message: string, options: MlopsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.row !== undefined) this.row = options.row;
    if (options.column !== undefined) this.column = options.column;
    if (options.columnName !== undefined) this.columnName = options.columnName;
    if (options.name !== undefined) this.modelName = options.name;
    if (options.version !== undefined) this.version = options.version;
    this.mark('MlopsError');
  }

  /** Adds the cross-copy marker of `className` and names the error; each subclass calls it once. */
  protected mark(className: string): void {
    Object.defineProperty(this, markerOf(className), { value: true, enumerable: false });
    this.name = className;
  }

  /** True for any `@mlops` error, from any installed copy of `@mlops/core`. */
  static isInstance(value: unknown): value is MlopsError {
    return hasErrorMarker(value, 'MlopsError');
  }
}
