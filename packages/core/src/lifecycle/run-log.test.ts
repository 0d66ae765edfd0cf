import { describe, expect, it } from 'vitest';
import type { DecisionRecord } from '../contracts/decision-log';
import { ingestedBy, openRun, trainingParts } from './run-log';

const at = '2026-01-01T00:00:00.000Z';
const ref = (name: string, version: number) => ({
  name,
  version,
  fingerprint: String(version).repeat(64).slice(0, 64),
});
const batch = (version: number) => ({ ...ref('toy-batches', version), rows: 10 });
const record = (
  runId: string,
  phase: DecisionRecord['phase'],
  extra: Partial<DecisionRecord> = {},
): DecisionRecord => ({
  runId,
  phase,
  at,
  model: 'toy',
  trigger: 'new-data',
  ...extra,
});

// bootstrap (run a), a kept batch (b), a retrain on batch 2 (c, promoted), a kept batch (d), a skip (e), an open run (f)
const history: DecisionRecord[] = [
  record('a', 'started', { trigger: 'bootstrap', training: ref('toy-training', 1) }),
  record('a', 'done', { action: 'bootstrapped' }),
  record('b', 'done', { action: 'kept', batch: batch(1) }),
  record('c', 'started', { trigger: 'accuracy', training: ref('toy-training', 2), batch: batch(2) }),
  record('c', 'registered', { challengerVersion: 2 }),
  record('c', 'done', { action: 'promoted', batch: batch(2) }),
  record('d', 'done', { action: 'kept', batch: batch(3) }),
  record('e', 'done', { action: 'skipped', batch: batch(3) }),
];

describe('the run log', () => {
  it('places the training data at the last run and the batches kept since (never a skip)', () => {
    expect(trainingParts(history)).toEqual({ base: ref('toy-training', 2), batches: [batch(3)] });
    expect(trainingParts([])).toEqual({ base: undefined, batches: [] });
  });

  it('finds the run that ingested the same rows (never a skip), and the run left open', () => {
    expect(ingestedBy(history, batch(3).fingerprint)?.runId).toBe('d');
    expect(ingestedBy(history, 'f'.repeat(64))).toBeUndefined();
    expect(openRun(history)).toBeUndefined();
    const open = [
      ...history,
      record('f', 'started', { training: ref('toy-training', 3) }),
      record('f', 'registered', { challengerVersion: 3 }),
    ];
    expect(openRun(open)).toEqual({ started: open.at(-2), registered: 3 });
    // The open run's training data is where the training data stands.
    expect(trainingParts(open)).toEqual({ base: ref('toy-training', 3), batches: [] });
  });
});
