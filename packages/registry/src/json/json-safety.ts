import { quoteName } from '../names/names';
import { FORBIDDEN_KEYS } from './safe-parse';

/**
 * Deepest nesting of objects and arrays accepted in a stored JSON field (`params`, artifact `payload`,
 * `tags`, …): the field's value itself is level 1, so `{ a: { b: 1 } }` is 2 levels deep. Deeper values
 * are rejected at register time; without a cap a few thousand levels overflow the stack when the
 * version is read back.
 */
export const MAX_JSON_DEPTH = 64;

// U+0000 (PostgreSQL text and jsonb cannot hold it) or a UTF-16 surrogate without its partner (jsonb
// rejects it, text silently turns it into U+FFFD).
const UNSTORABLE = /\u0000|\p{Surrogate}/u;
// C0 control characters other than tab, line feed and carriage return.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

function codePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Why a string cannot be stored alike by every backend, or `undefined`: it may hold anything except
 * U+0000 (NUL) and unpaired UTF-16 surrogates (not well-formed Unicode).
 */
export function findStringProblem(text: string, at: string): string | undefined {
  const found = UNSTORABLE.exec(text);
  if (!found) return undefined;
  return found[0] === '\u0000'
    ? `${at} contains U+0000 (NUL), which cannot be stored`
    : `${at} contains an unpaired surrogate ${codePoint(found[0])} (not well-formed Unicode)`;
}

/**
 * {@link findStringProblem} for short free text (descriptions, reasons, tag keys and values, metric
 * names), which additionally may not hold C0 control characters other than tab, line feed and carriage
 * return. Non-strings are left to the caller's type check.
 */
export function findTextProblem(text: unknown, at: string): string | undefined {
  if (typeof text !== 'string') return undefined;
  const problem = findStringProblem(text, at);
  if (problem) return problem;
  const control = CONTROL.exec(text);
  return control
    ? `${at} contains the control character ${codePoint(control[0])} (only tab, line feed and carriage return are allowed)`
    : undefined;
}

/** {@link findTextProblem} for every key and string value of a map such as `tags` or `metrics`. */
export function findMapTextProblem(map: unknown, at: string): string | undefined {
  if (typeof map !== 'object' || map === null) return undefined;
  for (const [key, value] of Object.entries(map)) {
    const problem = findTextProblem(key, `${at} key ${quoteName(key)}`) ?? findTextProblem(value, childPath(at, key));
    if (problem) return problem;
  }
  return undefined;
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object') return value === null ? 'null' : `a ${value.constructor?.name ?? 'non-plain'} object`;
  return typeof value;
}

/** `at.key`, or `at["odd key"]` when the key is not a plain identifier. */
function childPath(at: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${at}.${key}` : `${at}[${quoteName(key)}]`;
}

/** One object or array being walked: its path, level, children and the next child to visit. */
interface Frame {
  readonly value: object;
  readonly at: string;
  readonly level: number;
  readonly entries: readonly (readonly [string, unknown])[];
  readonly isArray: boolean;
  next: number;
}

/**
 * Finds the first value that would not survive `JSON.stringify` → `JSON.parse` unchanged (non-finite
 * numbers, functions, class instances, holes, cycles), uses a forbidden key, holds a string no backend
 * can store alike ({@link findStringProblem}, in keys too) or nests objects and arrays more than
 * {@link MAX_JSON_DEPTH} levels. Returns `"<path> is <what>"`, or `undefined` when the value is plain
 * JSON. Object properties set to `undefined` are allowed (JSON drops them, as a missing optional
 * property). Walks iteratively, so no input can overflow the stack. `rootLevel` is the level of `value`
 * itself: 1 for a field such as `params`, 0 for a container of fields such as the artifact.
 */
export function findJsonProblem(value: unknown, path: string, rootLevel = 1): string | undefined {
  const ancestors = new Set<object>();
  const stack: Frame[] = [];
  // Checks a scalar, or opens a container by pushing its frame; returns a problem or undefined.
  const enter = (current: unknown, at: string, level: number): string | undefined => {
    if (current === null || typeof current === 'boolean') return undefined;
    if (typeof current === 'string') return findStringProblem(current, at);
    if (typeof current === 'number') return Number.isFinite(current) ? undefined : `${at} is ${describe(current)}`;
    if (typeof current !== 'object') return `${at} is ${describe(current)}`;
    if (ancestors.has(current)) return `${at} refers back to one of its parents (a cycle)`;
    if (level > MAX_JSON_DEPTH) return `${at} is nested more than ${MAX_JSON_DEPTH} levels deep`;
    const isArray = Array.isArray(current);
    if (!isArray && !isPlainObject(current)) return `${at} is ${describe(current)}`;
    const entries = isArray ? [] : Object.entries(current);
    ancestors.add(current);
    stack.push({ value: current, at, level, entries, isArray, next: 0 });
    return undefined;
  };
  let problem = enter(value, path, rootLevel);
  while (!problem && stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const index = frame.next++;
    if (frame.isArray) {
      const array = frame.value as unknown[];
      if (index >= array.length) {
        ancestors.delete(stack.pop()!.value);
        continue;
      }
      const item = array[index];
      problem =
        item === undefined
          ? `${frame.at}[${index}] is undefined`
          : enter(item, `${frame.at}[${index}]`, frame.level + 1);
    } else {
      if (index >= frame.entries.length) {
        ancestors.delete(stack.pop()!.value);
        continue;
      }
      const [key, item] = frame.entries[index]!;
      const at = childPath(frame.at, key);
      if (FORBIDDEN_KEYS.has(key)) problem = `${at} uses the forbidden key ${JSON.stringify(key)}`;
      else
        problem =
          findStringProblem(key, `${frame.at} key ${quoteName(key)}`) ??
          (item === undefined ? undefined : enter(item, at, frame.level + 1));
    }
  }
  return problem;
}
