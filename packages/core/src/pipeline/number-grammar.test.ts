import { describe, expect, it } from 'vitest';
import { parseDecimal } from './number-grammar';

describe('parseDecimal', () => {
  it('accepts decimal and exponent notation only', () => {
    const good: [string, number][] = [
      ['0', 0],
      ['12', 12],
      ['-0.5', -0.5],
      ['+7', 7],
      ['.5', 0.5],
      ['3.', 3],
      ['1e-3', 0.001],
      ['+2E10', 2e10],
      ['007', 7],
    ];
    for (const [text, value] of good) expect(parseDecimal(text), text).toBe(value);
  });

  it('rejects other grammars Number() accepts: hex, binary, octal, padding, Infinity, separators, empty', () => {
    const bad = [
      '0x10',
      '0X10',
      '0b11',
      '0o7',
      ' 3 ',
      '3 ',
      '\t3',
      '\n3',
      'Infinity',
      '-Infinity',
      'NaN',
      '1_000',
      '',
      ' ',
      '+',
      '-',
      '.',
      'e5',
      '1e',
      '1e+',
      '1.2.3',
      '١٢',
      '1e999',
      '--1',
      '0x',
      '1,5',
    ];
    for (const text of bad) expect(parseDecimal(text), JSON.stringify(text)).toBeUndefined();
  });
});
