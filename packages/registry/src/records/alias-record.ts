import { parseChecked } from '../json/safe-parse';
import { isPositiveInteger, isRecord, isTimestamp } from './shape';

/** Content of `aliases/<alias>.json`. */
export interface AliasRecord {
  /** Alias name (equals the file name). */
  readonly alias: string;
  /** Version it points to. */
  readonly version: number;
  /** When it last moved, ISO 8601. */
  readonly updatedAt: string;
}

/** One line of `alias-history.ndjson`: an alias move. */
export interface AliasMove {
  /** Alias that moved. */
  readonly alias: string;
  /** Version it now points to. */
  readonly version: number;
  /** Version it pointed to before, or `null` when it was created. */
  readonly previousVersion: number | null;
  /** Why it moved (empty when no reason was given). */
  readonly reason: string;
  /** When it moved, ISO 8601. */
  readonly at: string;
}

/** Why a parsed alias file is not a valid record for `alias`, or `undefined`. */
export function describeAliasRecordProblem(value: unknown, alias: string): string | undefined {
  if (!isRecord(value)) return 'the alias record must be an object';
  if (value.alias !== alias) return `"alias" must be ${JSON.stringify(alias)} (the file name)`;
  if (!isPositiveInteger(value.version)) return '"version" must be a positive integer';
  if (!isTimestamp(value.updatedAt)) return '"updatedAt" must be an ISO 8601 timestamp';
  return undefined;
}

/** Why a parsed history line is not a valid alias move, or `undefined`. */
export function describeAliasMoveProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'the entry must be an object';
  if (typeof value.alias !== 'string') return '"alias" must be a string';
  if (!isPositiveInteger(value.version)) return '"version" must be a positive integer';
  if (value.previousVersion !== null && !isPositiveInteger(value.previousVersion)) {
    return '"previousVersion" must be a positive integer or null';
  }
  if (typeof value.reason !== 'string') return '"reason" must be a string';
  if (!isTimestamp(value.at)) return '"at" must be an ISO 8601 timestamp';
  return undefined;
}

/** One unreadable line of `alias-history.ndjson`. */
export interface HistoryLineProblem {
  /** One-based line number. */
  readonly line: number;
  /** What is wrong with it. */
  readonly problem: string;
  /** True for the last line of a file that does not end in a newline: an append interrupted by a crash. */
  readonly torn: boolean;
}

/** Parses `alias-history.ndjson` text into moves, collecting unreadable lines instead of throwing. */
export function parseAliasHistory(text: string): { moves: AliasMove[]; problems: HistoryLineProblem[] } {
  const lines = text.split('\n');
  const moves: AliasMove[] = [];
  const problems: HistoryLineProblem[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const parsed = parseChecked<AliasMove>(line, describeAliasMoveProblem);
    if (parsed.ok) moves.push(parsed.value);
    else problems.push({ line: index + 1, problem: parsed.reason, torn: index === lines.length - 1 });
  });
  return { moves, problems };
}
