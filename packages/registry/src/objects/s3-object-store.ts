import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { IntegrityError, InvalidInputError, MlopsError, StorageError } from '@mlops/core';
import { lazyModule } from '@mlops/core/internal';
import type * as S3 from '@aws-sdk/client-s3';
import { parseJsonSafely } from '../json/safe-parse';
import { SHA256_HEX } from '../records/shape';
import { type ObjectBody, type ObjectStore, parseS3Url, type StorageOwner, type StoredObject } from './object-store';

/** Options of {@link S3ObjectStore}; unset ones come from the standard AWS environment variables. */
export interface S3ObjectStoreOptions {
  /** `s3://bucket[/prefix]`: objects are stored as `<prefix>sha256/<hex>`. */
  readonly url: string;
  /** Endpoint of an S3-compatible service (MinIO, R2…); default `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL`, else AWS. */
  readonly endpoint?: string;
  /** Default `AWS_REGION`, `AWS_DEFAULT_REGION`, else `us-east-1`. */
  readonly region?: string;
  /** Default: the AWS SDK's chain (`AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, profiles, instance roles). */
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
  /** Path-style addressing (`endpoint/bucket/key`), which MinIO-likes need; default: on when an endpoint is set. */
  readonly forcePathStyle?: boolean;
}

// The marker object naming the registry that keeps its artifacts under a prefix.
const OWNER_FORMAT = 'mlops-artifact-storage';

const QUIET = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

const requireS3 = lazyModule<typeof S3>(import.meta.url, '@aws-sdk/client-s3');

/** The AWS SDK's S3 client, loaded on first use: apps that never use S3 neither load nor bundle it. */
function loadS3(): typeof S3 {
  try {
    return requireS3();
  } catch (error) {
    if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
    throw new InvalidInputError(
      's3:// artifact storage needs the AWS SDK next to @mlops/registry: npm install @aws-sdk/client-s3',
      { cause: error },
    );
  }
}

/** A request the storage refused or that never reached it, as a `StorageError` naming both and a likely fix. */
function storageError(location: string, endpoint: string | undefined, what: string, error: unknown): StorageError {
  const e = error as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  const message = (e?.message ?? String(error)).split('\n')[0]!.trim(); // errors are one line
  // The SDK names an answer it cannot read `UnknownError`: the HTTP status says more.
  const reason = message === 'UnknownError' && status !== undefined ? `HTTP ${status} without an S3 error` : message;
  const hint =
    e?.name === 'NoSuchBucket'
      ? ' (create the bucket first)'
      : e?.name === 'CredentialsProviderError'
        ? ' (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)'
        : /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET/.test(`${e?.code} ${reason}`)
          ? ` (is ${endpoint ?? 'AWS S3'} reachable? set AWS_ENDPOINT_URL for MinIO, R2 and other S3-compatible services)`
          : message === 'UnknownError' || /XML|parse/i.test(message)
            ? ` (is ${endpoint ?? 'the endpoint'} an S3 API? AWS_ENDPOINT_URL must point at S3, MinIO, R2 or alike)`
            : '';
  return new StorageError(`${what} in ${location} failed: ${reason}${hint}`, { cause: error });
}

/** A response body read into one buffer of its announced length (no copy of the whole, no growing). */
async function readAll(body: Readable | undefined, length: number | undefined): Promise<Buffer> {
  if (body === undefined) return Buffer.alloc(0);
  if (length === undefined) return Buffer.concat(await body.toArray());
  const bytes = Buffer.allocUnsafe(length);
  let at = 0;
  for await (const chunk of body) {
    const part = chunk as Buffer;
    if (at + part.length > length) throw new Error(`the body is longer than its Content-Length (${length} bytes)`);
    part.copy(bytes, at);
    at += part.length;
  }
  if (at !== length) throw new Error(`the body ended after ${at} of its ${length} bytes`);
  return bytes;
}

function isMissing(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.name === 'NoSuchBucket') return false; // also a 404, but the storage is misconfigured, not the key missing
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

/**
 * An {@link ObjectStore} in an S3 bucket (AWS S3 or any S3-compatible service), through the AWS SDK v3 client.
 * Keys are `<prefix>sha256/<hex>`: content-addressed, so uploads are idempotent; `<prefix>registry.json` names the
 * registry they belong to.
 */
export class S3ObjectStore implements ObjectStore {
  readonly location: string;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly client: S3.S3Client;
  private readonly endpoint: string | undefined;

  constructor(options: S3ObjectStoreOptions) {
    const { bucket, prefix } = parseS3Url(options.url);
    this.bucket = bucket;
    this.prefix = prefix;
    this.location = `s3://${bucket}/${prefix}`;
    const env = process.env;
    const endpoint = options.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
    if (endpoint !== undefined && !/^https?:\/\/[^/]/.test(endpoint))
      throw new InvalidInputError(`the S3 endpoint must be an http(s) URL, got ${JSON.stringify(endpoint)}`);
    this.endpoint = endpoint;
    this.client = new (loadS3().S3Client)({
      region: options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      forcePathStyle: options.forcePathStyle ?? endpoint !== undefined,
      // Bodies are streamed with their length; content is checked by sha256 on every load, and S3-compatible services
      // (MinIO, R2, s3rver) do not all take the chunked uploads that checksums of streamed bodies need.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      logger: QUIET, // failures reach the caller as errors; the SDK would also print some to the console
    });
  }

  keyOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new InvalidInputError(`${JSON.stringify(sha256)} is not a sha256`);
    return `${this.prefix}sha256/${sha256}`;
  }

  async put(sha256: string, body: ObjectBody): Promise<string> {
    const key = this.keyOf(sha256);
    // A body whose chunks fail aborts the upload short of its length (so nothing is stored), and is the error the
    // caller gets.
    let failed: { error: unknown } | undefined;
    const abort = new AbortController();
    const chunks = function* () {
      try {
        yield* body.chunks();
      } catch (error) {
        failed = { error };
        abort.abort(error);
        throw error;
      }
    };
    const stream = Readable.from(chunks(), { objectMode: false });
    stream.on('error', () => {}); // reported below, through `failed`
    try {
      await this.send(`uploading ${key}`, () =>
        this.client.send(
          new (loadS3().PutObjectCommand)({ Bucket: this.bucket, Key: key, Body: stream, ContentLength: body.bytes }),
          { abortSignal: abort.signal },
        ),
      );
    } catch (error) {
      throw failed ? failed.error : error;
    }
    if (failed) throw failed.error;
    return key;
  }

  /** Runs a request; what fails (but a missing key, which callers handle) becomes a `StorageError`. */
  private async send<T>(what: string, request: () => Promise<T>, missingIsAnswer = false): Promise<T> {
    try {
      return await request();
    } catch (error) {
      // A missing key answers a read; on a write or a listing, a 404 means the endpoint is not the S3 it should be.
      if ((missingIsAnswer && isMissing(error)) || MlopsError.isInstance(error)) throw error; // ours: a body's chunks
      throw storageError(this.location, this.endpoint, what, error);
    }
  }

  async get(key: string): Promise<Buffer | undefined> {
    return this.request(key, (body, length) => readAll(body, length));
  }

  async read<T>(key: string, consume: (chunks: AsyncIterable<Uint8Array>) => Promise<T>): Promise<T | undefined> {
    return this.request(key, (body) => consume(body ?? Readable.from([])));
  }

  async digest(key: string): Promise<{ bytes: number; sha256: string } | undefined> {
    return this.request(key, async (body) => {
      const hash = createHash('sha256');
      let bytes = 0;
      for await (const chunk of body ?? []) {
        hash.update(chunk as Buffer);
        bytes += (chunk as Buffer).length;
      }
      return { bytes, sha256: hash.digest('hex') };
    });
  }

  /**
   * Gets an object and reads its body with `consume`; `undefined` when it does not exist. A body left unread (when
   * `consume` fails) is destroyed, which frees its connection.
   */
  private async request<T>(
    key: string,
    consume: (body: Readable | undefined, length: number | undefined) => Promise<T>,
  ): Promise<T | undefined> {
    let response: { Body?: unknown; ContentLength?: number };
    try {
      response = await this.send(
        `reading ${key}`,
        () => this.client.send(new (loadS3().GetObjectCommand)({ Bucket: this.bucket, Key: key })),
        true,
      );
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    const body = response.Body as Readable | undefined;
    try {
      return await consume(body, response.ContentLength);
    } catch (error) {
      body?.destroy();
      if (MlopsError.isInstance(error)) throw error; // the consumer's own, e.g. an IntegrityError
      throw storageError(this.location, this.endpoint, `reading ${key}`, error);
    }
  }

  async *list(): AsyncIterable<StoredObject> {
    let ContinuationToken: string | undefined;
    do {
      const page = await this.send('listing objects', () =>
        this.client.send(
          new (loadS3().ListObjectsV2Command)({
            Bucket: this.bucket,
            Prefix: `${this.prefix}sha256/`,
            ...(ContinuationToken === undefined ? {} : { ContinuationToken }),
          }),
        ),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined) continue;
        yield { key: object.Key, bytes: object.Size ?? 0, lastModified: object.LastModified ?? new Date(0) };
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken !== undefined);
  }

  async readOwner(): Promise<StorageOwner | undefined> {
    const key = this.ownerKey();
    const bytes = await this.get(key);
    if (bytes === undefined) return undefined;
    const parsed = parseJsonSafely(bytes.toString('utf8'));
    const owner = parsed.ok ? (parsed.value as Partial<StorageOwner> & { format?: unknown }) : undefined;
    if (owner?.format !== OWNER_FORMAT || typeof owner.registry !== 'string' || typeof owner.description !== 'string')
      throw new IntegrityError(
        `${this.location} has an unreadable registry marker (${key}): delete it only if no registry keeps its artifacts there`,
      );
    return { registry: owner.registry, description: owner.description };
  }

  async writeOwner(owner: StorageOwner): Promise<void> {
    const key = this.ownerKey();
    const body = JSON.stringify({ format: OWNER_FORMAT, registry: owner.registry, description: owner.description });
    await this.send(`writing ${key}`, () =>
      this.client.send(
        new (loadS3().PutObjectCommand)({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/json' }),
      ),
    );
  }

  private ownerKey(): string {
    return `${this.prefix}registry.json`;
  }

  async delete(key: string): Promise<void> {
    await this.send(`deleting ${key}`, () =>
      this.client.send(new (loadS3().DeleteObjectCommand)({ Bucket: this.bucket, Key: key })),
    );
  }

  /** Closes the client's connections. */
  close(): void {
    this.client.destroy();
  }
}
