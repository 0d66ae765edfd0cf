import { createDataset } from '@mlops/core';
import { describe, expect, it } from 'vitest';
import { selectRows } from './select-rows';

const data = createDataset({
  features: [[0], [10], [20]],
  target: [0, 1, 0],
  featureNames: ['x'],
  classNames: ['a', 'b'],
  name: 'three',
});

describe('selectRows', () => {
  it('takes rows in the given order, repeats allowed', () => {
    const picked = selectRows(data, [2, 0, 2]);
    expect(picked.features).toEqual([[20], [0], [20]]);
    expect(picked.target).toEqual([0, 0, 0]);
    expect(picked.name).toBe('three');
  });
  it('names the bad index and its position', () => {
    expect(() => selectRows(data, [0, 3])).toThrow('row index 3 at position 1 is outside [0, 2]');
    expect(() => selectRows(data, [1.5])).toThrow('row index 1.5 at position 0');
    expect(() => selectRows(data, [])).toThrow('features has no rows');
  });
});
