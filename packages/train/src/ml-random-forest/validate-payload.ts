import { InvalidArtifactError } from '@mlops/core';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 1000;

type Fail = (path: string, problem: string) => never;
const fail: Fail = (path, problem) => {
  throw new InvalidArtifactError(`invalid ml-random-forest artifact: ${path} ${problem}`);
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Rejects prototype-polluting keys anywhere in a JSON value (iteratively, no recursion limit hit). */
function assertNoForbiddenKeys(root: unknown): void {
  const stack: [unknown, string][] = [[root, 'payload']];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (Array.isArray(value))
      value.forEach((v, i) => {
        stack.push([v, `${path}[${i}]`]);
      });
    else if (isObject(value)) {
      for (const key of Object.keys(value)) {
        if (FORBIDDEN_KEYS.has(key)) fail(`${path}.${key}`, 'is a forbidden key');
        stack.push([value[key], `${path}.${key}`]);
      }
    }
  }
}

function assertTree(root: unknown, path: string, columns: number, classes: number): void {
  const stack: [unknown, string, number][] = [[root, path, 0]];
  while (stack.length > 0) {
    const [node, at, depth] = stack.pop()!;
    if (!isObject(node)) fail(at, 'must be a tree node object');
    if (depth > MAX_DEPTH) fail(at, `is deeper than ${MAX_DEPTH}`);
    if (node.distribution !== undefined) {
      const d = node.distribution;
      const row = Array.isArray(d) && d.length === 1 ? d[0] : undefined;
      if (
        !Array.isArray(row) ||
        row.length === 0 ||
        row.length > classes ||
        !row.every((v) => typeof v === 'number' && Number.isFinite(v))
      ) {
        fail(`${at}.distribution`, `must be [[p0, p1, …]] with 1 to ${classes} finite numbers`);
      }
      continue;
    }
    const { splitColumn, splitValue } = node;
    if (!Number.isInteger(splitColumn) || (splitColumn as number) < 0 || (splitColumn as number) >= columns) {
      fail(`${at}.splitColumn`, `must be an integer in [0, ${columns - 1}]`);
    }
    if (typeof splitValue !== 'number' || !Number.isFinite(splitValue))
      fail(`${at}.splitValue`, 'must be a finite number');
    stack.push([node.left, `${at}.left`, depth + 1], [node.right, `${at}.right`, depth + 1]);
  }
}

/**
 * Checks the structure of an ml-random-forest classifier JSON before anything loads it: names, one
 * feature-index list per tree within the feature count, tree nodes with valid split columns, finite
 * thresholds and leaf distributions over known classes, bounded depth, no prototype keys.
 */
export function validateForestPayload(payload: unknown, featureCount: number, classCount: number): void {
  assertNoForbiddenKeys(payload);
  if (!isObject(payload) || payload.name !== 'RFClassifier') fail('payload.name', 'must be "RFClassifier"');
  const base = payload.baseModel;
  if (!isObject(base)) fail('payload.baseModel', 'must be an object');
  if (base.isClassifier !== true) fail('payload.baseModel.isClassifier', 'must be true');
  const { estimators, indexes, n } = base;
  if (!Array.isArray(estimators) || estimators.length === 0)
    fail('payload.baseModel.estimators', 'must be a non-empty array');
  if (base.nEstimators !== estimators.length)
    fail('payload.baseModel.nEstimators', `must equal the ${estimators.length} estimators`);
  if (!Number.isInteger(n) || (n as number) < 1 || (n as number) > featureCount) {
    fail('payload.baseModel.n', `must be an integer in [1, ${featureCount}]`);
  }
  if (!Array.isArray(indexes) || indexes.length !== estimators.length)
    fail('payload.baseModel.indexes', 'must have one entry per estimator');
  indexes.forEach((list, t) => {
    const ok =
      Array.isArray(list) && list.length === n && list.every((j) => Number.isInteger(j) && j >= 0 && j < featureCount);
    if (!ok)
      fail(`payload.baseModel.indexes[${t}]`, `must list ${String(n)} feature indices in [0, ${featureCount - 1}]`);
  });
  estimators.forEach((tree, t) => {
    const at = `payload.baseModel.estimators[${t}]`;
    if (!isObject(tree) || tree.name !== 'DTClassifier') fail(`${at}.name`, 'must be "DTClassifier"');
    if (!isObject(tree.options)) fail(`${at}.options`, 'must be an object');
    assertTree(tree.root, `${at}.root`, n as number, classCount);
  });
}
