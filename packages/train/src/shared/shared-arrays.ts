/** Typed arrays in `SharedArrayBuffer`s: worker threads read and write them without copies of their own. */
type SharedKind = Uint8Array | Uint32Array | Int32Array | Float64Array;

/** A copy of `a` in shared memory: worker threads read it without a copy of their own. */
export function shared<T extends SharedKind>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const copy = new (a.constructor as new (buffer: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
  copy.set(a);
  return copy;
}

/** A zeroed array of `length` values of `Type` in shared memory. */
export function sharedArray<T extends SharedKind>(
  Type: { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number },
  length: number,
): T {
  return new Type(new SharedArrayBuffer(length * Type.BYTES_PER_ELEMENT));
}
