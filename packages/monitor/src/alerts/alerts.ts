import { InvalidInputError, type AccuracyCheck, type DriftReport } from '@mlops/core';

/** Something people should look at: accuracy under its threshold, or dataset drift. Plain JSON data. */
export interface Alert {
  readonly kind: 'accuracy' | 'drift';
  /** One readable sentence. */
  readonly message: string;
  /** When it was raised, ISO 8601. */
  readonly at: string;
  readonly model?: string;
  readonly version?: number;
  /** The numbers behind it. */
  readonly details: Readonly<Record<string, unknown>>;
}

/** Which model (version) an alert is about. */
export interface AlertContext {
  readonly model?: string;
  readonly version?: number;
  /** Clock (default `() => new Date()`). */
  readonly now?: () => Date;
}

function subject(context: AlertContext): string {
  if (context.model === undefined) return 'the model';
  return context.version === undefined ? `model "${context.model}"` : `model "${context.model}" v${context.version}`;
}

function withContext(context: AlertContext) {
  return {
    ...(context.model === undefined ? {} : { model: context.model }),
    ...(context.version === undefined ? {} : { version: context.version }),
  };
}

/** The alert for an accuracy check under its threshold, or `undefined` when accuracy held. */
export function accuracyAlert(check: AccuracyCheck, context: AlertContext = {}): Alert | undefined {
  if (!check.alert) return undefined;
  return {
    kind: 'accuracy',
    message: `accuracy of ${subject(context)} fell to ${check.accuracy.toFixed(4)} on ${check.rows} labelled rows, under the threshold ${check.threshold}`,
    at: (context.now ?? (() => new Date()))().toISOString(),
    ...withContext(context),
    details: { accuracy: check.accuracy, rows: check.rows, threshold: check.threshold, checkedAt: check.checkedAt },
  };
}

/** The alert for a drift report that found dataset drift, or `undefined` when it did not. */
export function driftAlert(report: DriftReport, context: AlertContext = {}): Alert | undefined {
  if (!report.datasetDrift) return undefined;
  const drifted = report.features.filter((f) => f.drifted);
  return {
    kind: 'drift',
    message: `data drift for ${subject(context)}: ${drifted.length} of ${report.features.length} features drifted (${drifted.map((f) => f.feature).join(', ')})`,
    at: (context.now ?? (() => new Date()))().toISOString(),
    ...withContext(context),
    details: {
      driftedShare: report.driftedShare,
      referenceRows: report.referenceRows,
      currentRows: report.currentRows,
      features: drifted.map((f) => ({
        feature: f.feature,
        test: f.test,
        statistic: f.statistic,
        ...(f.pValue === undefined ? {} : { pValue: f.pValue }),
      })),
    },
  };
}

/** Delivers an alert somewhere; throws (or rejects) when delivery failed for good. */
export type AlertChannel = (alert: Alert) => unknown;

/** What happened to one alert on one channel. */
export interface Delivery {
  readonly channel: string;
  readonly ok: boolean;
  /** Why it failed, when it did. */
  readonly error?: string;
}

/** Sends alerts to every channel; never throws. */
export interface Alerter {
  /** Delivers to all channels concurrently and reports each outcome (nothing sent for `undefined`). */
  send(alert: Alert | undefined): Promise<Delivery[]>;
}

/** An alerter over named channels, e.g. `{ slack: webhookChannel(url), log: (a) => console.warn(a.message) }`. */
export function createAlerter(channels: Readonly<Record<string, AlertChannel>>): Alerter {
  const entries = Object.entries(channels);
  if (entries.length === 0) throw new InvalidInputError('createAlerter needs at least one channel');
  for (const [name, channel] of entries) {
    if (typeof channel !== 'function') throw new InvalidInputError(`alert channel "${name}" must be a function`);
  }
  return {
    async send(alert) {
      if (alert === undefined) return [];
      return Promise.all(
        entries.map(async ([channel, deliver]): Promise<Delivery> => {
          try {
            await deliver(alert);
            return { channel, ok: true };
          } catch (error) {
            return { channel, ok: false, error: error instanceof Error ? error.message : String(error) };
          }
        }),
      );
    },
  };
}
