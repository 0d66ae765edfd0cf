import { readFile } from 'node:fs/promises';
import { IntegrityError, parseJsonSafely } from '@mlops/core';
import { parseNdjsonLines } from '@mlops/core/internal';

/**
 * The lines of an append-only NDJSON log, each checked by `describe` (why a parsed line is invalid, or `undefined`);
 * `[]` when the file does not exist. A last line cut short by a crash is ignored; any other damaged line is an
 * `IntegrityError` naming its line number.
 */
export async function readNdjsonLog<T>(path: string, describe: (value: unknown) => string | undefined): Promise<T[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const { values, problems } = parseNdjsonLines<T>(text, (raw) => {
    const parsed = parseJsonSafely(raw);
    if (!parsed.ok) return parsed;
    const problem = describe(parsed.value);
    return problem ? { ok: false, reason: problem } : { ok: true, value: parsed.value as T };
  });
  const damage = problems.find((problem) => !problem.torn); // a torn last line is a write a crash cut short
  if (damage)
    throw new IntegrityError(`${path} line ${damage.line} is damaged: ${damage.problem}`, { row: damage.line - 1 });
  return values;
}
