import { InvalidInputError } from '@mlops/core';

/** A loader's `{ text }` or `{ path }` source, checked: anything else is an `InvalidInputError`, never a raw `TypeError`. */
export type CheckedSource = { readonly text: string } | { readonly path: string };

/** Checks a `{ text }` / `{ path }` source of a `kind` (`CSV`, `JSON`, `NDJSON`) loader. */
export function checkSource(source: unknown, kind: string): CheckedSource {
  if (typeof source === 'object' && source !== null) {
    const { text, path } = source as { text?: unknown; path?: unknown };
    if ('text' in source && !('path' in source)) {
      if (typeof text === 'string') return { text };
      throw new InvalidInputError(`${kind} source: text must be a string, not ${text === null ? 'null' : typeof text}`);
    }
    if ('path' in source && !('text' in source)) {
      if (typeof path === 'string' && path !== '' && !path.includes('\0')) return { path };
      throw new InvalidInputError(`${kind} source: path must be a non-empty file path`);
    }
  }
  throw new InvalidInputError(
    `${kind} source must be { text } or { path }${kind === 'CSV' ? ' or a readable stream' : ''}, not ${source === null ? 'null' : typeof source}`,
  );
}

/** Strips a leading byte order mark, as the CSV reader does. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** An `InvalidInputError` for a file that cannot be read: not found, a directory, no permission… */
export function fileError(kind: string, path: string, error: unknown): InvalidInputError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new InvalidInputError(`${kind} file not found: ${path}`, { cause: error });
  if (code === 'EISDIR')
    return new InvalidInputError(`${kind} path is a directory, not a file: ${path}`, { cause: error });
  return new InvalidInputError(
    `${kind} file cannot be read: ${path} (${error instanceof Error ? error.message : String(error)})`,
    { cause: error },
  );
}
