import { resolve } from 'node:path';
import { defineCommand } from 'citty';
import type { LifecycleDecision } from '@mlops/core';
import { type CliPolicy, openCliLifecycle } from '../shared/cli-lifecycle';
import { ARTIFACTS_ARG, checkWritable, openCliRegistry } from '../shared/open-cli-registry';
import { createOutput } from '../shared/output';
import { fractionFlag, UsageError } from '../shared/usage';

/** The policy flags of `mlops ingest` and `mlops watch`. */
export const policyArgs = {
  threshold: { type: 'string', default: '0.85', description: 'Accuracy under which production is retrained' },
  margin: {
    type: 'string',
    default: '0',
    description: 'How much better on the held-out rows a challenger must be to be promoted',
  },
  'holdout-share': {
    type: 'string',
    default: '0.2',
    description: 'Share of each batch held out (never trained on) to judge production and challengers on',
  },
} as const;

/** The policy from its flags. */
export function policyOf(args: { threshold: string; margin: string; 'holdout-share': string }): CliPolicy {
  const below1 = (value: string, flag: string) => {
    const n = Number(value);
    if (value.trim() === '' || !(n >= 0 && n < 1))
      throw new UsageError(`--${flag} must be a number from 0 to below 1, got ${JSON.stringify(value)}`);
    return n;
  };
  return {
    threshold: fractionFlag(args.threshold, 'threshold'),
    minImprovement: below1(args.margin, 'margin'),
    holdoutShare: below1(args['holdout-share'], 'holdout-share'),
  };
}

/** The JSON of a decision: what scripts read. */
function decisionJson(decision: LifecycleDecision, trainingRows: number, triggers: readonly string[]) {
  return {
    decision: decision.action,
    version: decision.productionVersion ?? null,
    triggers,
    trainingRows,
    reason: decision.reason,
    runId: decision.runId,
    ...(decision.challengerVersion === undefined ? {} : { challengerVersion: decision.challengerVersion }),
    metrics: decision.metrics,
  };
}

export const ingest = defineCommand({
  meta: {
    name: 'ingest',
    description: 'Run one lifecycle step on a labelled file: score production, retrain and promote if needed',
  },
  args: {
    model: {
      type: 'string',
      required: true,
      description: 'Model name (trained with mlops train; its production alias)',
    },
    data: { type: 'string', required: true, description: 'A labelled .csv / .tsv / .json / .ndjson file' },
    registry: { type: 'string', description: 'Registry directory or postgres:// URL (or MLOPS_REGISTRY)' },
    artifacts: ARTIFACTS_ARG,
    ...policyArgs,
    json: { type: 'boolean', description: 'Print { decision, version, triggers, trainingRows, … } as JSON' },
  },
  async run({ args }) {
    const out = createOutput(Boolean(args.json));
    const policy = policyOf(args);
    const store = await openCliRegistry(args.registry, args.artifacts, { create: true });
    try {
      await checkWritable(store); // a retrain ends in a registration: refused now, not after training
      const { lifecycle, readBatch } = await openCliLifecycle(store, args.model, policy);
      const resumed = await lifecycle.resume(); // a run a crash interrupted is finished first
      if (resumed) out.line(`resumed  ${resumed.action}: ${resumed.reason}`);
      const source = resolve(args.data);
      const decision = await lifecycle.ingest(await readBatch(source), { source });
      const triggers = decision.triggers ?? (decision.action === 'skipped' ? [] : [decision.trigger]);
      const trainingRows = (await lifecycle.trainingData()).target.length;
      out.result(
        decisionJson(decision, trainingRows, triggers),
        () =>
          `${args.model}: ${decision.action.toUpperCase()} — ${decision.reason}\nproduction v${decision.productionVersion}; training data ${trainingRows} rows`,
      );
    } finally {
      await store.close();
    }
  },
});
