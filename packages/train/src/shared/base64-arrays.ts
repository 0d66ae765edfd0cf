/** A typed array's bytes (little-endian on every platform Node runs on) as base64. */
export function toBase64(a: Uint8Array | Int32Array | Uint32Array | Float64Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

/**
 * `count` values of `Type` from an untrusted base64 field; `fail(problem)` (which throws) when the text is not
 * base64 or holds another number of values.
 */
export function fromBase64<T extends Uint8Array | Int32Array | Uint32Array | Float64Array>(
  text: unknown,
  Type: { new (b: ArrayBuffer): T; BYTES_PER_ELEMENT: number },
  field: string,
  count: number,
  fail: (problem: string) => never,
): T {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return fail(`${field} must be base64`);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== count * Type.BYTES_PER_ELEMENT)
    return fail(`${field} holds ${bytes.length / Type.BYTES_PER_ELEMENT} values, expected ${count}`);
  const copy = new ArrayBuffer(bytes.length);
  new Uint8Array(copy).set(bytes);
  return new Type(copy);
}
