import { InvalidInputError } from '@mlops/core';

/** One stored object as a listing shows it. */
export interface StoredObject {
  readonly key: string;
  readonly bytes: number;
  readonly lastModified: Date;
}

/**
 * Where a registry keeps artifact and dataset bytes outside its database: content-addressed objects, so an upload
 * retried after a crash writes the same key with the same bytes and nothing relies on conditional writes.
 */
export interface ObjectStore {
  /** Where the objects live, for messages (`s3://bucket/prefix`). */
  readonly location: string;
  /** The key of the bytes whose sha256 is `sha256` (hex). */
  keyOf(sha256: string): string;
  /** Stores the body under {@link keyOf}(sha256), streamed; idempotent. Returns the key. */
  put(sha256: string, body: ObjectBody): Promise<string>;
  /** The object's bytes, or `undefined` when it does not exist. */
  get(key: string): Promise<Buffer | undefined>;
  /**
   * Reads the object's bytes chunk by chunk with `consume` (bounded memory), or gives `undefined` when it does not
   * exist. When `consume` throws, the rest is not read; its `MlopsError`s reach the caller as they are, other errors
   * (the connection failing meanwhile) as a `StorageError`.
   */
  read<T>(key: string, consume: (chunks: AsyncIterable<Uint8Array>) => Promise<T>): Promise<T | undefined>;
  /** The object's size and sha256, streamed (bounded memory), or `undefined` when it does not exist. */
  digest(key: string): Promise<{ bytes: number; sha256: string } | undefined>;
  /** Every object this store's keys can name. */
  list(): AsyncIterable<StoredObject>;
  /** The registry that claimed these objects (a marker object next to them), or `undefined` when none did. */
  readOwner(): Promise<StorageOwner | undefined>;
  /** Claims these objects for a registry (writes the marker). */
  writeOwner(owner: StorageOwner): Promise<void>;
  /** Removes an object (nothing when it does not exist). */
  delete(key: string): Promise<void>;
}

/**
 * The registry an object storage location belongs to. Two registries must not share one: each would take the other's
 * objects for orphans, and a repair would delete them.
 */
export interface StorageOwner {
  /** The registry's id (a UUID it keeps in its database). */
  readonly registry: string;
  /** Where that registry is, for messages: `schema "mlops" of database "models"`. */
  readonly description: string;
}

/** Bytes to store, as chunks produced on demand (each call starts over): a large artifact is never held whole. */
export interface ObjectBody {
  /** Total length in bytes. */
  readonly bytes: number;
  /** The bytes from the start, chunk by chunk (a body may be read more than once). */
  chunks(): Iterable<Uint8Array>;
}

/** The body of bytes already in memory. */
export function bodyOf(bytes: Uint8Array): ObjectBody {
  return { bytes: bytes.length, chunks: () => [bytes] };
}

/** A bucket and key prefix parsed from `s3://bucket[/prefix]`. */
export interface S3Location {
  readonly bucket: string;
  /** `''` or a prefix ending with `/`. */
  readonly prefix: string;
}

// S3 bucket naming rules (3-63 lower-case letters, digits, dots and hyphens; starting and ending with a letter or digit).
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
// Prefix segments: no empty, `.` or `..` segments, printable ASCII without backslashes.
const SEGMENT = /^[A-Za-z0-9!_.*'()-]+$/;

/** Parses `s3://bucket[/prefix]`; `InvalidInputError` naming what is wrong. */
export function parseS3Url(url: string): S3Location {
  const match = typeof url === 'string' ? /^s3:\/\/([^/?#]+)(?:\/([^?#]*))?$/.exec(url) : null;
  if (!match)
    throw new InvalidInputError(`artifact storage must be an s3://bucket/prefix URL, got ${JSON.stringify(url)}`);
  const [, bucket, path = ''] = match;
  if (!BUCKET.test(bucket!)) throw new InvalidInputError(`${JSON.stringify(bucket)} is not a valid S3 bucket name`);
  if (bucket!.includes('..') || /\.-|-\./.test(bucket!))
    throw new InvalidInputError(`${JSON.stringify(bucket)} is not a valid S3 bucket name`);
  const segments = path.endsWith('/') ? path.slice(0, -1).split('/') : path.split('/');
  if (path === '' || path === '/') segments.length = 0;
  for (const segment of segments) {
    if (!SEGMENT.test(segment) || segment === '.' || segment === '..')
      // also an empty one: `a//b`
      throw new InvalidInputError(
        `the key prefix of ${JSON.stringify(url)} has an invalid segment ${JSON.stringify(segment)}`,
      );
  }
  return { bucket: bucket!, prefix: segments.length === 0 ? '' : `${segments.join('/')}/` };
}
