import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/errors';
import { assertFeatureRows } from './rows';

function errorOf(fn: () => unknown): InvalidInputError {
  try {
    fn();
  } catch (error) {
    if (InvalidInputError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an InvalidInputError');
}

describe('assertFeatureRows', () => {
  it('returns the column count of a valid matrix', () => {
    expect(
      assertFeatureRows([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    ).toBe(3);
  });

  it('rejects no rows unless allowed', () => {
    expect(errorOf(() => assertFeatureRows([])).message).toBe('features has no rows');
    expect(assertFeatureRows([], { allowEmpty: true, columns: 4 })).toBe(4);
  });

  it('names the ragged row', () => {
    const error = errorOf(() => assertFeatureRows([[1, 2], [3, 4], [5]]));
    expect(error.message).toBe('features row 2 has 1 values, expected 2');
    expect(error.row).toBe(2);
  });

  it('names row, column and feature of a non-finite value', () => {
    const error = errorOf(() =>
      assertFeatureRows(
        [
          [1, 2],
          [3, Number.NaN],
        ],
        { featureNames: ['a', 'b'], what: 'predict input' },
      ),
    );
    expect(error.message).toBe('predict input row 1, column 1 (b) is NaN: expected a finite number');
    expect([error.row, error.column, error.columnName]).toEqual([1, 1, 'b']);
    expect(errorOf(() => assertFeatureRows([[Infinity]])).message).toBe(
      'features row 0, column 0 is Infinity: expected a finite number',
    );
    expect(errorOf(() => assertFeatureRows([['1' as unknown as number]])).column).toBe(0);
  });

  it('checks a required column count', () => {
    expect(errorOf(() => assertFeatureRows([[1, 2, 3]], { columns: 4 })).message).toBe(
      'features row 0 has 3 values, expected 4',
    );
  });

  it('finds the first non-finite cell wherever it is (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 5 }),
        fc.nat(),
        fc.constantFrom(Number.NaN, Infinity, -Infinity),
        (rows, cols, at, bad) => {
          const matrix = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => i * cols + j));
          const cell = at % (rows * cols);
          matrix[Math.floor(cell / cols)]![cell % cols] = bad;
          const error = errorOf(() => assertFeatureRows(matrix));
          expect([error.row, error.column]).toEqual([Math.floor(cell / cols), cell % cols]);
        },
      ),
    );
  });
});
