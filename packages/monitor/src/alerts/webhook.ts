import { setTimeout as delay } from 'node:timers/promises';
import { InvalidInputError } from '@mlops/core';
import type { Alert, AlertChannel } from './alerts';

/** Options of {@link webhookChannel}. */
export interface WebhookOptions {
  /** Give up on one attempt after this long (default 5,000 ms). */
  readonly timeoutMs?: number;
  /** Attempts after the first (default 3). */
  readonly retries?: number;
  /** Wait before the first retry; doubles each time (default 500 ms). */
  readonly backoffMs?: number;
  /** Longest wait between attempts, also for a server's `Retry-After` (default 30,000 ms). */
  readonly maxBackoffMs?: number;
  /** Extra request headers (e.g. an authorization token). */
  readonly headers?: Readonly<Record<string, string>>;
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

/**
 * An alert channel that POSTs the alert as JSON to `url`, with a timeout per attempt and retries with
 * exponential backoff on network errors, timeouts and 408/425/429/5xx answers (honouring `Retry-After`).
 * Other 4xx answers fail at once. Throws when every attempt failed, naming the last reason.
 */
export function webhookChannel(url: string, options: WebhookOptions = {}): WebhookChannel {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidInputError(`webhook URL ${JSON.stringify(url)} is not a valid URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new InvalidInputError(`webhook URL must be http(s), got ${parsed.protocol}`);
  const timeoutMs = options.timeoutMs ?? 5000;
  const retries = options.retries ?? 3;
  const backoffMs = options.backoffMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  if (!Number.isInteger(retries) || retries < 0) throw new InvalidInputError(`retries must be an integer ≥ 0, got ${retries}`);
  if (!(timeoutMs > 0) || !(backoffMs >= 0)) throw new InvalidInputError('timeoutMs must be > 0 and backoffMs ≥ 0');
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const toBody = options.body ?? ((alert: Alert) => alert);

  const channel = async (alert: Alert): Promise<void> => {
    const body = JSON.stringify(toBody(alert));
    let reason = '';
    for (let attempt = 1; attempt <= retries + 1; attempt++) {
      state.lastAttempts = attempt;
      let wait = Math.min(maxBackoffMs, backoffMs * 2 ** (attempt - 1));
      try {
        const response = await fetch(parsed, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': '@mlops/monitor', ...options.headers },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return;
        reason = `HTTP ${response.status}`;
        if (!RETRYABLE.has(response.status)) throw new Error(`webhook ${parsed.origin} answered ${reason}; not retried`);
        const retryAfter = Number(response.headers.get('retry-after'));
        if (Number.isFinite(retryAfter) && retryAfter > 0) wait = Math.min(maxBackoffMs, retryAfter * 1000);
      } catch (error) {
        if (error instanceof Error && error.message.endsWith('not retried')) throw error;
        const name = (error as { name?: string }).name;
        const cause = (error as { cause?: { message?: string } }).cause?.message;
        reason = name === 'TimeoutError' || name === 'AbortError' ? `timed out after ${timeoutMs} ms` : `network error: ${cause ?? (error as Error).message}`;
      }
      if (attempt <= retries) await sleep(wait);
    }
    throw new Error(`webhook ${parsed.origin} failed after ${retries + 1} attempts: ${reason}`);
  };
  const state = Object.assign(channel, { lastAttempts: 0 });
  return state;
}
