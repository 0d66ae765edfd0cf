import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { inputJsonSchema, InvalidInputError, type Registry, type VersionRef } from '@mlops/core';
import { listen } from '@mlops/core/internal';
import { createMonitorMetrics } from '@mlops/monitor';
import { loadModel, type RegisteredModel } from '@mlops/registry';
import { codecs } from '@mlops/train';
import { parseJson } from '../shared/safe-json';
import { openApiDocument } from './openapi';

/** Options of {@link startPredictionServer}. */
export interface PredictionServerOptions {
  readonly store: Registry;
  readonly name: string;
  /** Version number or alias (default `production`); an alias is followed when it moves. */
  readonly ref?: VersionRef;
  readonly port?: number;
  readonly host?: string;
  /** How often to check whether the alias moved (default 2,000 ms; 0 disables hot reload). */
  readonly reloadMs?: number;
  /** Largest request body accepted (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** One line per notable event (reloads, unexpected errors). */
  readonly log?: (line: string) => void;
  /** Time a client has to send the request headers (default 10,000 ms); a stalled client is cut off with 408. */
  readonly headersTimeoutMs?: number;
  /** Time a client has to send the whole request, body included (default 30,000 ms). */
  readonly requestTimeoutMs?: number;
  /** How long an idle keep-alive connection stays open (default 5,000 ms). */
  readonly keepAliveTimeoutMs?: number;
}

/** A running prediction server. */
export interface PredictionServer {
  readonly url: string;
  /** The version currently served. */
  readonly version: number;
  /** Stops the server and its reload timer. */
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => new HttpError(413, `request body over ${limit} bytes`);
    // A declared length over the limit is refused at once, before waiting for a body that will not be read.
    if (Number(req.headers['content-length']) > limit) {
      req.resume();
      return reject(tooLarge());
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      req.resume(); // drain the rest so the 413 reaches the client instead of a reset connection
      reject(tooLarge());
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    // The client went away mid-body: its fault, not an internal error (nobody is left to answer).
    req.on('error', () => reject(new HttpError(400, 'request aborted by the client')));
  });
}

/** The path of a request target; a malformed target (`//[`, `http://[`, `//a:99999/`) is a 400, never a crash. */
function pathOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://localhost').pathname;
  } catch {
    throw new HttpError(400, 'malformed request target');
  }
}

function timeoutOption(value: number | undefined, fallback: number, name: string): number {
  const ms = value ?? fallback;
  if (!Number.isInteger(ms) || ms < 1 || ms > 3_600_000)
    throw new InvalidInputError(`${name} must be an integer number of milliseconds in [1, 3600000], got ${ms}`);
  return ms;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...(status === 413 ? { connection: 'close' } : {}),
  };
  res.writeHead(status, headers).end(text);
}

/** The `POST /predict` body: `{ "rows": [...], "proba"?: true }`; anything else is a 400 saying so. */
function parsePredictBody(text: string): { rows: unknown[]; proba: boolean } {
  const body = parseJson(text, 'the request body') as { rows?: unknown; proba?: unknown } | null;
  const usage = 'send {"rows": [...], "proba"?: true}: records by column name, or positional rows';
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !Array.isArray(body.rows))
    throw new HttpError(400, usage);
  const extra = Object.keys(body).find((key) => key !== 'rows' && key !== 'proba');
  if (extra !== undefined) throw new HttpError(400, `unknown field "${extra}": ${usage}`);
  if (body.proba !== undefined && typeof body.proba !== 'boolean')
    throw new HttpError(400, '"proba" must be true or false');
  return { rows: body.rows, proba: body.proba === true };
}

/**
 * Serves a registered model over HTTP, one contract for every version: `POST /predict` with
 * `{ "rows": [...], "proba"?: true }` (raw records by column name — text categories, `null` for blanks — or
 * positional rows, checked against the version's input schema) → `{ model, version, predictions, probabilities? }`,
 * predictions being class labels for classifiers and numbers for regressors; `GET /schema` (the input schema as
 * JSON Schema 2020-12); `GET /openapi.json`; `GET /health`; `GET /metrics` (Prometheus). Bad input, an unseen
 * category included, is a 400 naming the row and column. When `ref` is an alias, a move of the alias is picked
 * up (hot reload) without dropping requests.
 */
export async function startPredictionServer(options: PredictionServerOptions): Promise<PredictionServer> {
  const { store, name } = options;
  const ref = options.ref ?? 'production';
  const log = options.log ?? (() => {});
  const limit = options.maxBodyBytes ?? 1 << 20;
  const headersTimeout = timeoutOption(options.headersTimeoutMs, 10_000, 'headersTimeoutMs');
  const requestTimeout = timeoutOption(options.requestTimeoutMs, 30_000, 'requestTimeoutMs');
  const keepAliveTimeout = timeoutOption(options.keepAliveTimeoutMs, 5_000, 'keepAliveTimeoutMs');
  const load = (at: VersionRef) => loadModel(store, name, at, codecs);
  let served: RegisteredModel = await load(ref);
  let loadedAt = new Date().toISOString();
  const metrics = createMonitorMetrics();

  const predict = async (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    const { rows, proba } = parsePredictBody(await readBody(req, limit));
    const model = served; // one model for the whole request, even if a reload swaps it meanwhile
    const input = rows as Parameters<RegisteredModel['predict']>[0];
    const predictions = model.task === 'classification' ? model.predictLabels(input) : model.predict(input);
    const probabilities = proba ? model.predictProba(input) : undefined;
    const version = model.version.version;
    metrics.recordPredictions(name, version, predictions.length);
    send(res, 200, { model: name, version, predictions, ...(probabilities ? { probabilities } : {}) });
    metrics.recordLatency(name, version, Number(process.hrtime.bigint() - started) / 1e9);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = pathOf(req);
    const route = `${req.method} ${path}`;
    if (route === 'POST /predict') return predict(req, res);
    if (route === 'GET /health') {
      return send(res, 200, { status: 'ok', model: name, ref, version: served.version.version, loadedAt });
    }
    if (route === 'GET /schema')
      return send(res, 200, inputJsonSchema(served.inputSpec, { title: `${name} v${served.version.version} input` }));
    if (route === 'GET /openapi.json') return send(res, 200, openApiDocument(name, served));
    if (route === 'GET /metrics') {
      const text = await metrics.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text);
      return;
    }
    const known = ['/predict', '/health', '/metrics', '/schema', '/openapi.json'].includes(path);
    throw new HttpError(known ? 405 : 404, known ? `${req.method} is not allowed on ${path}` : `no route ${path}`);
  };
  const fail = (res: ServerResponse, error: unknown) => {
    if (res.headersSent) return void res.destroy();
    if (error instanceof HttpError) return send(res, error.status, { error: error.message });
    if (InvalidInputError.isInstance(error)) return send(res, 400, { error: error.message });
    log(`internal error: ${error instanceof Error ? error.message : String(error)}`);
    send(res, 500, { error: 'internal error' });
  };

  const server: Server = createServer(
    // Node checks the two timeouts on this interval (30 s by default, too coarse for short timeouts).
    {
      headersTimeout,
      requestTimeout: Math.max(requestTimeout, headersTimeout),
      keepAliveTimeout,
      connectionsCheckingInterval: Math.min(1000, headersTimeout),
    },
    // Everything a request can throw ends in an answer (handle is async): one request never stops the server.
    (req, res) => void handle(req, res).catch((error: unknown) => fail(res, error)),
  );

  let reloading = false;
  const reload = async () => {
    if (reloading || typeof ref !== 'string') return;
    reloading = true;
    try {
      const current = await store.getAlias(name, ref).catch(() => undefined);
      if (current !== undefined && current !== served.version.version) {
        const next = await load(current);
        log(`reload: ${name}@${ref} moved from v${served.version.version} to v${current}`);
        served = next;
        loadedAt = new Date().toISOString();
      }
    } catch (error) {
      log(`reload failed, still serving v${served.version.version}: ${(error as Error).message}`);
    } finally {
      reloading = false;
    }
  };
  const reloadMs = options.reloadMs ?? 2000;
  const timer =
    reloadMs > 0 && typeof ref === 'string' && ref !== 'latest'
      ? setInterval(() => void reload(), reloadMs)
      : undefined;
  timer?.unref();

  const listening = await listen(server, options.port ?? 8080, options.host ?? '127.0.0.1').catch((error: unknown) => {
    if (timer) clearInterval(timer);
    throw error;
  });
  return {
    url: listening.url,
    get version() {
      return served.version.version;
    },
    close: () => {
      if (timer) clearInterval(timer);
      return listening.close();
    },
  };
}
