import { FORBIDDEN_KEYS } from './safe-parse';

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object') return value === null ? 'null' : `a ${value.constructor?.name ?? 'non-plain'} object`;
  return typeof value;
}

/**
 * Finds the first value that would not survive `JSON.stringify` → `JSON.parse` unchanged (non-finite
 * numbers, functions, class instances, holes, cycles) or that uses a forbidden key. Returns
 * `"<path> is <what>"`, or `undefined` when the value is plain JSON. Object properties set to `undefined`
 * are allowed (JSON drops them, as a missing optional property).
 */
export function findJsonProblem(value: unknown, path: string): string | undefined {
  const ancestors = new Set<object>();
  const visit = (current: unknown, at: string): string | undefined => {
    if (current === null || typeof current === 'string' || typeof current === 'boolean') return undefined;
    if (typeof current === 'number') return Number.isFinite(current) ? undefined : `${at} is ${describe(current)}`;
    if (typeof current !== 'object') return `${at} is ${describe(current)}`;
    if (ancestors.has(current)) return `${at} refers back to one of its parents (a cycle)`;
    ancestors.add(current);
    try {
      if (Array.isArray(current)) {
        for (let i = 0; i < current.length; i++) {
          const item: unknown = current[i];
          if (item === undefined) return `${at}[${i}] is undefined`;
          const problem = visit(item, `${at}[${i}]`);
          if (problem) return problem;
        }
        return undefined;
      }
      if (!isPlainObject(current)) return `${at} is ${describe(current)}`;
      for (const [key, item] of Object.entries(current)) {
        const childPath = `${at}.${key}`;
        if (FORBIDDEN_KEYS.has(key)) return `${childPath} uses the forbidden key ${JSON.stringify(key)}`;
        if (item === undefined) continue;
        const problem = visit(item, childPath);
        if (problem) return problem;
      }
      return undefined;
    } finally {
      ancestors.delete(current);
    }
  };
  return visit(value, path);
}
