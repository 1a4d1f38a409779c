/**
 * Typed arrays over SharedArrayBuffer, so every worker reads the same compiled model without a copy.
 * Falls back to ArrayBuffer where SharedArrayBuffer is unavailable (a browser page without cross-origin
 * isolation); the kernel reads both alike.
 */
type TypedArrayConstructor<T> = { new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): T; BYTES_PER_ELEMENT: number };

const Buffer = typeof SharedArrayBuffer === 'function' ? SharedArrayBuffer : ArrayBuffer;

export function shared<T>(Type: TypedArrayConstructor<T>, length: number): T {
  return new Type(new Buffer(Math.max(1, length) * Type.BYTES_PER_ELEMENT), 0, length);
}

export function sharedFrom<T extends { set(source: ArrayLike<number>): void }>(Type: TypedArrayConstructor<T>, values: ArrayLike<number>): T {
  const out = shared(Type, values.length);
  out.set(values);
  return out;
}
