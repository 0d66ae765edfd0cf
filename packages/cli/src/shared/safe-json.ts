import { InvalidInputError, parseJsonSafely } from '@mlops/core';

/** Parses untrusted JSON (request bodies, files), refusing prototype keys; `InvalidInputError` naming `what`. */
export function parseJson(text: string, what: string): unknown {
  const parsed = parseJsonSafely(text);
  if (!parsed.ok) throw new InvalidInputError(`${what} is not valid JSON: ${parsed.reason}`);
  return parsed.value;
}
