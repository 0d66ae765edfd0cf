/** The `code` of a Node.js system error (`ENOENT`, `EEXIST`…), or `undefined`. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** True for a "no such file or directory" error. */
export function isNotFound(error: unknown): boolean {
  return errorCode(error) === 'ENOENT';
}
