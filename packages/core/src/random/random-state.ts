import { InvalidInputError } from '../errors/errors';

const N = 624;
const M = 397;

/**
 * numpy's legacy `np.random.RandomState(seed)`, bit for bit: the MT19937 generator with integer
 * seeding (`init_genrand`) and the legacy algorithms for `random_sample`, bounded integers, `shuffle`
 * and `permutation`. Use it wherever results must match scikit-learn's `random_state`.
 */
export class RandomState {
  private readonly state = new Uint32Array(N);
  private index = N;

  /** `seed` is an integer in [0, 2^32 − 1], as numpy requires. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new InvalidInputError(`seed must be an integer in [0, 4294967295], got ${String(seed)}`);
    }
    const mt = this.state;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      // 1812433253 * prev + i, modulo 2^32, without losing precision.
      mt[i] = (((((prev & 0xffff0000) >>> 16) * 1812433253) << 16) + (prev & 0x0000ffff) * 1812433253 + i) >>> 0;
    }
  }

  private twist(): void {
    const mt = this.state;
    for (let k = 0; k < N; k++) {
      const y = (mt[k]! & 0x80000000) | (mt[(k + 1) % N]! & 0x7fffffff);
      mt[k] = mt[(k + M) % N]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.index = 0;
  }

  /** Next raw 32-bit output. */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.state[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A double in [0, 1) with 53 random bits (`random_sample`). */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** A uniform integer in [0, max] by masked rejection (numpy's legacy `random_interval`), for max < 2^32. */
  randomInterval(max: number): number {
    if (!Number.isInteger(max) || max < 0 || max > 0xffffffff) {
      throw new InvalidInputError(`randomInterval needs an integer max in [0, 4294967295], got ${String(max)}`);
    }
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    do value = (this.nextUint32() & mask) >>> 0;
    while (value > max);
    return value;
  }

  /** Shuffles `items` in place as numpy's legacy `shuffle` does, and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.randomInterval(i);
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }

  /** A shuffled `[0, 1, …, n − 1]` (`permutation(n)`). */
  permutation(n: number): number[] {
    if (!Number.isInteger(n) || n < 0)
      throw new InvalidInputError(`permutation needs a non-negative integer, got ${String(n)}`);
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }

  /** `size` distinct integers from [0, n): legacy `choice(n, size, replace=False)`, i.e. `permutation(n)[:size]`. */
  choiceWithoutReplacement(n: number, size: number): number[] {
    if (!Number.isInteger(size) || size < 0 || size > n) {
      throw new InvalidInputError(`cannot take ${String(size)} distinct values from ${n}`);
    }
    return this.permutation(n).slice(0, size);
  }
}
