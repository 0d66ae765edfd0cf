import { setTimeout as delay } from 'node:timers/promises';
import { InvalidInputError } from '@mlops/core';
import type { Alert, AlertChannel } from './alerts';

/** Options of {@link webhookChannel}. */
export interface WebhookOptions {
  /** Give up on one attempt (request and reading the answer) after this long: (0, 600,000] ms, default 5,000. */
  readonly timeoutMs?: number;
  /** Attempts after the first: an integer in [0, 20], default 3. */
  readonly retries?: number;
  /** Wait before the first retry; doubles each time: [0, 3,600,000] ms, default 500. */
  readonly backoffMs?: number;
  /** Longest wait between attempts, also for a server's `Retry-After`: [backoffMs, 3,600,000] ms, default max(30,000, backoffMs). */
  readonly maxBackoffMs?: number;
  /** Bytes of an answer's body read (then the rest is cancelled, never buffered): an integer ≥ 0, default 65,536. */
  readonly maxResponseBytes?: number;
  /** Extra request headers (e.g. an authorization token); they override the defaults and URL credentials. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Host names the webhook URL may target (exact, case-insensitive; IPv6 with or without brackets). When given, any
   * other host makes {@link webhookChannel} throw. Pins a configured URL to its expected host.
   */
  readonly allowHosts?: readonly string[];
  /** Turns the alert into the JSON body (default: the alert itself). Slack wants `(a) => ({ text: a.message })`. */
  readonly body?: (alert: Alert) => unknown;
  /** Waits between attempts (tests inject a recorder). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Attempts made by the last delivery of a webhook channel, for logs and tests. */
export interface WebhookChannel extends AlertChannel {
  /** Attempts made by the most recent call. */
  readonly lastAttempts: number;
}

const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);
const MAX_TIMEOUT_MS = 600_000;
const MAX_BACKOFF_MS = 3_600_000; // also keeps waits under Node's timer limit (2³¹ − 1 ms)
const MAX_RETRIES = 20;

/**
 * A URL safe to print in messages and logs: credentials, the path (Slack, Discord and Teams webhooks keep their
 * secret there) and query values become `***`, the fragment is dropped. `http://u:p@h:1/a/b?token=t&x` →
 * `http://***@h:1/***?token=***&***`.
 */
export function redactUrl(url: URL): string {
  const userinfo = url.username || url.password ? '***@' : '';
  const authority = url.host || userinfo ? `//${userinfo}${url.host}` : '';
  const path = url.pathname && url.pathname !== '/' ? '/***' : '';
  const query = url.search
    ? `?${url.search
        .slice(1)
        .split('&')
        .map((pair) => (pair.includes('=') ? `${pair.slice(0, pair.indexOf('='))}=***` : '***'))
        .join('&')}`
    : '';
  return `${url.protocol}${authority}${path}${query}`;
}

/** Describes a bad value without echoing strings (which could hold secrets). */
const shown = (value: unknown): string => (typeof value === 'number' ? String(value) : `a ${typeof value}`);

function option(ok: boolean, name: string, rule: string, value: unknown): void {
  if (!ok) throw new InvalidInputError(`webhook option ${name} must be ${rule}, got ${shown(value)}`);
}

const finiteIn = (value: unknown, min: number, max: number): boolean =>
  typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;

/**
 * An alert channel that POSTs the alert as JSON to `url`, with a timeout per attempt and retries with
 * exponential backoff on network errors, timeouts and 408/425/429/5xx answers (honouring `Retry-After`).
 * Other 4xx answers fail at once. Throws when every attempt failed, naming the last reason.
 *
 * Security: the URL is trusted configuration — never build it from request input. `allowHosts` pins it to the
 * expected hosts. Redirects (any 3xx) are refused as a failed, unretried delivery: following them would resend the
 * alert (and its headers) wherever the server points, including internal addresses. Credentials in the URL are sent
 * as `Authorization: Basic` (unless `headers` sets one). Only `maxResponseBytes` of an answer are read, the rest is
 * cancelled. Every message names the URL through {@link redactUrl}. Options are validated with `InvalidInputError`.
 */
export function webhookChannel(url: string, options: WebhookOptions = {}): WebhookChannel {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  // The raw text is never shown: it may hold credentials.
  if (!parsed)
    throw new InvalidInputError('webhook URL is not a valid http(s) URL (not shown: it may hold credentials)');
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new InvalidInputError(`webhook URL must be http(s), got ${parsed.protocol}`);
  const label = redactUrl(parsed);

  const { allowHosts, headers: extra } = options;
  if (allowHosts !== undefined) {
    if (!Array.isArray(allowHosts) || !allowHosts.every((h) => typeof h === 'string' && h !== '')) {
      throw new InvalidInputError('webhook option allowHosts must be an array of non-empty host names');
    }
    const bare = (host: string) => host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
    if (!allowHosts.some((host) => bare(host) === bare(parsed.hostname))) {
      throw new InvalidInputError(`webhook host ${JSON.stringify(parsed.hostname)} is not in allowHosts`);
    }
  }

  const timeoutMs = options.timeoutMs ?? 5000;
  const retries = options.retries ?? 3;
  const backoffMs = options.backoffMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? Math.max(30_000, typeof backoffMs === 'number' ? backoffMs : 0);
  const maxResponseBytes = options.maxResponseBytes ?? 65_536;
  option(
    finiteIn(timeoutMs, Number.MIN_VALUE, MAX_TIMEOUT_MS),
    'timeoutMs',
    `a finite number in (0, ${MAX_TIMEOUT_MS}]`,
    timeoutMs,
  );
  option(
    Number.isInteger(retries) && finiteIn(retries, 0, MAX_RETRIES),
    'retries',
    `an integer in [0, ${MAX_RETRIES}]`,
    retries,
  );
  option(finiteIn(backoffMs, 0, MAX_BACKOFF_MS), 'backoffMs', `a finite number in [0, ${MAX_BACKOFF_MS}]`, backoffMs);
  option(
    finiteIn(maxBackoffMs, backoffMs, MAX_BACKOFF_MS),
    'maxBackoffMs',
    `a finite number in [backoffMs, ${MAX_BACKOFF_MS}]`,
    maxBackoffMs,
  );
  option(
    Number.isSafeInteger(maxResponseBytes) && maxResponseBytes >= 0,
    'maxResponseBytes',
    'an integer ≥ 0',
    maxResponseBytes,
  );
  for (const name of ['body', 'sleep'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function')
      throw new InvalidInputError(`webhook option ${name} must be a function`);
  }

  // Credentials move from the URL (which fetch refuses) to a Basic authorization header; the query stays.
  const target = new URL(parsed);
  target.username = target.password = target.hash = '';
  const headers = new Headers({ 'content-type': 'application/json', 'user-agent': '@mlops/monitor' });
  if (parsed.username || parsed.password) {
    headers.set(
      'authorization',
      `Basic ${Buffer.from(`${decode(parsed.username)}:${decode(parsed.password)}`).toString('base64')}`,
    );
  }
  if (extra !== undefined) {
    if (extra === null || typeof extra !== 'object' || Array.isArray(extra))
      throw new InvalidInputError('webhook option headers must be an object of strings');
    for (const [name, value] of Object.entries(extra)) {
      const key = `headers[${JSON.stringify(name)}]`;
      if (typeof value !== 'string') throw new InvalidInputError(`webhook option ${key} must be a string`);
      try {
        headers.set(name, value);
      } catch {
        throw new InvalidInputError(`webhook option ${key} is not a valid header name and value`); // the value is not echoed
      }
    }
  }
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const toBody = options.body ?? ((alert: Alert) => alert);
  // Belt and braces: a network error's text never repeats the URL.
  const scrub = (text: string) =>
    [url, parsed.href, target.href].reduce((t, secret) => t.split(secret).join(label), text);

  const channel = async (alert: Alert): Promise<void> => {
    const body = JSON.stringify(toBody(alert));
    let reason = '';
    for (let attempt = 1; attempt <= retries + 1; attempt++) {
      state.lastAttempts = attempt;
      let wait = Math.min(maxBackoffMs, backoffMs * 2 ** (attempt - 1));
      let response: Response;
      try {
        response = await fetch(target, {
          method: 'POST',
          headers,
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const name = (error as { name?: string }).name;
        const cause = (error as { cause?: { message?: string } }).cause?.message;
        reason =
          name === 'TimeoutError' || name === 'AbortError'
            ? `timed out after ${timeoutMs} ms`
            : `network error: ${scrub(String(cause ?? (error as Error).message))}`;
        if (attempt <= retries) await sleep(wait);
        continue;
      }
      await drain(response, maxResponseBytes);
      if (response.ok) return;
      if (response.status >= 300 && response.status < 400) {
        throw new Error(
          `webhook ${label} answered HTTP ${response.status} ${where(response, target)}; redirects are refused, not retried`,
        );
      }
      reason = `HTTP ${response.status}`;
      if (!RETRYABLE.has(response.status)) throw new Error(`webhook ${label} answered ${reason}; not retried`);
      const retryAfter = Number(response.headers.get('retry-after'));
      if (Number.isFinite(retryAfter) && retryAfter > 0) wait = Math.min(maxBackoffMs, retryAfter * 1000);
      if (attempt <= retries) await sleep(wait);
    }
    throw new Error(`webhook ${label} failed after ${retries + 1} attempts: ${reason}`);
  };
  const state = Object.assign(channel, { lastAttempts: 0 });
  return state;
}

/** Percent-decodes URL credentials (kept as written when malformed). */
function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Where a redirect points, redacted. */
function where(response: Response, base: URL): string {
  const location = response.headers.get('location');
  if (location === null) return 'without a Location';
  try {
    return `redirecting to ${redactUrl(new URL(location, base))}`;
  } catch {
    return 'redirecting to an invalid Location';
  }
}

/**
 * Reads at most `max` bytes of the body, one chunk at a time (nothing is kept), then cancels the rest so a huge or
 * endless answer costs neither memory nor time. Body errors are ignored: the status decides the delivery.
 */
async function drain(response: Response, max: number): Promise<void> {
  if (!response.body) return;
  const reader = response.body.getReader();
  try {
    for (let read = 0; read < max; ) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
    }
  } catch {
    // A reset or timed-out body does not change the answer's status.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
