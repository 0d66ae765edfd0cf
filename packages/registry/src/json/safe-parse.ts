import { type NdjsonLineProblem, parseNdjsonLines } from '@mlops/core/internal';
import { createHash } from 'node:crypto';
import { parseJsonSafely as parseWithCore, type ParseResult } from '@mlops/core';

export { FORBIDDEN_KEYS, type ParseResult } from '@mlops/core';

/**
 * What is wrong with text that is not valid JSON, without quoting any of it (stored files may hold
 * secrets, and `JSON.parse` messages quote the start of the input): its length in UTF-8 bytes, the start
 * of its sha256 and, when known, the position of the error.
 */
function describeUnreadable(text: string, reason: string): string {
  const bytes = Buffer.byteLength(text, 'utf8');
  const sha256 = createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
  const position = /at position (\d+)/.exec(reason)?.[1];
  const where =
    bytes === 0
      ? 'empty'
      : /call stack/i.test(reason)
        ? 'nested too deeply to read'
        : position === undefined
          ? 'syntax error'
          : `syntax error at character ${position}`;
  return `not valid JSON (${where}; ${bytes} bytes, sha256 ${sha256}…)`;
}

/**
 * Parses untrusted JSON text like `parseJsonSafely` of `@mlops/core` (rejecting `__proto__`,
 * `constructor` and `prototype` keys; never throws), but a failure's reason never quotes the text.
 */
export function parseJsonSafely(text: string): ParseResult<unknown> {
  const parsed = parseWithCore(text);
  if (parsed.ok || !parsed.reason.startsWith('not valid JSON (')) return parsed;
  return { ok: false, reason: describeUnreadable(text, parsed.reason) };
}

/** {@link parseJsonSafely}, then a structural check: `describeProblem` returns why the value is invalid, or `undefined`. */
export function parseChecked<T>(text: string, describeProblem: (value: unknown) => string | undefined): ParseResult<T> {
  const parsed = parseJsonSafely(text);
  if (!parsed.ok) return parsed;
  const problem = describeProblem(parsed.value);
  return problem === undefined ? { ok: true, value: parsed.value as T } : { ok: false, reason: problem };
}

/** Parses NDJSON text line by line with {@link parseChecked}, collecting unreadable lines instead of throwing. */
export function parseNdjson<T>(
  text: string,
  describeProblem: (value: unknown) => string | undefined,
): { values: T[]; problems: NdjsonLineProblem[] } {
  return parseNdjsonLines<T>(text, (line) => parseChecked<T>(line, describeProblem));
}
