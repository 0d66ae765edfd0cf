/**
 * Counts per integer bucket index in a dense window of at most `maxBuckets` indices. When the indices in
 * use would span more than that, every index below (highest − maxBuckets + 1) is folded into that one (for
 * log-bucketed magnitudes: the values closest to zero lose resolution first). The result depends only on
 * the multiset of indices added, not on their order, so merging stores is exact.
 */
export class BucketStore {
  /** The window of counts (read by hot loops together with {@link BucketStore.offset}; replaced when the window moves). */
  counts = new Float64Array(0);
  /** Bucket index of `counts[0]`. */
  offset = 0;
  private floor = -Infinity;
  /** Number of values counted. */
  total = 0;

  constructor(private readonly maxBuckets: number) {}

  /** True once low buckets were folded together to respect `maxBuckets`. */
  get collapsed(): boolean {
    return this.floor !== -Infinity;
  }

  /** Lowest bucket index kept (`-Infinity` until something was folded). */
  get floorIndex(): number {
    return this.floor;
  }

  /** Bytes held by the counts. */
  get bytes(): number {
    return this.counts.byteLength;
  }

  /** Adds `count` to bucket `index` (or to the floor bucket, below it). */
  add(index: number, count = 1): void {
    const slot = Math.max(index, this.floor) - this.offset;
    if (slot >= 0 && slot < this.counts.length) {
      this.counts[slot]! += count;
      this.total += count;
      return;
    }
    this.addOutsideWindow(index, count);
  }

  private addOutsideWindow(index: number, count: number): void {
    let at = Math.max(index, this.floor);
    const [low, high] = this.usedRange();
    const lowest = Math.min(low, at);
    const highest = Math.max(high, at);
    if (highest - lowest + 1 > this.maxBuckets) {
      this.floor = highest - this.maxBuckets + 1;
      this.window(this.floor, this.maxBuckets);
      at = Math.max(at, this.floor);
    } else if (this.counts.length === 0) {
      this.window(at - 32, Math.min(64, this.maxBuckets));
    } else if (at < this.offset || at >= this.offset + this.counts.length) {
      const size = Math.min(this.maxBuckets, Math.max(highest - lowest + 1, this.counts.length * 2));
      this.window(at < this.offset ? highest - size + 1 : lowest, size);
    }
    this.counts[at - this.offset]! += count;
    this.total += count;
  }

  /** Lowest and highest index holding a count (`[Infinity, -Infinity]` when empty). */
  private usedRange(): [number, number] {
    let low = Infinity;
    let high = -Infinity;
    for (let i = 0; i < this.counts.length; i++) {
      if (this.counts[i] === 0) continue;
      if (low === Infinity) low = this.offset + i;
      high = this.offset + i;
    }
    return [low, high];
  }

  /** Non-empty buckets in ascending index order; with `floor`, indices below it are reported as `floor`. */
  *entries(floor = -Infinity): IterableIterator<[index: number, count: number]> {
    let folded = 0;
    for (let i = 0; i < this.counts.length; i++) {
      const count = this.counts[i]!;
      if (count === 0) continue;
      const index = this.offset + i;
      if (index < floor) {
        folded += count;
        continue;
      }
      if (folded > 0) {
        if (index === floor) {
          yield [index, count + folded];
          folded = 0;
          continue;
        }
        yield [floor, folded];
        folded = 0;
      }
      yield [index, count];
    }
    if (folded > 0) yield [floor, folded];
  }

  /** Moves the counts into the window [offset, offset + size), folding counts below it into its first bucket. */
  private window(offset: number, size: number): void {
    const next = new Float64Array(size);
    for (let i = 0; i < this.counts.length; i++) {
      const count = this.counts[i]!;
      if (count !== 0) next[Math.max(this.offset + i, offset) - offset]! += count;
    }
    this.counts = next;
    this.offset = offset;
  }
}
