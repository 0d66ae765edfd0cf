import { randomUUID } from 'node:crypto';
import { type Clock, FORBIDDEN_KEYS, InvalidInputError, systemClock } from '@mlops/core';
import { appendNdjsonLines } from '@mlops/core/internal';
import { readNdjsonLog } from './ndjson-log';

/** One logged prediction, with its label once one was joined. */
export interface PredictionRecord {
  /** Unique id, used to join a label later. */
  readonly id: string;
  /** When the prediction was made, ISO 8601. */
  readonly time: string;
  /** Model name. */
  readonly model: string;
  /** Model version. */
  readonly version: number;
  /** The input row, positional or by feature name. */
  readonly inputs: readonly number[] | Readonly<Record<string, number>>;
  /** The prediction (a class index for classifiers). */
  readonly prediction: number;
  /** The true label, once known. */
  readonly label?: number;
  /** When the label was recorded, ISO 8601. */
  readonly labelTime?: string;
}

/** What {@link PredictionLog.append} takes: a prediction, optionally with its own id and time. */
export interface PredictionEntry {
  readonly model: string;
  readonly version: number;
  readonly inputs: readonly number[] | Readonly<Record<string, number>>;
  readonly prediction: number;
  readonly id?: string;
  readonly time?: Date | string;
}

/** One label for {@link PredictionLog.labelMany}: the prediction's id and its true value. */
export interface LabelEntry {
  /** Id of the logged prediction. */
  readonly id: string;
  /** The true label (a class index for classifiers, the observed value for regressors). */
  readonly label: number;
}

/** Filters of {@link PredictionLog.read}. */
export interface PredictionQuery {
  readonly model?: string;
  readonly version?: number;
  /** Only predictions at or after this time. */
  readonly since?: Date;
  /** Only predictions before this time. */
  readonly until?: Date;
  /** Only predictions that have a label. */
  readonly labelled?: boolean;
}

/** Options of {@link PredictionLog}. */
export interface PredictionLogOptions {
  /** The NDJSON file (created on the first append). */
  readonly path: string;
  /** Clock for prediction and label times (default the system clock; `ManualClock` in tests). */
  readonly clock?: Pick<Clock, 'now'>;
  /** Id generator (default `crypto.randomUUID`). */
  readonly newId?: () => string;
  /** fsync after every append (default false: the OS decides when lines reach the disk). */
  readonly sync?: boolean;
}

type PredictionLine = {
  type: 'prediction';
  id: string;
  time: string;
  model: string;
  version: number;
  inputs: PredictionRecord['inputs'];
  prediction: number;
};
type LabelLine = { type: 'label'; id: string; time: string; label: number };

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function checkInputs(inputs: unknown): string | undefined {
  if (Array.isArray(inputs)) return inputs.every(isFiniteNumber) ? undefined : 'inputs must be finite numbers';
  if (typeof inputs !== 'object' || inputs === null) return 'inputs must be an array or an object of numbers';
  for (const [key, value] of Object.entries(inputs)) {
    if (FORBIDDEN_KEYS.has(key)) return `inputs may not use the key "${key}"`;
    if (!isFiniteNumber(value)) return `inputs.${key} must be a finite number`;
  }
  return undefined;
}

function describeLine(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const line = value as Record<string, unknown>;
  if (typeof line.id !== 'string' || line.id === '') return '"id" must be a non-empty string';
  if (typeof line.time !== 'string' || Number.isNaN(Date.parse(line.time)))
    return '"time" must be an ISO 8601 timestamp';
  if (line.type === 'label') return isFiniteNumber(line.label) ? undefined : '"label" must be a finite number';
  if (line.type !== 'prediction') return '"type" must be "prediction" or "label"';
  if (typeof line.model !== 'string' || line.model === '') return '"model" must be a non-empty string';
  if (!Number.isSafeInteger(line.version) || (line.version as number) < 1)
    return '"version" must be a positive integer';
  if (!isFiniteNumber(line.prediction)) return '"prediction" must be a finite number';
  return checkInputs(line.inputs);
}

function labelTime(time: Date): string {
  if (!(time instanceof Date) || Number.isNaN(time.getTime()))
    throw new InvalidInputError(`label time must be a valid Date, got ${String(time)}`);
  return time.toISOString();
}

/**
 * An append-only NDJSON log of predictions (time, model name and version, inputs, prediction) to which
 * labels are joined later by id, as they arrive. Each line is one JSON object; a last line cut short by
 * a crash is ignored on read and cut off by the next append; any other damaged line is an `IntegrityError`
 * naming its line number. Appends from one instance are serialised; use one writing process per file.
 */
export class PredictionLog {
  /** The NDJSON file. */
  readonly path: string;
  private readonly clock: Pick<Clock, 'now'>;
  private readonly newId: () => string;
  private readonly sync: boolean;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: PredictionLogOptions) {
    if (typeof options?.path !== 'string' || options.path === '')
      throw new InvalidInputError('PredictionLog needs a "path"');
    this.path = options.path;
    this.clock = options.clock ?? systemClock;
    this.newId = options.newId ?? randomUUID;
    this.sync = options.sync ?? false;
  }

  /** Appends predictions (validated first: nothing is written if one is bad) and returns their records. */
  async append(entries: PredictionEntry | readonly PredictionEntry[]): Promise<PredictionRecord[]> {
    const list = Array.isArray(entries) ? entries : [entries as PredictionEntry];
    const lines = list.map((entry, i): PredictionLine => {
      const at = list.length > 1 ? `prediction ${i}` : 'prediction';
      if (typeof entry !== 'object' || entry === null)
        throw new InvalidInputError(`${at} must be an object`, { row: i });
      if (typeof entry.model !== 'string' || entry.model === '')
        throw new InvalidInputError(`${at}: model must be a non-empty string`, { row: i });
      if (!Number.isSafeInteger(entry.version) || entry.version < 1)
        throw new InvalidInputError(`${at}: version must be a positive integer`, { row: i });
      if (!isFiniteNumber(entry.prediction))
        throw new InvalidInputError(`${at}: prediction must be a finite number`, { row: i });
      const problem = checkInputs(entry.inputs);
      if (problem) throw new InvalidInputError(`${at}: ${problem}`, { row: i });
      const time = entry.time === undefined ? new Date(this.clock.now()) : new Date(entry.time);
      if (Number.isNaN(time.getTime())) throw new InvalidInputError(`${at}: time is not a valid date`, { row: i });
      const id = entry.id ?? this.newId();
      if (typeof id !== 'string' || id === '')
        throw new InvalidInputError(`${at}: id must be a non-empty string`, { row: i });
      const inputs = Array.isArray(entry.inputs) ? [...entry.inputs] : { ...entry.inputs };
      return {
        type: 'prediction',
        id,
        time: time.toISOString(),
        model: entry.model,
        version: entry.version,
        inputs,
        prediction: entry.prediction,
      };
    });
    await this.write(lines);
    return lines.map(({ type: _, ...record }) => record);
  }

  /**
   * Records the true label of a logged prediction (appended; joined on read). The id is not looked up: a
   * label may arrive before its prediction is logged, and joins once it is. A later label for an id wins.
   */
  async label(id: string, label: number, time: Date = new Date(this.clock.now())): Promise<void> {
    if (typeof id !== 'string' || id === '') throw new InvalidInputError('label: id must be a non-empty string');
    if (!isFiniteNumber(label))
      throw new InvalidInputError(`label for "${id}" must be a finite number, got ${String(label)}`);
    await this.write([{ type: 'label', id, time: labelTime(time), label }]);
  }

  /**
   * Records many labels in one append, all with the same `time`: every entry is checked first, and a bad
   * one (`InvalidInputError` naming its index and id) writes nothing. As with {@link PredictionLog.label},
   * ids are not looked up (unknown ones are written and join once their prediction is logged), and the
   * last label of an id wins, within the batch too. An empty list writes nothing.
   */
  async labelMany(labels: readonly LabelEntry[], time: Date = new Date(this.clock.now())): Promise<void> {
    if (!Array.isArray(labels)) throw new InvalidInputError('labelMany needs an array of { id, label }');
    const at = labelTime(time);
    const lines = labels.map((entry: LabelEntry | undefined, i): LabelLine => {
      const id = entry?.id;
      if (typeof id !== 'string' || id === '')
        throw new InvalidInputError(`label ${i}: id must be a non-empty string, got ${String(id)}`, { row: i });
      if (!isFiniteNumber(entry!.label)) {
        throw new InvalidInputError(`label ${i} ("${id}") must be a finite number, got ${String(entry!.label)}`, {
          row: i,
        });
      }
      return { type: 'label', id, time: at, label: entry!.label };
    });
    if (lines.length > 0) await this.write(lines);
  }

  /** The logged predictions, oldest first, each with its latest label joined; filtered by `query`. */
  async read(query: PredictionQuery = {}): Promise<PredictionRecord[]> {
    const records = new Map<string, PredictionRecord>();
    const labels = new Map<string, LabelLine>();
    for (const line of await readNdjsonLog<PredictionLine | LabelLine>(this.path, describeLine)) {
      if (line.type === 'label') labels.set(line.id, line);
      else {
        const { type: _, ...record } = line;
        records.set(line.id, record);
      }
    }
    const since = query.since?.getTime() ?? -Infinity;
    const until = query.until?.getTime() ?? Infinity;
    const out: PredictionRecord[] = [];
    for (const record of records.values()) {
      const t = Date.parse(record.time);
      if (t < since || t >= until) continue;
      if (query.model !== undefined && record.model !== query.model) continue;
      if (query.version !== undefined && record.version !== query.version) continue;
      const label = labels.get(record.id);
      if (query.labelled && !label) continue;
      out.push(label ? { ...record, label: label.label, labelTime: label.time } : record);
    }
    return out.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  }

  private write(lines: readonly object[]): Promise<void> {
    const done = this.queue.then(async () => {
      await appendNdjsonLines(
        this.path,
        lines.map((line) => JSON.stringify(line)),
        { sync: this.sync },
      );
    });
    this.queue = done.catch(() => {});
    return done;
  }
}
