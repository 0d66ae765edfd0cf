import { parseJsonSafely, type ParseResult } from '@mlops/core';

export { FORBIDDEN_KEYS, parseJsonSafely, type ParseResult } from '@mlops/core';

/** {@link parseJsonSafely}, then a structural check: `describeProblem` returns why the value is invalid, or `undefined`. */
export function parseChecked<T>(text: string, describeProblem: (value: unknown) => string | undefined): ParseResult<T> {
  const parsed = parseJsonSafely(text);
  if (!parsed.ok) return parsed;
  const problem = describeProblem(parsed.value);
  return problem === undefined ? { ok: true, value: parsed.value as T } : { ok: false, reason: problem };
}
