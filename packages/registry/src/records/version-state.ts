import { ConflictError, NotFoundError, type ModelVersion, type VersionStatus } from '@mlops/core';
import { quoteName } from '../names/names';
import { isPositiveInteger, isRecord, isTimestamp } from './shape';

/** Content of `versions/<n>/status.json`: the version's current status. */
export interface StatusRecord {
  readonly status: VersionStatus;
  /** When it last changed, ISO 8601. */
  readonly updatedAt: string;
  /** Why (empty when no reason was given). */
  readonly reason: string;
}

/** Content of `versions/<n>/deleted.json`: the tombstone that keeps a deleted version's number taken. */
export interface Tombstone {
  readonly name: string;
  readonly version: number;
  /** When it was deleted, ISO 8601. */
  readonly deletedAt: string;
  /** Why (empty when no reason was given). */
  readonly reason: string;
}

/** Why a parsed `status.json` is not a valid status record, or `undefined`. */
export function describeStatusRecordProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'the status record must be an object';
  if (value.status !== 'active' && value.status !== 'archived') return '"status" must be "active" or "archived"';
  if (!isTimestamp(value.updatedAt)) return '"updatedAt" must be an ISO 8601 timestamp';
  if (typeof value.reason !== 'string') return '"reason" must be a string';
  return undefined;
}

/** Why a parsed `deleted.json` is not a valid tombstone for `name` version `version`, or `undefined`. */
export function describeTombstoneProblem(value: unknown, name: string, version: number): string | undefined {
  if (!isRecord(value)) return 'the tombstone must be an object';
  if (value.name !== name || !isPositiveInteger(value.version) || value.version !== version)
    return 'the tombstone names another version';
  if (!isTimestamp(value.deletedAt)) return '"deletedAt" must be an ISO 8601 timestamp';
  if (typeof value.reason !== 'string') return '"reason" must be a string';
  return undefined;
}

/** `NotFoundError` for a version that was deleted (its number stays taken). */
export function deletedVersionError(name: string, version: number): NotFoundError {
  return new NotFoundError(`model ${quoteName(name)} version ${version} was deleted`, { name, version });
}

/** Throws `ConflictError` when aliases point at a version about to be archived or deleted. */
export function assertNoAliases(name: string, version: number, aliases: readonly string[], action: string): void {
  if (aliases.length === 0) return;
  const list = aliases.map(quoteName).join(', ');
  throw new ConflictError(
    `cannot ${action} model ${quoteName(name)} version ${version}: alias${aliases.length > 1 ? 'es' : ''} ${list} point${aliases.length > 1 ? '' : 's'} at it; move ${aliases.length > 1 ? 'them' : 'it'} first`,
    { name, version },
  );
}

/** Throws `ConflictError` when an alias is to point at an archived version. */
export function assertAliasable(record: ModelVersion, alias: string): void {
  if (record.status === 'archived') {
    throw new ConflictError(
      `cannot point alias ${quoteName(alias)} at model ${quoteName(record.name)} version ${record.version}: it is archived; restore it first`,
      { name: record.name, version: record.version },
    );
  }
}
