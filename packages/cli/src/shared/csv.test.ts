import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { neutraliseCell, toCsv } from './csv';

describe('toCsv', () => {
  it('quotes separators, quotes and line breaks (RFC 4180) and neutralises formula cells', () => {
    const text = toCsv(
      ['row', 'prediction'],
      [
        [0, "=cmd|' /C calc'!A0"],
        [1, 'a,b\nINJECTED,ROW'],
        [2, 'say "hi"'],
        [3, '@SUM(A1)'],
        [4, '+1'],
        [5, '-1'],
        [6, '\tx'],
        [7, -1.5],
      ],
    );
    expect(text).toBe(
      [
        'row,prediction',
        "0,'=cmd|' /C calc'!A0",
        '1,"a,b\nINJECTED,ROW"',
        '2,"say ""hi"""',
        "3,'@SUM(A1)",
        "4,'+1",
        "5,'-1",
        "6,'\tx",
        '7,-1.5',
        '',
      ].join('\n'),
    );
    expect(parse(text, { columns: true })).toHaveLength(8); // no injected rows
  });

  it('round-trips any text through a CSV parser: one record per row, each cell intact after the neutralising quote', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 20 }), (cells) => {
        const text = toCsv(
          ['value'],
          cells.map((c) => [c]),
        );
        const back = parse(text, { columns: true, relax_quotes: false }) as { value: string }[];
        expect(back.map((r) => r.value)).toEqual(cells.map((c) => neutraliseCell(c)));
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
