import { describe, expect, it } from 'vitest';
import { encodeLabels } from './labels';

describe('encodeLabels', () => {
  it('sorts classes as scikit-learn LabelEncoder does', () => {
    expect(encodeLabels(['versicolor', 'setosa', 'virginica', 'setosa'])).toEqual({
      target: [1, 0, 2, 0],
      classNames: ['setosa', 'versicolor', 'virginica'],
    });
    expect(encodeLabels([10, 2, 10, -1])).toEqual({ target: [2, 1, 2, 0], classNames: ['-1', '2', '10'] });
    expect(encodeLabels(['b', 'B', 'a'])).toEqual({ target: [2, 0, 1], classNames: ['B', 'a', 'b'] });
  });
  it('refuses mixed, missing and non-finite labels', () => {
    expect(() => encodeLabels([1, 'a'])).toThrow(
      'label at row 1 is "a": labels must be all finite numbers or all strings',
    );
    expect(() => encodeLabels([1, NaN])).toThrow('label at row 1 is NaN');
    expect(() => encodeLabels([])).toThrow('labels are empty');
  });
});
