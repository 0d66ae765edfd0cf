import { InvalidInputError, type ModelVersion, type VersionQuery } from '@mlops/core';
import { findStringProblem } from '../json/json-safety';
import { assertValidName, assertVersionNumber } from '../names/names';

/** What search filters and sorts on: a version record without its signature, params and artifact facts. */
export type SearchableVersion = Pick<
  ModelVersion,
  'name' | 'version' | 'createdAt' | 'metrics' | 'tags' | 'dataset' | 'status'
>;

/** The fields of a record search uses. */
export function searchable({
  name,
  version,
  createdAt,
  metrics,
  tags,
  dataset,
  status,
}: ModelVersion): SearchableVersion {
  return { name, version, createdAt, metrics, tags, ...(dataset === undefined ? {} : { dataset }), status };
}

// A non-null, non-array object (no type narrowing: the query keeps its declared types).
const isObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks a query; returns its page bounds. Tags must map strings to strings and the metric must be named
 * by a string; none of these strings may hold U+0000 or unpaired surrogates (no stored value can, and
 * PostgreSQL cannot even compare them), so both backends answer `InvalidInputError` alike.
 */
export function checkQuery(query: VersionQuery): { limit: number; offset: number } {
  if (!isObject(query)) throw new InvalidInputError('a query must be an object');
  if (query.name !== undefined) assertValidName(query.name, 'model');
  if (query.tags !== undefined) {
    if (!isObject(query.tags)) throw new InvalidInputError('tags must map tag names to strings');
    for (const [key, value] of Object.entries(query.tags)) {
      if (typeof value !== 'string')
        throw new InvalidInputError(
          `tags must map tag names to strings, got ${typeof value} for ${JSON.stringify(key)}`,
        );
      const problem = findStringProblem(key, 'a tag name') ?? findStringProblem(value, 'a tag value');
      if (problem) throw new InvalidInputError(`cannot search: ${problem}`);
    }
  }
  const limit = query.limit ?? 50;
  const offset = query.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new InvalidInputError(`limit must be an integer in [1, 1000], got ${String(limit)}`);
  if (!Number.isInteger(offset) || offset < 0)
    throw new InvalidInputError(`offset must be an integer ≥ 0, got ${String(offset)}`);
  const m = query.metric;
  if (
    m !== undefined &&
    (!isObject(m) || typeof m.name !== 'string' || [m.min, m.max].some((v) => v !== undefined && !Number.isFinite(v)))
  ) {
    throw new InvalidInputError('metric must name a metric and give finite min and/or max');
  }
  const metricProblem = m === undefined ? undefined : findStringProblem(m.name, 'the metric name');
  if (metricProblem) throw new InvalidInputError(`cannot search: ${metricProblem}`);
  if (query.status !== undefined && query.status !== 'active' && query.status !== 'archived') {
    throw new InvalidInputError(`status must be "active" or "archived", got ${JSON.stringify(query.status)}`);
  }
  if (query.dataset !== undefined) {
    if (!isObject(query.dataset)) throw new InvalidInputError('dataset must be { name, version? }');
    assertValidName(query.dataset.name, 'dataset');
    if (query.dataset.version !== undefined) assertVersionNumber(query.dataset.version, 'dataset.version');
  }
  return { limit, offset };
}

/**
 * True when a version record satisfies the query's conditions. Tags and metrics are looked up as own
 * properties only, so `constructor`, `toString` or `__proto__` match only a version that has them.
 */
export function matches(version: SearchableVersion, query: VersionQuery): boolean {
  if (query.name !== undefined && version.name !== query.name) return false;
  for (const [key, value] of Object.entries(query.tags ?? {})) {
    if (!Object.hasOwn(version.tags, key) || version.tags[key] !== value) return false;
  }
  const m = query.metric;
  if (m) {
    const value = Object.hasOwn(version.metrics, m.name) ? version.metrics[m.name] : undefined;
    if (value === undefined || (m.min !== undefined && value < m.min) || (m.max !== undefined && value > m.max))
      return false;
  }
  if (query.status !== undefined && version.status !== query.status) return false;
  const d = query.dataset;
  if (d && (version.dataset?.name !== d.name || (d.version !== undefined && version.dataset.version !== d.version)))
    return false;
  return true;
}

/** Newest first: by creation time, then model name, then version number, all descending. */
export function newestFirst(a: SearchableVersion, b: SearchableVersion): number {
  return (
    (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0) ||
    (a.name < b.name ? 1 : a.name > b.name ? -1 : 0) ||
    b.version - a.version
  );
}
