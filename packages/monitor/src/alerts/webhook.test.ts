import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidInputError } from '@mlops/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createAlerter, type Alert } from './alerts';
import { webhookChannel, type WebhookOptions } from './webhook';

const alert: Alert = {
  kind: 'accuracy',
  message: 'accuracy fell',
  at: '2026-05-01T06:00:00.000Z',
  details: { accuracy: 0.8 },
};

interface Recorded {
  url: string;
  method: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP server on 127.0.0.1 that records each request, then answers it with `reply`. */
async function server(
  reply: (req: Recorded, res: ServerResponse) => void,
): Promise<{ port: number; requests: Recorded[]; server: Server }> {
  const requests: Recorded[] = [];
  const srv = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const recorded = { url: req.url ?? '', method: req.method ?? '', headers: req.headers, body };
      requests.push(recorded);
      reply(recorded, res);
    });
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  servers.push(srv);
  return { port: (srv.address() as AddressInfo).port, requests, server: srv };
}
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve).closeAllConnections())));
});

/** The error a call throws (fails the test when it does not throw). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

/** Sends one alert through `channel` and returns the delivery's error (undefined when delivered). */
async function deliver(channel: ReturnType<typeof webhookChannel>): Promise<string | undefined> {
  const [delivery] = await createAlerter({ hook: channel }).send(alert);
  return delivery?.ok ? undefined : (delivery?.error ?? 'no delivery');
}

describe('webhookChannel hardening', () => {
  it('refuses every 3xx as a failed, unretried delivery naming the status and the redacted Location, and never contacts it', async () => {
    const target = await server((_, res) => res.writeHead(200).end('landed'));
    const location = `http://admin:hunter2@127.0.0.1:${target.port}/landing?sig=zzz`;
    const hook = await server((req, res) => {
      const status = Number(req.url.split('/')[2]);
      if (req.url.endsWith('/relative')) res.writeHead(status, { location: '/elsewhere?key=k1' }).end();
      else if (req.url.endsWith('/none')) res.writeHead(status).end();
      else res.writeHead(status, { location }).end('moved');
    });
    const base = `http://127.0.0.1:${hook.port}`;
    for (const status of [301, 302, 303, 307, 308]) {
      const channel = webhookChannel(`${base}/hook/${status}`, { sleep: async () => {} });
      expect(await deliver(channel)).toBe(
        `webhook ${base}/*** answered HTTP ${status} redirecting to http://***@127.0.0.1:${target.port}/***?sig=***; redirects are refused, not retried`,
      );
      expect(channel.lastAttempts).toBe(1);
    }
    expect(await deliver(webhookChannel(`${base}/hook/302/relative`))).toBe(
      `webhook ${base}/*** answered HTTP 302 redirecting to ${base}/***?key=***; redirects are refused, not retried`,
    );
    expect(await deliver(webhookChannel(`${base}/hook/301/none`))).toBe(
      `webhook ${base}/*** answered HTTP 301 without a Location; redirects are refused, not retried`,
    );
    expect(hook.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /hook/301',
      'POST /hook/302',
      'POST /hook/303',
      'POST /hook/307',
      'POST /hook/308',
      'POST /hook/302/relative',
      'POST /hook/301/none',
    ]);
    expect(target.requests).toEqual([]);
  });

  it('reads at most maxResponseBytes of a 200 MB answer, then cancels it: delivered fast, without buffering it', async () => {
    const total = 200 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 120);
    let sent = 0;
    let closed!: () => void;
    const done = new Promise<void>((resolve) => (closed = resolve));
    const huge = await server((_, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(total) });
      res.on('close', closed);
      const pump = (): void => {
        while (sent < total && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    const channel = webhookChannel(`http://127.0.0.1:${huge.port}/hook`, { timeoutMs: 10_000, retries: 0 });
    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakBuffers = before.arrayBuffers;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peakRss = Math.max(peakRss, now.rss);
      peakBuffers = Math.max(peakBuffers, now.arrayBuffers);
    }, 2);
    const started = Date.now();
    try {
      expect(await deliver(channel)).toBeUndefined();
    } finally {
      clearInterval(sampler);
    }
    const after = process.memoryUsage();
    peakRss = Math.max(peakRss, after.rss);
    peakBuffers = Math.max(peakBuffers, after.arrayBuffers);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(peakBuffers - before.arrayBuffers).toBeLessThan(50 * 1024 * 1024);
    expect(peakRss - before.rss).toBeLessThan(50 * 1024 * 1024);
    // The client hung up: the server saw the connection close long before it could send 200 MB.
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 2000))]);
    expect(sent).toBeLessThan(32 * 1024 * 1024);
    expect(huge.requests).toHaveLength(1);
  }, 20_000);

  it('never puts URL credentials or query values into any message, and sends the credentials as Basic auth', async () => {
    let status = 500;
    const hook = await server((_, res) => {
      if (status === 302) res.writeHead(302, { location: 'http://admin:hunter2@127.0.0.1:1/x?sig=zzz' }).end();
      else res.writeHead(status).end('nope');
    });
    const url = (port: number) => `http://user:secret@127.0.0.1:${port}/hook?token=abc`;
    const shown = `http://***@127.0.0.1:${hook.port}/***?token=***`;
    const options = { retries: 1, sleep: async () => {} };
    const errors: (string | undefined)[] = [];
    errors.push(await deliver(webhookChannel(url(hook.port), options)));
    status = 400;
    errors.push(await deliver(webhookChannel(url(hook.port), options)));
    status = 302;
    errors.push(await deliver(webhookChannel(url(hook.port), options)));
    const closed = await server(() => {});
    const port = closed.port;
    await new Promise((resolve) => closed.server.close(resolve));
    errors.push(await deliver(webhookChannel(url(port), { retries: 0 })));
    errors.push(thrown(() => webhookChannel('http://user:secret@bad host:1/hook?token=abc')).message);
    expect(errors).toEqual([
      `webhook ${shown} failed after 2 attempts: HTTP 500`,
      `webhook ${shown} answered HTTP 400; not retried`,
      `webhook ${shown} answered HTTP 302 redirecting to http://***@127.0.0.1:1/***?sig=***; redirects are refused, not retried`,
      `webhook http://***@127.0.0.1:${port}/***?token=*** failed after 1 attempts: network error: connect ECONNREFUSED 127.0.0.1:${port}`,
      'webhook URL is not a valid http(s) URL (not shown: it may hold credentials)',
    ]);
    for (const message of errors)
      for (const secret of ['secret', 'abc', 'hunter2', 'zzz']) expect(message).not.toContain(secret);
    expect(hook.requests).toHaveLength(4);
    for (const request of hook.requests) {
      expect(request.url).toBe('/hook?token=abc');
      expect(request.headers.authorization).toBe(`Basic ${Buffer.from('user:secret').toString('base64')}`);
    }
    // An explicit authorization header wins over URL credentials.
    await deliver(webhookChannel(url(hook.port), { headers: { Authorization: 'Bearer t' }, retries: 0 }));
    expect(hook.requests[4]?.headers.authorization).toBe('Bearer t');
  });

  it('validates every option with an InvalidInputError naming it, and accepts the boundaries', () => {
    const url = 'http://127.0.0.1:9/hook';
    const cases: [WebhookOptions, string][] = [
      [{ timeoutMs: Infinity }, 'webhook option timeoutMs must be a finite number in (0, 600000], got Infinity'],
      [{ timeoutMs: Number.NaN }, 'webhook option timeoutMs must be a finite number in (0, 600000], got NaN'],
      [{ timeoutMs: 0 }, 'webhook option timeoutMs must be a finite number in (0, 600000], got 0'],
      [{ timeoutMs: 600_001 }, 'webhook option timeoutMs must be a finite number in (0, 600000], got 600001'],
      [
        { timeoutMs: '5' as unknown as number },
        'webhook option timeoutMs must be a finite number in (0, 600000], got a string',
      ],
      [{ retries: 1.5 }, 'webhook option retries must be an integer in [0, 20], got 1.5'],
      [{ retries: 21 }, 'webhook option retries must be an integer in [0, 20], got 21'],
      [{ retries: -1 }, 'webhook option retries must be an integer in [0, 20], got -1'],
      [{ retries: Infinity }, 'webhook option retries must be an integer in [0, 20], got Infinity'],
      [{ backoffMs: -1 }, 'webhook option backoffMs must be a finite number in [0, 3600000], got -1'],
      [{ backoffMs: Number.NaN }, 'webhook option backoffMs must be a finite number in [0, 3600000], got NaN'],
      [
        { maxBackoffMs: Infinity },
        'webhook option maxBackoffMs must be a finite number in [backoffMs, 3600000], got Infinity',
      ],
      [
        { backoffMs: 100, maxBackoffMs: 50 },
        'webhook option maxBackoffMs must be a finite number in [backoffMs, 3600000], got 50',
      ],
      [{ maxResponseBytes: -1 }, 'webhook option maxResponseBytes must be an integer ≥ 0, got -1'],
      [{ maxResponseBytes: 1.5 }, 'webhook option maxResponseBytes must be an integer ≥ 0, got 1.5'],
      [{ maxResponseBytes: Infinity }, 'webhook option maxResponseBytes must be an integer ≥ 0, got Infinity'],
      [
        { headers: { authorization: 1 as unknown as string } },
        'webhook option headers["authorization"] must be a string',
      ],
      [
        { headers: { authorization: 'Bearer tok\nen' } },
        'webhook option headers["authorization"] is not a valid header name and value',
      ],
      [{ headers: 'x' as unknown as Record<string, string> }, 'webhook option headers must be an object of strings'],
      [{ allowHosts: [''] }, 'webhook option allowHosts must be an array of non-empty host names'],
      [
        { allowHosts: '127.0.0.1' as unknown as string[] },
        'webhook option allowHosts must be an array of non-empty host names',
      ],
      [{ body: 'x' as unknown as () => unknown }, 'webhook option body must be a function'],
      [{ sleep: 5 as unknown as () => Promise<void> }, 'webhook option sleep must be a function'],
    ];
    for (const [options, message] of cases) {
      const error = thrown(() => webhookChannel(url, options));
      expect(InvalidInputError.isInstance(error)).toBe(true);
      expect(error.message).toBe(message);
    }
    expect(() =>
      webhookChannel(url, { timeoutMs: 600_000, retries: 20, backoffMs: 0, maxBackoffMs: 0, maxResponseBytes: 0 }),
    ).not.toThrow();
    expect(() => webhookChannel(url, { retries: 0, backoffMs: 60_000 })).not.toThrow(); // maxBackoffMs defaults to ≥ backoffMs
  });

  it('allowHosts pins the webhook host: exact, case-insensitive, and an empty list allows none', async () => {
    const hook = await server((_, res) => res.writeHead(204).end());
    expect(
      await deliver(webhookChannel(`http://127.0.0.1:${hook.port}/hook`, { allowHosts: ['127.0.0.1'] })),
    ).toBeUndefined();
    expect(hook.requests).toHaveLength(1);
    expect(() => webhookChannel('https://Hooks.Example.com/x', { allowHosts: ['hooks.example.COM'] })).not.toThrow();
    expect(() => webhookChannel('http://[::1]:8080/x', { allowHosts: ['::1'] })).not.toThrow();
    for (const [url, allowHosts, host] of [
      ['https://hooks.example.com.evil.test/x', ['hooks.example.com'], 'hooks.example.com.evil.test'],
      ['https://evil.test/x', ['example.com'], 'evil.test'],
      ['https://sub.example.com/x', ['example.com'], 'sub.example.com'],
      ['http://user:secret@169.254.169.254/latest?token=abc', ['hooks.example.com'], '169.254.169.254'],
      ['https://hooks.example.com/x', [], 'hooks.example.com'],
    ] as const) {
      const error = thrown(() => webhookChannel(url, { allowHosts }));
      expect(InvalidInputError.isInstance(error)).toBe(true);
      expect(error.message).toBe(`webhook host "${host}" is not in allowHosts`);
    }
  });
});
