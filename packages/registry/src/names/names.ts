import { InvalidInputError, InvalidNameError } from '@mlops/core';

/**
 * The characters of model, alias and dataset names: 1–128 letters, digits, `.`, `_` or `-`, starting with
 * a letter or digit. {@link assertValidName} also rejects names Windows cannot use as file names.
 */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The alias-position ref that always means the highest version; it cannot be used as an alias name. */
export const LATEST = 'latest';

/** What a checked name identifies; it appears in error messages. */
export type NameKind = 'model' | 'alias' | 'dataset';

const SHOWN_NAME_CHARS = 140;

/** Windows device names (`CON`, `PRN`, `AUX`, `NUL`, `COM0`–`COM9`, `LPT0`–`LPT9`), any case, with or without an extension. */
const WINDOWS_DEVICE = /^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\..*)?$/i;

/** The name rule as error messages state it. */
const NAME_RULE = 'use 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit and not ending with "."';

/** The name as a JSON string literal (so NUL, `\` and friends are visible), shortened when very long. */
export function quoteName(name: string): string {
  if (name.length <= SHOWN_NAME_CHARS) return JSON.stringify(name);
  return `${JSON.stringify(name.slice(0, SHOWN_NAME_CHARS))}… (${name.length} chars)`;
}

/** True when `name` is a usable model or dataset name (what {@link assertValidName} accepts for those kinds). */
export function isValidName(name: string): boolean {
  return NAME_PATTERN.test(name) && !name.endsWith('.') && !WINDOWS_DEVICE.test(name);
}

/**
 * Throws `InvalidNameError` unless `name` matches {@link NAME_PATTERN}, does not end with `.` and is not
 * a Windows device name (`CON`, `PRN`, `AUX`, `NUL`, `COM0`–`COM9`, `LPT0`–`LPT9`, in any case and with
 * or without an extension, e.g. `con.txt`): such names cannot be files on Windows. Aliases additionally
 * may not be `latest` (reserved) or all digits (a version ref and an alias would be indistinguishable).
 */
export function assertValidName(name: unknown, kind: NameKind): asserts name is string {
  if (typeof name !== 'string') {
    throw new InvalidNameError(`${kind} name must be a string, got ${name === null ? 'null' : typeof name}`);
  }
  if (!NAME_PATTERN.test(name) || name.endsWith('.')) {
    throw new InvalidNameError(`invalid ${kind} name ${quoteName(name)}: ${NAME_RULE}`, { name });
  }
  if (WINDOWS_DEVICE.test(name)) {
    throw new InvalidNameError(
      `invalid ${kind} name ${quoteName(name)}: it is a reserved device name on Windows (CON, PRN, AUX, NUL, COM0-9, LPT0-9)`,
      { name },
    );
  }
  if (kind === 'alias' && name === LATEST) {
    throw new InvalidNameError(`invalid alias name "latest": it is reserved for the newest active version`, { name });
  }
  if (kind === 'alias' && /^[0-9]+$/.test(name)) {
    throw new InvalidNameError(
      `invalid alias name ${quoteName(name)}: an alias cannot be a number (pass a number to refer to a version)`,
      { name },
    );
  }
}

/** Throws `InvalidInputError` unless `value` is a positive safe integer (versions count from 1). */
export function assertVersionNumber(value: unknown, what = 'version'): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidInputError(
      `${what} must be a positive integer, got ${typeof value === 'number' ? String(value) : typeof value}`,
    );
  }
}
