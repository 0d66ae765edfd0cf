import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { accuracyAlert, createAlerter, driftAlert, type Alert } from './alerts';
import { webhookChannel } from './webhook';

const at = () => new Date('2026-05-01T06:00:00Z');
const check = { accuracy: 0.8, rows: 120, threshold: 0.85, alert: true, checkedAt: '2026-05-01T06:00:00.000Z' };

/** A real HTTP server on 127.0.0.1 that answers requests with `reply(n)` and records what it received. */
async function server(
  reply: (n: number, res: ServerResponse) => void,
): Promise<{ url: string; requests: { headers: IncomingMessage['headers']; body: string }[]; server: Server }> {
  const requests: { headers: IncomingMessage['headers']; body: string }[] = [];
  const srv = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests.push({ headers: req.headers, body });
      reply(requests.length, res);
    });
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  servers.push(srv);
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/hook`, requests, server: srv };
}
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve).closeAllConnections())));
});

describe('alerts', () => {
  it('build readable accuracy and drift alerts, and none when all is well', () => {
    expect(accuracyAlert(check, { model: 'iris', version: 2, now: at })).toEqual({
      kind: 'accuracy',
      message: 'accuracy of model "iris" v2 fell to 0.8000 on 120 labelled rows, under the threshold 0.85',
      at: '2026-05-01T06:00:00.000Z',
      model: 'iris',
      version: 2,
      details: { accuracy: 0.8, rows: 120, threshold: 0.85, checkedAt: '2026-05-01T06:00:00.000Z' },
    });
    expect(accuracyAlert({ ...check, accuracy: 0.9, alert: false })).toBeUndefined();
    const report = {
      features: [
        { feature: 'a', test: 'ks', statistic: 0.4, pValue: 0.001, threshold: 0.05, drifted: true },
        { feature: 'b', test: 'ks', statistic: 0.1, pValue: 0.4, threshold: 0.05, drifted: false },
      ],
      driftedCount: 1,
      driftedShare: 0.5,
      datasetDrift: true,
      referenceRows: 100,
      currentRows: 50,
    };
    expect(driftAlert(report, { model: 'iris', now: at })?.message).toBe(
      'data drift for model "iris": 1 of 2 features drifted (a)',
    );
    expect(driftAlert({ ...report, datasetDrift: false })).toBeUndefined();
  });

  it('POSTs the alert as JSON to a real HTTP server, retrying 503s with exponential backoff', async () => {
    const hook = await server((n, res) => res.writeHead(n < 3 ? 503 : 200).end());
    const waits: number[] = [];
    const channel = webhookChannel(hook.url, {
      backoffMs: 200,
      headers: { authorization: 'Bearer t' },
      sleep: async (ms) => void waits.push(ms),
    });
    const alert = accuracyAlert(check, { model: 'iris', version: 2, now: at }) as Alert;
    const alerter = createAlerter({ webhook: channel });
    expect(await alerter.send(alert)).toEqual([{ channel: 'webhook', ok: true }]);
    expect(hook.requests).toHaveLength(3);
    expect(waits).toEqual([200, 400]);
    expect(channel.lastAttempts).toBe(3);
    for (const request of hook.requests) {
      expect(JSON.parse(request.body)).toEqual(alert);
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers.authorization).toBe('Bearer t');
    }
  });

  it('honours Retry-After, gives up after its retries, and does not retry a 400', async () => {
    const busy = await server((_, res) => res.writeHead(429, { 'retry-after': '2' }).end());
    const waits: number[] = [];
    const alerter = createAlerter({
      busy: webhookChannel(busy.url, { retries: 2, sleep: async (ms) => void waits.push(ms) }),
    });
    const alert = accuracyAlert(check, { now: at });
    expect(await alerter.send(alert)).toEqual([
      {
        channel: 'busy',
        ok: false,
        error: `webhook ${new URL(busy.url).origin}/*** failed after 3 attempts: HTTP 429`,
      },
    ]);
    expect(waits).toEqual([2000, 2000]);
    const bad = await server((_, res) => res.writeHead(400).end());
    const rejected = await createAlerter({ bad: webhookChannel(bad.url, { sleep: async () => {} }) }).send(alert);
    expect(rejected[0]?.error).toBe(`webhook ${new URL(bad.url).origin}/*** answered HTTP 400; not retried`);
    expect(bad.requests).toHaveLength(1);
  });

  it('times out a server that never answers, and reports a refused connection', async () => {
    const silent = await server(() => {}); // never responds
    const slow = webhookChannel(silent.url, { timeoutMs: 100, retries: 1, backoffMs: 10 });
    const started = Date.now();
    const [delivery] = await createAlerter({ slow }).send(accuracyAlert(check, { now: at }));
    expect(delivery).toEqual({
      channel: 'slow',
      ok: false,
      error: `webhook ${new URL(silent.url).origin}/*** failed after 2 attempts: timed out after 100 ms`,
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(silent.requests.length).toBeLessThanOrEqual(2);
    const closed = await server(() => {});
    const url = closed.url;
    await new Promise((resolve) => closed.server.close(resolve));
    const [refused] = await createAlerter({ gone: webhookChannel(url, { retries: 0 }) }).send(
      accuracyAlert(check, { now: at }),
    );
    expect(refused?.error).toMatch(/failed after 1 attempts: network error: connect ECONNREFUSED/);
  });

  it('delivers to every channel even when one throws', async () => {
    const seen: string[] = [];
    const alerter = createAlerter({
      log: (a) => void seen.push(a.message),
      broken: () => {
        throw new Error('pager offline');
      },
    });
    const deliveries = await alerter.send(accuracyAlert(check, { now: at }));
    expect(deliveries).toEqual([
      { channel: 'log', ok: true },
      { channel: 'broken', ok: false, error: 'pager offline' },
    ]);
    expect(seen).toHaveLength(1);
    expect(await alerter.send(undefined)).toEqual([]);
    expect(() => webhookChannel('ftp://x')).toThrow('webhook URL must be http(s), got ftp:');
  });
});
