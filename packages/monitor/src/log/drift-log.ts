import { type Clock, type DriftReport, InvalidInputError, systemClock } from '@mlops/core';
import { appendNdjsonLines } from '@mlops/core/internal';
import { readNdjsonLog } from './ndjson-log';

/** One drift check of a model's inputs, as {@link DriftLog} keeps it. */
export interface DriftRecord {
  /** When the check ran, ISO 8601. */
  readonly time: string;
  /** Model name. */
  readonly model: string;
  /** The model version serving the checked data, when known. */
  readonly version?: number;
  /** The check's result (per feature and the dataset verdict). */
  readonly report: DriftReport;
}

/** What {@link DriftLog.append} takes: a report, the model, optionally the version and time. */
export interface DriftEntry {
  readonly model: string;
  readonly version?: number;
  readonly report: DriftReport;
  readonly time?: Date | string;
}

/** Options of {@link DriftLog}. */
export interface DriftLogOptions {
  /** The NDJSON file (created on the first append). */
  readonly path: string;
  /** Clock for check times (default the system clock). */
  readonly clock?: Pick<Clock, 'now'>;
}

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function describeFeature(value: unknown, i: number): string | undefined {
  if (typeof value !== 'object' || value === null) return `features[${i}] must be an object`;
  const f = value as Record<string, unknown>;
  if (typeof f.feature !== 'string' || f.feature === '') return `features[${i}].feature must be a non-empty string`;
  if (typeof f.test !== 'string') return `features[${i}].test must be a string`;
  if (!isFiniteNumber(f.statistic)) return `features[${i}].statistic must be a finite number`;
  if (f.pValue !== undefined && !isFiniteNumber(f.pValue)) return `features[${i}].pValue must be a finite number`;
  if (!isFiniteNumber(f.threshold)) return `features[${i}].threshold must be a finite number`;
  if (typeof f.drifted !== 'boolean') return `features[${i}].drifted must be true or false`;
  return undefined;
}

/** Why `value` is not a drift record, or `undefined` when it is one. */
function describeRecord(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const line = value as Record<string, unknown>;
  if (typeof line.time !== 'string' || Number.isNaN(Date.parse(line.time)))
    return '"time" must be an ISO 8601 timestamp';
  if (typeof line.model !== 'string' || line.model === '') return '"model" must be a non-empty string';
  if (line.version !== undefined && (!Number.isSafeInteger(line.version) || (line.version as number) < 1))
    return '"version" must be a positive integer';
  const report = line.report as Record<string, unknown> | null;
  if (typeof report !== 'object' || report === null || !Array.isArray(report.features))
    return '"report" must be a drift report with "features"';
  for (const [i, feature] of (report.features as unknown[]).entries()) {
    const problem = describeFeature(feature, i);
    if (problem) return `report.${problem}`;
  }
  if (typeof report.datasetDrift !== 'boolean') return 'report.datasetDrift must be true or false';
  for (const key of ['driftedCount', 'driftedShare', 'referenceRows', 'currentRows'])
    if (!isFiniteNumber(report[key])) return `report.${key} must be a finite number`;
  return undefined;
}

/** A report reduced to its plain fields (what `detectDrift` adds beyond the contract, e.g. level counts, is kept). */
function plainReport(report: DriftReport): DriftReport {
  return JSON.parse(JSON.stringify(report)) as DriftReport;
}

/**
 * An append-only NDJSON history of drift checks per model — what a dashboard draws drift over time from. Like
 * the prediction log: a last line cut short by a crash is ignored on read; any other damaged line is an
 * `IntegrityError` naming its line number. Appends from one instance are serialised.
 */
export class DriftLog {
  /** The NDJSON file. */
  readonly path: string;
  private readonly clock: Pick<Clock, 'now'>;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: DriftLogOptions) {
    if (typeof options?.path !== 'string' || options.path === '')
      throw new InvalidInputError('DriftLog needs a "path"');
    this.path = options.path;
    this.clock = options.clock ?? systemClock;
  }

  /** Appends one check (validated first) and returns its record. */
  async append(entry: DriftEntry): Promise<DriftRecord> {
    const time = entry.time === undefined ? new Date(this.clock.now()) : new Date(entry.time);
    if (Number.isNaN(time.getTime())) throw new InvalidInputError('drift check: time is not a valid date');
    const record: DriftRecord = {
      time: time.toISOString(),
      model: entry.model,
      ...(entry.version === undefined ? {} : { version: entry.version }),
      report: plainReport(entry.report),
    };
    const problem = describeRecord(record);
    if (problem) throw new InvalidInputError(`drift check for ${JSON.stringify(entry.model)}: ${problem}`);
    const done = this.queue.then(() => appendNdjsonLines(this.path, [JSON.stringify(record)]));
    this.queue = done.catch(() => {});
    await done;
    return record;
  }

  /** The checks of `model` (or of every model), oldest first. */
  async read(query: { readonly model?: string } = {}): Promise<DriftRecord[]> {
    return (await readNdjsonLog<DriftRecord>(this.path, describeRecord))
      .filter((record) => query.model === undefined || record.model === query.model)
      .sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  }
}
