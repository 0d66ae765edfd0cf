import { type NdjsonLineProblem, parseNdjsonLines } from '@mlops/core/internal';
import { createHash } from 'node:crypto';
import { JsonStreamParser, UnreadableJson } from './json-stream-parser';
import { parseJsonSafely as parseWithCore, type ParseResult } from '@mlops/core';

export { FORBIDDEN_KEYS, type ParseResult } from '@mlops/core';

/**
 * What is wrong with text that is not valid JSON, without quoting any of it (stored files may hold
 * secrets, and `JSON.parse` messages quote the start of the input): its length in UTF-8 bytes, the start
 * of its sha256 and what went wrong (`syntax error at character 12`, `empty`…).
 */
function describeUnreadable(where: string, bytes: number, sha256: string): string {
  return `not valid JSON (${where}; ${bytes} bytes, sha256 ${sha256.slice(0, 16)}…)`;
}

function describeUnreadableText(text: string, reason: string): string {
  const bytes = Buffer.byteLength(text, 'utf8');
  const position = /at position (\d+)/.exec(reason)?.[1];
  const where =
    bytes === 0
      ? 'empty'
      : /call stack/i.test(reason)
        ? 'nested too deeply to read'
        : position === undefined
          ? 'syntax error'
          : `syntax error at character ${position}`;
  return describeUnreadable(where, bytes, createHash('sha256').update(text, 'utf8').digest('hex'));
}

/**
 * Parses untrusted JSON text like `parseJsonSafely` of `@mlops/core` (rejecting `__proto__`,
 * `constructor` and `prototype` keys; never throws), but a failure's reason never quotes the text.
 */
export function parseJsonSafely(text: string): ParseResult<unknown> {
  const parsed = parseWithCore(text);
  if (parsed.ok || !parsed.reason.startsWith('not valid JSON (')) return parsed;
  return { ok: false, reason: describeUnreadableText(text, parsed.reason) };
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

// Stored bytes are decoded and parsed in pieces of at most this many bytes.
const PIECE_BYTES = 1 << 20;

/**
 * Reads stored JSON given chunk by chunk, never holding its whole text: the bytes' length and sha256, and their value
 * as {@link parseChecked} would give it for the whole text (UTF-8 decoded like `Buffer#toString`, malformed sequences
 * as U+FFFD). Once the text is unreadable the rest is only hashed.
 */
export class JsonBytesReader {
  /** Bytes read so far. */
  bytes = 0;
  private readonly hash = createHash('sha256');
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  private readonly parser = new JsonStreamParser();
  private failure: UnreadableJson | undefined;

  /** Reads the next chunk. */
  push(chunk: Uint8Array): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    for (let at = 0; at < chunk.length && this.failure === undefined; at += PIECE_BYTES)
      this.parse(() => this.parser.write(this.decoder.decode(chunk.subarray(at, at + PIECE_BYTES), { stream: true })));
  }

  /** Ends the bytes: their digest, and their value checked by `describeProblem` (see {@link parseChecked}). */
  finish<T>(describeProblem: (value: unknown) => string | undefined): {
    digest: { bytes: number; sha256: string };
    parsed: ParseResult<T>;
  } {
    let value: unknown;
    this.parse(() => {
      this.parser.write(this.decoder.decode());
      value = this.parser.end();
    });
    const digest = { bytes: this.bytes, sha256: this.hash.digest('hex') };
    const failure = this.failure;
    if (failure !== undefined) {
      const reason =
        failure.problem === 'forbidden'
          ? failure.message
          : describeUnreadable(failure.message, digest.bytes, digest.sha256);
      return { digest, parsed: { ok: false, reason } };
    }
    const problem = describeProblem(value);
    return { digest, parsed: problem === undefined ? { ok: true, value: value as T } : { ok: false, reason: problem } };
  }

  private parse(work: () => void): void {
    if (this.failure !== undefined) return;
    try {
      work();
    } catch (error) {
      if (!(error instanceof UnreadableJson)) throw error;
      this.failure = error;
    }
  }
}

/** A {@link JsonBytesReader} fed every chunk; the error `tooLong()` makes is thrown once more than `maxBytes` arrive. */
export async function readJsonBytes(
  chunks: AsyncIterable<Uint8Array>,
  maxBytes: number,
  tooLong: () => Error,
): Promise<JsonBytesReader> {
  const reader = new JsonBytesReader();
  for await (const chunk of chunks) {
    reader.push(chunk);
    if (reader.bytes > maxBytes) throw tooLong();
  }
  return reader;
}
