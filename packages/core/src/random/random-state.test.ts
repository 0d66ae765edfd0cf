import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors/errors';
import { RandomState } from './random-state';

// Reference values from numpy 1.24 (`np.random.RandomState(seed)`).
describe('RandomState (numpy legacy MT19937)', () => {
  it.each([
    [0, [0.5488135039273248, 0.7151893663724195, 0.6027633760716439]],
    [1, [0.417022004702574, 0.7203244934421581, 0.00011437481734488664]],
    [42, [0.3745401188473625, 0.9507143064099162, 0.7319939418114051]],
    [4294967295, [0.0976320289940138, 0.9123828453026218, 0.78903530185164]],
  ])('random_sample with seed %i', (seed, expected) => {
    const random = new RandomState(seed);
    expect([random.random(), random.random(), random.random()]).toEqual(expected);
  });

  it('permutes like numpy', () => {
    expect(new RandomState(42).permutation(10)).toEqual([8, 1, 5, 0, 7, 2, 9, 4, 3, 6]);
    expect(new RandomState(42).permutation(150).slice(0, 40)).toEqual([
      73, 18, 118, 78, 76, 31, 64, 141, 68, 82, 110, 12, 36, 9, 19, 56, 104, 69, 55, 132, 29, 127, 26, 128, 131, 145,
      108, 143, 45, 30, 22, 15, 65, 11, 42, 146, 51, 27, 4, 32,
    ]);
    expect(new RandomState(3).choiceWithoutReplacement(20, 5)).toEqual([14, 2, 1, 17, 4]);
  });

  it('draws bounded integers and shuffles like numpy', () => {
    // np.random.RandomState(7).randint(0, max + 1, dtype=np.uint32): legacy masked rejection, as random_interval.
    const random = new RandomState(7);
    expect([1, 6, 100, 2 ** 31, 0xffffffff, 0xfffffffe, 3].map((max) => random.randomInterval(max))).toEqual([
      1, 4, 25, 1369975286, 1882953283, 4201435347, 3,
    ]);
    // a = list(range(12)); np.random.RandomState(11).shuffle(a)
    expect(new RandomState(11).shuffle(Array.from({ length: 12 }, (_, i) => i))).toEqual([
      6, 3, 8, 10, 2, 11, 4, 5, 7, 1, 0, 9,
    ]);
  });

  it('rejects seeds numpy rejects', () => {
    expect(() => new RandomState(-1)).toThrow(InvalidInputError);
    expect(() => new RandomState(-1)).toThrow('seed must be an integer in [0, 4294967295], got -1');
    expect(() => new RandomState(2 ** 32)).toThrow('seed must be an integer');
    expect(() => new RandomState(1.5)).toThrow('seed must be an integer');
    expect(() => new RandomState(0).choiceWithoutReplacement(3, 4)).toThrow('cannot take 4 distinct values from 3');
  });

  it('permutation is a permutation and depends only on the seed (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 300 }), (seed, n) => {
        const p = new RandomState(seed).permutation(n);
        expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(new RandomState(seed).permutation(n)).toEqual(p);
      }),
      { numRuns: 50 },
    );
  });

  it('randomInterval stays within [0, max]', () => {
    const random = new RandomState(7);
    for (const max of [0, 1, 2, 3, 7, 8, 100, 2 ** 31, 0xffffffff]) {
      for (let i = 0; i < 20; i++) {
        const v = random.randomInterval(max);
        expect(v >= 0 && v <= max && Number.isInteger(v)).toBe(true);
      }
    }
  });
});
