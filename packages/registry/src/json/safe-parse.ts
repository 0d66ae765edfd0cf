/** Keys that could reach `Object.prototype` when parsed data is later merged or assigned. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Outcome of a safe parse: the value, or why it was rejected. */
export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

class ForbiddenKeyFound extends Error {}

function rejectForbiddenKeys(key: string, value: unknown): unknown {
  if (FORBIDDEN_KEYS.has(key)) throw new ForbiddenKeyFound(`forbidden key ${JSON.stringify(key)}`);
  return value;
}

/** Parses JSON text, rejecting malformed text and any `__proto__`, `constructor` or `prototype` key at any depth. */
export function parseJsonSafely(text: string): ParseResult<unknown> {
  try {
    return { ok: true, value: JSON.parse(text, rejectForbiddenKeys) };
  } catch (error) {
    if (error instanceof ForbiddenKeyFound) return { ok: false, reason: error.message };
    return { ok: false, reason: `not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}

/** {@link parseJsonSafely}, then a structural check: `describeProblem` returns why the value is invalid, or `undefined`. */
export function parseChecked<T>(text: string, describeProblem: (value: unknown) => string | undefined): ParseResult<T> {
  const parsed = parseJsonSafely(text);
  if (!parsed.ok) return parsed;
  const problem = describeProblem(parsed.value);
  return problem === undefined ? { ok: true, value: parsed.value as T } : { ok: false, reason: problem };
}
