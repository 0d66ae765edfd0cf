import { InvalidInputError } from '@mlops/core';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** JSON.parse that refuses prototype keys (untrusted request bodies and files). */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text, (key, value: unknown) => {
      if (FORBIDDEN.has(key)) throw new SyntaxError(`the key "${key}" is not allowed`);
      return value;
    });
  } catch (error) {
    throw new InvalidInputError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}
