import type { ColumnType, InputColumn, Preprocessing } from '../contracts/pipeline';
import { FORBIDDEN_KEYS } from '../validation/safe-json';

const TYPES: readonly ColumnType[] = ['number', 'integer', 'boolean', 'category'];
const STRATEGIES = ['median', 'mean', 'mode', 'constant'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNameList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string' && v !== '' && !FORBIDDEN_KEYS.has(v));
}

function fillProblem(column: InputColumn): string | undefined {
  const fill = column.fill as unknown;
  if (fill === undefined) return column.nullable ? 'is nullable but has no fill' : undefined;
  if (!column.nullable) return 'has a fill but is not nullable';
  if (isRecord(fill) && fill.strategy === 'keep')
    return Object.keys(fill).length === 1 ? undefined : 'has a malformed fill';
  if (!isRecord(fill) || !STRATEGIES.includes(fill.strategy as string)) return 'has a malformed fill';
  const value = fill.value;
  const fits =
    column.type === 'category'
      ? typeof value === 'string' && (column.levels ?? []).includes(value)
      : column.type === 'boolean'
        ? typeof value === 'boolean'
        : typeof value === 'number' && Number.isFinite(value) && (column.type === 'number' || Number.isInteger(value));
  return fits
    ? undefined
    : `fills ${JSON.stringify(value)}, which is not a ${column.type} value${column.type === 'category' ? ' among its levels' : ''}`;
}

function columnProblem(column: unknown, j: number): string | undefined {
  if (!isRecord(column)) return `inputs[${j}] must be an object`;
  const { name, type, levels, nullable, missingCount } = column;
  if (typeof name !== 'string' || name === '' || FORBIDDEN_KEYS.has(name))
    return `inputs[${j}] needs a name (not __proto__, constructor or prototype)`;
  const label = `input "${name}"`;
  if (!TYPES.includes(type as ColumnType)) return `${label} has type ${JSON.stringify(type)}`;
  if (type === 'category') {
    if (!Array.isArray(levels) || levels.length === 0 || !levels.every((l) => typeof l === 'string'))
      return `${label} needs its levels (a non-empty list of strings)`;
    if (new Set(levels).size !== levels.length) return `${label} lists a level twice`;
  } else if (levels !== undefined) return `${label} has levels but is not a category`;
  if (typeof nullable !== 'boolean') return `${label} needs "nullable" (true or false)`;
  if (typeof missingCount !== 'number' || !Number.isSafeInteger(missingCount) || missingCount < 0)
    return `${label} needs "missingCount" (a count)`;
  const fill = fillProblem(column as unknown as InputColumn);
  return fill === undefined ? undefined : `${label} ${fill}`;
}

/** Why `inputs` is not a valid list of {@link InputColumn}s (a sentence), or `undefined` when it is. */
export function describeInputsProblem(inputs: unknown): string | undefined {
  if (!Array.isArray(inputs) || inputs.length === 0) return '"inputs" must be a non-empty list of columns';
  for (let j = 0; j < inputs.length; j++) {
    const problem = columnProblem(inputs[j], j);
    if (problem) return problem;
  }
  const names = (inputs as InputColumn[]).map((c) => c.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  return twice === undefined ? undefined : `input "${twice}" is listed twice`;
}

/** Why `value` is not valid {@link Preprocessing} (a sentence), or `undefined` when it is. */
export function describePreprocessingProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'preprocessing must be an object';
  const { inputs, target, dropped, missingValues, unseenCategory } = value;
  const inputsProblem = describeInputsProblem(inputs);
  if (inputsProblem) return inputsProblem;
  const names = (inputs as InputColumn[]).map((c) => c.name);
  if (!isRecord(target) || typeof target.name !== 'string' || target.name === '' || FORBIDDEN_KEYS.has(target.name))
    return '"target" needs a name';
  if (names.includes(target.name)) return `the target "${target.name}" cannot also be an input`;
  if (target.task === 'classification') {
    if (!Array.isArray(target.classNames) || target.classNames.length === 0)
      return 'a classification target needs its classNames';
    if (!target.classNames.every((c) => typeof c === 'string')) return 'classNames must be strings';
    if (new Set(target.classNames).size !== target.classNames.length) return 'classNames lists a class twice';
  } else if (target.task === 'regression') {
    if (target.classNames !== undefined) return 'a regression target has no classNames';
  } else return '"target.task" must be "classification" or "regression"';
  if (!isNameList(dropped)) return '"dropped" must be a list of column names';
  const clash = dropped.find((d) => d === target.name || names.includes(d));
  if (clash !== undefined) return `dropped column "${clash}" is also an input or the target`;
  if (!Array.isArray(missingValues) || !missingValues.every((v) => typeof v === 'string'))
    return '"missingValues" must be a list of strings';
  if (unseenCategory !== 'error' && unseenCategory !== 'missing')
    return '"unseenCategory" must be "error" or "missing"';
  return undefined;
}
