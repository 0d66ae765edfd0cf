import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import type { ParseResult } from '../validation/safe-json';

/** One unreadable line of an NDJSON file; `torn` when it is the last line and lacks its newline (a cut-short append). */
export interface NdjsonLineProblem {
  /** 1-based line number. */
  readonly line: number;
  readonly problem: string;
  readonly torn: boolean;
}

/** Parses NDJSON text line by line with `parse`, collecting unreadable lines instead of throwing; blank lines are skipped. */
export function parseNdjsonLines<T>(
  text: string,
  parse: (line: string) => ParseResult<T>,
): { values: T[]; problems: NdjsonLineProblem[] } {
  const lines = text.split('\n');
  const values: T[] = [];
  const problems: NdjsonLineProblem[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const parsed = parse(line);
    if (parsed.ok) values.push(parsed.value);
    else problems.push({ line: index + 1, problem: parsed.reason, torn: index === lines.length - 1 });
  });
  return { values, problems };
}

/** Length of the file up to and including its last newline (the whole file when it ends with one). */
async function lengthWithoutTornLine(handle: FileHandle, size: number): Promise<number> {
  const chunk = Buffer.alloc(Math.min(size, 1 << 16));
  for (let end = size; end > 0; ) {
    const start = Math.max(0, end - chunk.length);
    const { bytesRead } = await handle.read(chunk, 0, end - start, start);
    const newline = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (newline !== -1) return start + newline + 1;
    end = start;
  }
  return 0;
}

/**
 * Appends whole lines to `path` (created if missing). A last line without its newline is the remains of an append a
 * crash cut short: it is cut off first, so every stored line stays whole. With `sync` (default) the data is fsynced.
 * A symbolic link in place of the file is refused (`O_NOFOLLOW`). Callers serialise appends to one file.
 */
export async function appendNdjsonLines(
  path: string,
  lines: readonly string[],
  options: { sync?: boolean } = {},
): Promise<void> {
  const handle = await open(
    path,
    constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW,
    0o644,
  );
  try {
    const { size } = await handle.stat();
    const keep = size === 0 ? 0 : await lengthWithoutTornLine(handle, size);
    if (keep < size) await handle.truncate(keep);
    await handle.writeFile(lines.map((line) => `${line}\n`).join(''));
    if (options.sync ?? true) await handle.sync();
  } finally {
    await handle.close();
  }
}
