import { InvalidInputError, parseJsonSafely } from '@mlops/core';

/** Parses untrusted JSON (request bodies, files), refusing prototype keys; `InvalidInputError` naming `what`. */
export function parseJson(text: string, what: string): unknown {
  const parsed = parseJsonSafely(text);
  // The reason reads `not valid JSON (…)`, or `forbidden key "__proto__"` for JSON that could reach a prototype.
  if (!parsed.ok) throw new InvalidInputError(`${what} is refused: ${parsed.reason}`);
  return parsed.value;
}
