import { FORBIDDEN_KEYS } from '@mlops/core';

/**
 * Deepest nesting of arrays and objects the streaming parser follows; deeper text is refused as "nested too deeply",
 * as `JSON.parse` with a reviver refuses it by overflowing its stack.
 */
export const MAX_STREAM_DEPTH = 1000;

/** Why JSON text given to {@link JsonStreamParser} cannot be read. */
export class UnreadableJson extends Error {
  constructor(
    /** `syntax` (with the character position when known), `empty`, `deep`, or a `forbidden` key. */
    readonly problem: 'syntax' | 'empty' | 'deep' | 'forbidden',
    /** Character index of a syntax error, or the forbidden key. */
    readonly detail?: number | string,
  ) {
    super(
      problem === 'forbidden'
        ? `forbidden key ${JSON.stringify(detail)}`
        : problem === 'empty'
          ? 'empty'
          : problem === 'deep'
            ? 'nested too deeply to read'
            : detail === undefined
              ? 'syntax error'
              : `syntax error at character ${detail}`,
    );
  }
}

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;

function isWhitespace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function skipWhitespace(s: string, i: number): number {
  while (i < s.length && isWhitespace(s.charCodeAt(i))) i++;
  return i;
}

/** End of a number or literal (`true`…) starting at `i`: the next whitespace, comma, colon, bracket, brace or quote. */
function literalEnd(s: string, i: number): number {
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isWhitespace(c) || c === COMMA || c === COLON || c === QUOTE) return i;
    if (c === OPEN_ARRAY || c === CLOSE_ARRAY || c === OPEN_OBJECT || c === CLOSE_OBJECT) return i;
  }
  return i;
}

// What makes a string's text differ from its value, or invalid: escapes and control characters.
const NOT_PLAIN = /[\u0000-\u001f\\]/;

// The characters that open and close strings, arrays and objects: a scan jumps from one to the next.
const STRUCTURE = /["[\]{}]/g;

const NOT_FOUND = -1;
const NOT_FOUND_ESCAPED = -2; // and the next text's first character is escaped

/**
 * Index of the quote closing a string whose content continues at `from` (`escaped`: the character at `from` is
 * escaped), else {@link NOT_FOUND} or {@link NOT_FOUND_ESCAPED}.
 */
function stringEnd(s: string, from: number, escaped: boolean): number {
  if (from >= s.length) return escaped ? NOT_FOUND_ESCAPED : NOT_FOUND;
  const low = escaped ? from + 1 : from; // the first character that can start an escape
  const backslashesBefore = (end: number) => {
    let n = 0;
    for (let k = end - 1; k >= low && s.charCodeAt(k) === BACKSLASH; k--) n++;
    return n;
  };
  for (let at = low; ; ) {
    const quote = s.indexOf('"', at);
    if (quote < 0) return backslashesBefore(s.length) % 2 === 1 ? NOT_FOUND_ESCAPED : NOT_FOUND;
    if (backslashesBefore(quote) % 2 === 0) return quote;
    at = quote + 1;
  }
}

// A run of values is parsed as one array or object text, which costs a copy of the run; long strings (base64 payloads)
// are parsed on their own instead.
const LONG_STRING = 4096;

function isLongString(s: string, start: number, end: number): boolean {
  return end - start > LONG_STRING && s.charCodeAt(start) === QUOTE;
}

interface Frame {
  readonly container: unknown[] | Record<string, unknown>;
  /** The key of the member being read (objects). */
  key: string;
}

enum Expect {
  Value,
  ValueOrClose, // just after `[`
  Key,
  KeyOrClose, // just after `{`
  Colon,
  CommaOrClose,
  Nothing, // after the top-level value
}

/**
 * Parses JSON text given piece by piece, holding no more of it than the piece and an unfinished token: the value equals
 * `JSON.parse` of the whole text. Runs of complete values are parsed by `JSON.parse` itself; only arrays and objects
 * that span pieces are assembled here. Like `parseJsonSafely` of `@mlops/core` it refuses `__proto__`, `constructor`
 * and `prototype` keys at any depth (after the whole text parsed: a syntax error wins), and it refuses nesting deeper
 * than {@link MAX_STREAM_DEPTH}. Problems are thrown as {@link UnreadableJson}.
 */
export class JsonStreamParser {
  private text = '';
  private at = 0;
  /** Characters before `text`. */
  private consumed = 0;
  /**
   * An unfinished string or literal at the end of the text so far, in pieces (joined once when it ends); `plain`: a
   * string without escapes or control characters so far, whose value is its text.
   */
  private partial: { parts: string[]; length: number; isString: boolean; escaped: boolean; plain: boolean } | undefined;
  private readonly stack: Frame[] = [];
  private expect = Expect.Value;
  private result: unknown;
  private forbidden: string | undefined;

  /** Reads the next piece of the text. */
  write(piece: string): void {
    const partial = this.partial;
    if (partial !== undefined) {
      const end = partial.isString ? stringEnd(piece, 0, partial.escaped) : literalEnd(piece, 0);
      if (partial.isString ? end < 0 : end === piece.length) {
        if (piece.length > 0) partial.parts.push(piece);
        partial.length += piece.length;
        partial.escaped = end === NOT_FOUND_ESCAPED;
        partial.plain &&= !NOT_PLAIN.test(piece);
        return;
      }
      this.partial = undefined;
      const last = piece.slice(0, end);
      if (partial.plain && !NOT_PLAIN.test(last)) {
        // A long string without escapes: its text is its value, joined once (no copy to parse).
        partial.parts.push(last);
        this.consumed += partial.length + last.length + 1;
        this.text = piece.slice(end + 1);
        this.at = 0;
        this.endString(partial.parts.join('').slice(1));
        this.run(false);
        return;
      }
      this.text = partial.parts.join('') + piece;
    } else {
      this.consumed += this.at;
      this.text = this.at < this.text.length ? this.text.slice(this.at) + piece : piece;
    }
    this.at = 0;
    this.run(false);
  }

  /** Ends the text: its value. */
  end(): unknown {
    if (this.partial !== undefined) {
      this.text = this.partial.parts.join('');
      this.at = 0;
      this.partial = undefined;
    }
    this.run(true);
    if (this.expect !== Expect.Nothing) {
      const length = this.consumed + this.text.length;
      throw length === 0 ? new UnreadableJson('empty') : new UnreadableJson('syntax', length);
    }
    if (this.forbidden !== undefined) throw new UnreadableJson('forbidden', this.forbidden);
    return this.result;
  }

  private run(final: boolean): void {
    const s = this.text;
    for (;;) {
      const i = skipWhitespace(s, this.at);
      this.at = i;
      if (i >= s.length) return;
      const c = s.charCodeAt(i);
      switch (this.expect) {
        case Expect.ValueOrClose:
        case Expect.Value: {
          if (this.expect === Expect.ValueOrClose && c === CLOSE_ARRAY) {
            this.close(i);
            break;
          }
          const top = this.stack.at(-1);
          if (top !== undefined && Array.isArray(top.container)) {
            const end = this.runEnd(s, i, final, false);
            if (end > i) {
              const array = this.parse(`[${s.slice(i, end)}]`, i - 1) as unknown[];
              for (const element of array) top.container.push(element);
              this.at = end;
              this.expect = Expect.CommaOrClose;
              break;
            }
          }
          if (!this.value(s, i, final)) return;
          break;
        }
        case Expect.KeyOrClose:
        case Expect.Key: {
          if (this.expect === Expect.KeyOrClose && c === CLOSE_OBJECT) {
            this.close(i);
            break;
          }
          const top = this.stack.at(-1)!;
          const end = this.runEnd(s, i, final, true);
          if (end > i) {
            const members = this.parse(`{${s.slice(i, end)}}`, i - 1) as Record<string, unknown>;
            const object = top.container as Record<string, unknown>;
            for (const key of Object.keys(members)) if (!FORBIDDEN_KEYS.has(key)) object[key] = members[key];
            this.at = end;
            this.expect = Expect.CommaOrClose;
            break;
          }
          if (c !== QUOTE) throw new UnreadableJson('syntax', this.consumed + i);
          const quote = stringEnd(s, i + 1, false);
          if (quote < 0) {
            this.keepPartial(s, i, final);
            return;
          }
          top.key = this.parse(s.slice(i, quote + 1), i) as string;
          if (FORBIDDEN_KEYS.has(top.key)) this.forbidden ??= top.key;
          this.at = quote + 1;
          this.expect = Expect.Colon;
          break;
        }
        case Expect.Colon:
          if (c !== COLON) throw new UnreadableJson('syntax', this.consumed + i);
          this.at = i + 1;
          this.expect = Expect.Value;
          break;
        case Expect.CommaOrClose: {
          const isArray = Array.isArray(this.stack.at(-1)!.container);
          if (c === COMMA) {
            this.at = i + 1;
            this.expect = isArray ? Expect.Value : Expect.Key;
          } else if (c === (isArray ? CLOSE_ARRAY : CLOSE_OBJECT)) this.close(i);
          else throw new UnreadableJson('syntax', this.consumed + i);
          break;
        }
        case Expect.Nothing:
          throw new UnreadableJson('syntax', this.consumed + i);
      }
    }
  }

  /** Reads the value starting at `i`: whole when it ends in the text, else opened (arrays, objects) or kept (tokens). */
  private value(s: string, i: number, final: boolean): boolean {
    const c = s.charCodeAt(i);
    if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      const end = this.valueEnd(s, i, final);
      if (end > i) {
        this.place(this.parse(s.slice(i, end), i));
        this.at = end;
        return true;
      }
      if (this.stack.length + 1 > MAX_STREAM_DEPTH) throw new UnreadableJson('deep');
      this.stack.push({ container: c === OPEN_ARRAY ? [] : {}, key: '' });
      this.at = i + 1;
      this.expect = c === OPEN_ARRAY ? Expect.ValueOrClose : Expect.KeyOrClose;
      return true;
    }
    const end = this.valueEnd(s, i, final);
    if (end < 0) return this.keepPartial(s, i, final);
    if (end === i) throw new UnreadableJson('syntax', this.consumed + i); // `,` `]` `}` `:` where a value belongs
    this.place(this.parse(s.slice(i, end), i));
    this.at = end;
    return true;
  }

  /** Keeps the unfinished string or literal at `i` for the next piece; at the end of the text, it is unterminated. */
  private keepPartial(s: string, i: number, final: boolean): false {
    if (final) {
      this.parse(s.slice(i), i); // its own error, such as an unterminated string
      throw new UnreadableJson('syntax', this.consumed + s.length);
    }
    const isString = s.charCodeAt(i) === QUOTE;
    const head = s.slice(i);
    this.partial = {
      parts: [head],
      length: head.length,
      isString,
      escaped: isString && stringEnd(s, i + 1, false) === NOT_FOUND_ESCAPED,
      plain: isString && !NOT_PLAIN.test(head.slice(1)),
    };
    this.consumed += i;
    this.text = '';
    this.at = 0;
    return false;
  }

  /** A string that ended in a later piece than it began: a member's key or a value. */
  private endString(value: string): void {
    if (this.expect === Expect.Key || this.expect === Expect.KeyOrClose) {
      this.stack.at(-1)!.key = value;
      if (FORBIDDEN_KEYS.has(value)) this.forbidden ??= value;
      this.expect = Expect.Colon;
    } else this.place(value);
  }

  /** Puts a finished value into the open array or object, or makes it the result. */
  private place(value: unknown): void {
    const top = this.stack.at(-1);
    if (top === undefined) {
      this.result = value;
      this.expect = Expect.Nothing;
      return;
    }
    if (Array.isArray(top.container)) top.container.push(value);
    else if (!FORBIDDEN_KEYS.has(top.key)) top.container[top.key] = value;
    this.expect = Expect.CommaOrClose;
  }

  private close(i: number): void {
    this.at = i + 1;
    this.place(this.stack.pop()!.container);
  }

  /**
   * End of the value starting at `i` when all of it is in the text (a literal only once something follows it, unless
   * `final`), else -1; `i` when no value starts there. Notes forbidden keys and refuses too deep nesting on the way.
   */
  private valueEnd(s: string, i: number, final: boolean): number {
    const c = s.charCodeAt(i);
    if (c === QUOTE) {
      const quote = stringEnd(s, i + 1, false);
      return quote < 0 ? -1 : quote + 1;
    }
    if (c !== OPEN_ARRAY && c !== OPEN_OBJECT) {
      const end = literalEnd(s, i);
      return end === s.length && !final ? -1 : end;
    }
    let depth = 0;
    for (STRUCTURE.lastIndex = i; STRUCTURE.test(s); ) {
      const j = STRUCTURE.lastIndex - 1;
      const d = s.charCodeAt(j);
      if (d === QUOTE) {
        const quote = stringEnd(s, j + 1, false);
        if (quote < 0) return -1;
        const next = skipWhitespace(s, quote + 1);
        if (next < s.length && s.charCodeAt(next) === COLON) this.noteKey(s, j, quote);
        STRUCTURE.lastIndex = quote + 1;
      } else if (d === OPEN_ARRAY || d === OPEN_OBJECT) {
        if (++depth + this.stack.length > MAX_STREAM_DEPTH) throw new UnreadableJson('deep');
      } else if (d === CLOSE_ARRAY || d === CLOSE_OBJECT) {
        if (--depth === 0) return j + 1;
      }
    }
    return -1;
  }

  /**
   * End of the run of whole array elements (`v, v, v`) or, with `members`, object members (`"k": v, "k": v`) starting
   * at `i`, or `i`. A long string ends the run (it is parsed on its own).
   */
  private runEnd(s: string, i: number, final: boolean, members: boolean): number {
    let end = i;
    for (let at = i; at < s.length; ) {
      const valueStart = members ? this.memberValueStart(s, at) : at;
      if (valueStart < 0) break;
      const valueEnd = this.valueEnd(s, valueStart, final);
      if (valueEnd <= valueStart || isLongString(s, valueStart, valueEnd)) break;
      end = valueEnd;
      const next = skipWhitespace(s, valueEnd);
      if (next >= s.length || s.charCodeAt(next) !== COMMA) break;
      at = skipWhitespace(s, next + 1);
    }
    return end;
  }

  /** Where the value of the member starting at `at` (`"k": v`) starts, once its key and colon are whole; else -1. */
  private memberValueStart(s: string, at: number): number {
    if (s.charCodeAt(at) !== QUOTE) return -1;
    const quote = stringEnd(s, at + 1, false);
    if (quote < 0) return -1;
    const colon = skipWhitespace(s, quote + 1);
    if (colon >= s.length || s.charCodeAt(colon) !== COLON) return -1;
    this.noteKey(s, at, quote);
    const valueStart = skipWhitespace(s, colon + 1);
    return valueStart < s.length ? valueStart : -1;
  }

  /** Remembers the first forbidden key, given the quotes around it. */
  private noteKey(s: string, open: number, close: number): void {
    if (this.forbidden !== undefined || close - open - 1 < 9 || close - open - 1 > 66) return;
    let key = s.slice(open + 1, close);
    if (key.includes('\\')) {
      try {
        key = JSON.parse(`"${key}"`) as string;
      } catch {
        return; // a syntax error, reported when the value is parsed
      }
    }
    if (FORBIDDEN_KEYS.has(key)) this.forbidden = key;
  }

  /** `JSON.parse(text)`, its syntax error placed in the whole text (`text` starts at character `offset` of `this.text`). */
  private parse(text: string, offset: number): unknown {
    try {
      return JSON.parse(text);
    } catch (error) {
      const position = /at position (\d+)/.exec((error as Error).message)?.[1];
      throw new UnreadableJson(
        'syntax',
        position === undefined ? undefined : Math.max(0, this.consumed + offset + Number(position)),
      );
    }
  }
}
