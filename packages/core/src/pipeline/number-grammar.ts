/** The one number grammar for text: optional sign, decimal digits with an optional point, optional exponent. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses text as a decimal number, the only grammar the loaders accept for numbers: `12`, `-0.5`, `.5`,
 * `3.`, `1e-3`, `+2E10`. Returns `undefined` for anything else — hexadecimal/binary/octal (`0x10`, `0b11`,
 * `0o7`), `Infinity`, `NaN`, digit separators (`1_000`), the empty string, and surrounding whitespace
 * (`" 3 "` is not a number: text is never trimmed here) — and for values that overflow to ±Infinity (`1e999`).
 */
export function parseDecimal(text: string): number | undefined {
  if (typeof text !== 'string' || !DECIMAL.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
