import { stringify } from 'csv-stringify/sync';

/** First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell made safe to open in a spreadsheet: one starting with `= + - @`, a tab or a carriage return
 * gets a leading `'`, so it shows as text instead of running as a formula. Numbers are left as they are.
 */
export function neutraliseCell(value: string | number | boolean): string | number | boolean {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

/** RFC 4180 CSV (quotes doubled, fields with `,` `"` or line breaks quoted, CRLF-free `\n` lines), cells neutralised. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | boolean)[])[]): string {
  return stringify([header.map(neutraliseCell), ...rows.map((row) => row.map(neutraliseCell))], {
    quoted_match: /^\s|\s$/,
  });
}
