import { InvalidInputError, InvalidNameError } from '@mlops/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertValidName, assertVersionNumber, NAME_PATTERN } from './names';

describe('assertValidName', () => {
  it('accepts letters, digits, dot, underscore and dash up to 128 characters', () => {
    for (const name of ['iris', 'Iris_v2', 'a', '0', 'model.name-1', 'a..b', 'x'.repeat(128)]) {
      expect(() => assertValidName(name, 'model')).not.toThrow();
    }
  });

  it('rejects traversal, separators, control characters and over-long names, quoting them visibly', () => {
    const rejected = [
      '',
      '.',
      '..',
      '../x',
      '/etc/x',
      '%2e%2e/x',
      'a\u0000b',
      'a\\b',
      'a/b',
      '.hidden',
      '-x',
      'a b',
      'a\n',
      'é',
      'x'.repeat(129),
    ];
    for (const name of rejected) expect(() => assertValidName(name, 'model')).toThrow(InvalidNameError);
    expect(() => assertValidName('a\u0000b', 'model')).toThrow(
      new InvalidNameError(
        'invalid model name "a\\u0000b": use 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit and not ending with "."',
        {
          name: 'a\u0000b',
        },
      ),
    );
    expect(() => assertValidName('x'.repeat(300), 'alias')).toThrow(
      `invalid alias name "${'x'.repeat(140)}"… (300 chars)`,
    );
    expect(() => assertValidName(undefined, 'model')).toThrow(
      new InvalidNameError('model name must be a string, got undefined'),
    );
  });

  it('rejects Windows device names in any case, with or without an extension, and a trailing dot', () => {
    const devices = [
      'CON',
      'con',
      'Con',
      'PRN',
      'AUX',
      'aux',
      'NUL',
      'nul',
      'COM0',
      'com1',
      'COM9',
      'LPT0',
      'lpt5',
      'LPT9',
    ];
    for (const name of [...devices, ...devices.map((d) => `${d}.txt`), 'con.tar.gz', 'Aux.json', 'NUL.']) {
      for (const kind of ['model', 'alias', 'dataset'] as const)
        expect(() => assertValidName(name, kind), name).toThrow(InvalidNameError);
    }
    expect(() => assertValidName('con.txt', 'dataset')).toThrow(
      'invalid dataset name "con.txt": it is a reserved device name on Windows (CON, PRN, AUX, NUL, COM0-9, LPT0-9)',
    );
    for (const name of ['a.', 'x..', 'v1.0.'])
      expect(() => assertValidName(name, 'model'), name).toThrow('not ending with "."');
    for (const name of ['console', 'conx', 'com10', 'lpt', 'auxiliary', 'nul_1', 'a.con', 'my-con.txt', 'prn2']) {
      expect(() => assertValidName(name, 'model'), name).not.toThrow();
    }
  });

  it('reserves "latest" and numbers for version refs, for aliases only', () => {
    expect(() => assertValidName('latest', 'alias')).toThrow('it is reserved for the newest active version');
    expect(() => assertValidName('12', 'alias')).toThrow('an alias cannot be a number');
    expect(() => assertValidName('latest', 'model')).not.toThrow();
    expect(() => assertValidName('12', 'model')).not.toThrow();
  });

  it('never accepts a name containing a path separator or starting with a dot (property)', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('a', 'Z', '0', '.', '_', '-', '/', '\\', '\u0000', ' ', '%', 'é'),
          maxLength: 12,
        }),
        (name) => {
          if (NAME_PATTERN.test(name)) {
            expect(name.includes('/') || name.includes('\\') || name.startsWith('.') || name.includes('\u0000')).toBe(
              false,
            );
          } else {
            expect(() => assertValidName(name, 'model')).toThrow(InvalidNameError);
          }
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });
});

describe('assertVersionNumber', () => {
  it('accepts positive safe integers only', () => {
    expect(() => assertVersionNumber(1)).not.toThrow();
    expect(() => assertVersionNumber(Number.MAX_SAFE_INTEGER)).not.toThrow();
    for (const bad of [0, -3, 2.5, Number.NaN, 2 ** 53, '1', null])
      expect(() => assertVersionNumber(bad)).toThrow(InvalidInputError);
    expect(() => assertVersionNumber('1', 'parentVersion')).toThrow(
      'parentVersion must be a positive integer, got string',
    );
  });
});
