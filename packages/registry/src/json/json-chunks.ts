/** Characters of a long string escaped at a time (a chunk's text is at most about 6× this in bytes). */
const STRING_PIECE = 1 << 15;

/**
 * The UTF-8 bytes of `JSON.stringify(value)`, in chunks of about `size` bytes, never the whole text at once: how a
 * large artifact is hashed and uploaded in bounded memory. For JSON data as `findJsonProblem` accepts it (plain objects
 * and arrays, strings, finite numbers, booleans, null; object properties set to `undefined` are left out, as
 * `JSON.stringify` does).
 */
export function* jsonChunks(value: unknown, size = 1 << 16): Generator<Buffer> {
  let parts: string[] = [];
  let length = 0;
  const add = (text: string) => {
    parts.push(text);
    length += text.length;
  };
  const take = () => {
    const chunk = Buffer.from(parts.join(''), 'utf8');
    parts = [];
    length = 0;
    return chunk;
  };
  // An explicit stack of what is left to write: values, and the literal text between them.
  const stack: ({ text: string } | { value: unknown })[] = [{ value }];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if ('text' in next) add(next.text);
    else if (typeof next.value === 'string' && next.value.length > STRING_PIECE) {
      for (const piece of stringPieces(next.value)) {
        add(piece);
        if (length >= size) yield take();
      }
    } else if (Array.isArray(next.value)) {
      const items = next.value;
      stack.push({ text: ']' });
      for (let i = items.length - 1; i >= 0; i--) {
        stack.push({ value: items[i] });
        if (i > 0) stack.push({ text: ',' });
      }
      add('[');
    } else if (typeof next.value === 'object' && next.value !== null) {
      const entries = Object.entries(next.value).filter(([, item]) => item !== undefined);
      stack.push({ text: '}' });
      for (let i = entries.length - 1; i >= 0; i--) {
        stack.push({ value: entries[i]![1] });
        stack.push({ text: `${i > 0 ? ',' : ''}${JSON.stringify(entries[i]![0])}:` });
      }
      add('{');
    } else add(JSON.stringify(next.value));
    if (length >= size) yield take();
  }
  if (length > 0) yield take();
}

/** A long string as JSON text in pieces: the quotes and escapes `JSON.stringify` gives, never splitting a surrogate pair. */
function* stringPieces(text: string): Generator<string> {
  yield '"';
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + STRING_PIECE, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--; // keep a high surrogate with its low one
    yield JSON.stringify(text.slice(start, end)).slice(1, -1);
    start = end;
  }
  yield '"';
}
