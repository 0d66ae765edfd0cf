import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createUi, type UiOptions } from './app';

/** Where and how {@link serveUi} listens. */
export interface ServeUiOptions extends UiOptions {
  /** Port (default 8081; 0 picks a free one). */
  readonly port?: number;
  /** Interface (default 127.0.0.1). */
  readonly host?: string;
}

/** A running UI server. */
export interface UiServer {
  /** Its address, e.g. `http://127.0.0.1:8081`. */
  readonly url: string;
  /** Stops accepting requests and closes open connections. */
  close(): Promise<void>;
}

/** Serves {@link createUi} over HTTP until `close()`. A slow or broken client cannot hold the server. */
export async function serveUi(options: ServeUiOptions): Promise<UiServer> {
  const app = createUi(options);
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 8081, hostname: host }, () => resolve(s));
    s.once('error', reject);
  });
  const http = server as unknown as import('node:http').Server;
  http.headersTimeout = 10_000;
  http.requestTimeout = 30_000;
  http.keepAliveTimeout = 5_000;
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        http.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
