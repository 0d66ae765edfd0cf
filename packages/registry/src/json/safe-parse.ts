import { parseJsonSafely, type ParseResult } from '@mlops/core';

export { FORBIDDEN_KEYS, parseJsonSafely, type ParseResult } from '@mlops/core';

/** {@link parseJsonSafely}, then a structural check: `describeProblem` returns why the value is invalid, or `undefined`. */
export function parseChecked<T>(text: string, describeProblem: (value: unknown) => string | undefined): ParseResult<T> {
  const parsed = parseJsonSafely(text);
  if (!parsed.ok) return parsed;
  const problem = describeProblem(parsed.value);
  return problem === undefined ? { ok: true, value: parsed.value as T } : { ok: false, reason: problem };
}

/** One unreadable line of an NDJSON file. */
export interface NdjsonLineProblem {
  /** One-based line number. */
  readonly line: number;
  /** What is wrong with it. */
  readonly problem: string;
  /** True for the last line of a file that does not end in a newline: an append interrupted by a crash. */
  readonly torn: boolean;
}

/** Parses NDJSON text line by line with {@link parseChecked}, collecting unreadable lines instead of throwing. */
export function parseNdjson<T>(text: string, describeProblem: (value: unknown) => string | undefined): { values: T[]; problems: NdjsonLineProblem[] } {
  const lines = text.split('\n');
  const values: T[] = [];
  const problems: NdjsonLineProblem[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const parsed = parseChecked<T>(line, describeProblem);
    if (parsed.ok) values.push(parsed.value);
    else problems.push({ line: index + 1, problem: parsed.reason, torn: index === lines.length - 1 });
  });
  return { values, problems };
}
