import { RandomState } from '@mlops/core';

/** `rows` × `features` seeded uniforms; the first `shifted` features move by `shift`. */
export function drifted(seed: number, rows: number, features: number, shifted: number, shift: number): number[][] {
  const random = new RandomState(seed);
  return Array.from({ length: rows }, () =>
    Array.from({ length: features }, (_, j) => random.random() + (j < shifted ? shift : 0)),
  );
}
