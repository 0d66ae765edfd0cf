/** Keys that could reach `Object.prototype` when parsed data is later merged or assigned. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Outcome of a safe parse: the value, or why it was rejected. */
export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

class ForbiddenKeyFound extends Error {}

function rejectForbiddenKeys(key: string, value: unknown): unknown {
  if (FORBIDDEN_KEYS.has(key)) throw new ForbiddenKeyFound(`forbidden key ${JSON.stringify(key)}`);
  return value;
}

/**
 * Parses untrusted JSON text (files, request bodies), rejecting malformed text and any `__proto__`,
 * `constructor` or `prototype` key at any depth. Never throws: the result says why it failed.
 */
export function parseJsonSafely(text: string): ParseResult<unknown> {
  try {
    return { ok: true, value: JSON.parse(text, rejectForbiddenKeys) };
  } catch (error) {
    if (error instanceof ForbiddenKeyFound) return { ok: false, reason: error.message };
    return { ok: false, reason: `not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}
