/** A wrong flag value: the CLI prints its message and exits with code 2, like citty's own usage errors. */
export class UsageError extends Error {
  override readonly name = 'CLIError';
}

/** A flag's value as an integer in [min, max], or a {@link UsageError} naming the flag. */
export function integerFlag(value: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max)
    throw new UsageError(
      `--${flag} must be an integer from ${min}${max === Number.MAX_SAFE_INTEGER ? '' : ` to ${max}`}, got ${JSON.stringify(value)}`,
    );
  return n;
}

/** A flag's value as a number strictly between 0 and 1, or a {@link UsageError} naming the flag. */
export function fractionFlag(value: string, flag: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n > 0 && n < 1))
    throw new UsageError(`--${flag} must be a number between 0 and 1, got ${JSON.stringify(value)}`);
  return n;
}

/** One of `choices`, or a {@link UsageError} naming the flag. */
export function choiceFlag<T extends string>(value: string, flag: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value))
    throw new UsageError(`--${flag} must be ${choices.join(' or ')}, got ${JSON.stringify(value)}`);
  return value as T;
}
