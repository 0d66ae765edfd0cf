import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  IntegrityError,
  InvalidArtifactError,
  InvalidInputError,
  InvalidNameError,
  MlopsError,
  NotFoundError,
  StorageError,
} from './index';

describe('error hierarchy', () => {
  it('carries a stable code, a name and the location at fault', () => {
    const error = new InvalidInputError('row 3 is bad', { row: 3, column: 1, columnName: 'petal' });
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.name).toBe('InvalidInputError');
    expect(error.message).toBe('row 3 is bad');
    expect([error.row, error.column, error.columnName]).toEqual([3, 1, 'petal']);
    expect(error).toBeInstanceOf(Error);
  });

  it('gives each class its own code', () => {
    expect(
      [
        new InvalidNameError('x'),
        new NotFoundError('x', { name: 'iris', version: 2 }),
        new IntegrityError('x'),
        new InvalidArtifactError('x'),
        new ConflictError('x'),
        new StorageError('x'),
      ].map((e) => [e.name, e.code]),
    ).toEqual([
      ['InvalidNameError', 'INVALID_NAME'],
      ['NotFoundError', 'NOT_FOUND'],
      ['IntegrityError', 'INTEGRITY'],
      ['InvalidArtifactError', 'INVALID_ARTIFACT'],
      ['ConflictError', 'CONFLICT'],
      ['StorageError', 'STORAGE'],
    ]);
  });

  it('isInstance follows the class hierarchy', () => {
    const name = new InvalidNameError('bad name');
    expect(InvalidNameError.isInstance(name)).toBe(true);
    expect(InvalidInputError.isInstance(name)).toBe(true);
    expect(MlopsError.isInstance(name)).toBe(true);
    expect(NotFoundError.isInstance(name)).toBe(false);
    expect(InvalidNameError.isInstance(new InvalidInputError('x'))).toBe(false);
    expect(MlopsError.isInstance(new Error('plain'))).toBe(false);
    expect(MlopsError.isInstance(null)).toBe(false);
  });

  it('isInstance recognises errors from another copy of the package', () => {
    // A copy of @mlops/core loaded twice defines distinct classes; only the Symbol.for marker is shared.
    const foreign = Object.create(Error.prototype) as Record<symbol, unknown>;
    foreign[Symbol.for('@mlops/core/error/MlopsError')] = true;
    foreign[Symbol.for('@mlops/core/error/NotFoundError')] = true;
    expect(NotFoundError.isInstance(foreign)).toBe(true);
    expect(IntegrityError.isInstance(foreign)).toBe(false);
  });

  it('keeps the cause', () => {
    const cause = new Error('disk');
    expect(new IntegrityError('bad', { cause }).cause).toBe(cause);
  });
});
