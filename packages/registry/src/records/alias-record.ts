import type { AliasMove } from '@mlops/core';
import type { NdjsonLineProblem } from '@mlops/core/internal';
import { parseNdjson } from '../json/safe-parse';
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

/** Why a parsed alias file is not a valid record for `alias`, or `undefined`. */
export function describeAliasRecordProblem(value: unknown, alias: string): string | undefined {
  if (!isRecord(value)) return 'the alias record must be an object';
  if (value.alias !== alias) return `"alias" must be ${JSON.stringify(alias)} (the file name)`;
  if (!isPositiveInteger(value.version)) return '"version" must be a positive integer';
  if (!isTimestamp(value.updatedAt)) return '"updatedAt" must be an ISO 8601 timestamp';
  return undefined;
}

/** Why a parsed history line is not a valid alias move, or `undefined`. */
function describeAliasMoveProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'the entry must be an object';
  if (typeof value.alias !== 'string') return '"alias" must be a string';
  if (!isPositiveInteger(value.version)) return '"version" must be a positive integer';
  if (value.previousVersion !== null && !isPositiveInteger(value.previousVersion)) {
    return '"previousVersion" must be a positive integer or null';
  }
  if (value.kind !== undefined && value.kind !== 'set' && value.kind !== 'rollback')
    return '"kind" must be "set" or "rollback"';
  if (typeof value.reason !== 'string') return '"reason" must be a string';
  if (!isTimestamp(value.at)) return '"at" must be an ISO 8601 timestamp';
  return undefined;
}

/** One unreadable line of `alias-history.ndjson`. */
export type HistoryLineProblem = NdjsonLineProblem;

/** Parses `alias-history.ndjson` text into moves (old lines without `kind` are `set`), collecting unreadable lines instead of throwing. */
export function parseAliasHistory(text: string): { moves: AliasMove[]; problems: HistoryLineProblem[] } {
  const { values, problems } = parseNdjson<AliasMove>(text, describeAliasMoveProblem);
  const moves = values.map(({ alias, version, previousVersion, kind = 'set', reason, at }) => ({
    alias,
    version,
    previousVersion,
    kind,
    reason,
    at,
  }));
  return { moves, problems };
}

/**
 * Where a rollback of one alias goes, from its moves oldest first: every `set` pushes the version it
 * replaced, every `rollback` pops one, and the top is the target (`undefined` or `null`: nowhere to go).
 */
export function rollbackTarget(moves: readonly AliasMove[]): number | null | undefined {
  const undo: (number | null)[] = [];
  for (const move of moves) {
    if (move.kind === 'rollback') undo.pop();
    else undo.push(move.previousVersion);
  }
  return undo[undo.length - 1];
}
