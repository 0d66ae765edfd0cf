import type { AliasMove, DecisionRecord, ModelVersion, Registry } from '@mlops/core';
import type { DriftCheck } from './monitoring';

/** Metrics a page leads with when the caller names none, in order of preference. */
const HEADLINE_METRICS = ['accuracy', 'f1', 'macroF1', 'r2', 'mae', 'rmse'];

/** Versions a model's chart and sparkline cover (the newest). */
export const CHART_VERSIONS = 500;
const TREND_VERSIONS = 20;

/** The metric to lead with among `metrics`: `preferred` when it is there, else the first known one, else the first. */
export function headlineOf(metrics: Readonly<Record<string, number>>, preferred?: string): string | undefined {
  if (preferred !== undefined && preferred in metrics) return preferred;
  return HEADLINE_METRICS.find((m) => m in metrics) ?? Object.keys(metrics).sort()[0];
}

/** Where each alias of a model points now (an alias's last move wins), sorted by alias. */
export function currentAliases(history: readonly AliasMove[]): Map<string, number> {
  const now = new Map<string, number>();
  for (const move of history) now.set(move.alias, move.version);
  return new Map([...now].sort(([a], [b]) => a.localeCompare(b)));
}

/** A lifecycle run as its last line says it ended (or how far it got). */
export interface LifecycleRun {
  readonly runId: string;
  readonly at: string;
  readonly triggers: readonly string[];
  /** `done` runs: what was decided, and why. */
  readonly action?: string;
  readonly reason?: string;
  readonly championVersion?: number;
  readonly challengerVersion?: number;
  readonly productionVersion?: number;
  readonly metrics: Readonly<Record<string, number>>;
  /** The phase a run without `done` stopped at. */
  readonly phase: DecisionRecord['phase'];
}

/** A model's decision log as runs, newest first. */
export function lifecycleRuns(records: readonly DecisionRecord[]): LifecycleRun[] {
  const runs = new Map<string, DecisionRecord[]>();
  for (const record of records) runs.set(record.runId, [...(runs.get(record.runId) ?? []), record]);
  return [...runs.values()]
    .map((lines) => {
      const last = lines[lines.length - 1]!;
      const merged = Object.assign({}, ...lines) as DecisionRecord;
      return {
        runId: last.runId,
        at: last.at,
        triggers: merged.triggers ?? [merged.trigger],
        ...(merged.action === undefined ? {} : { action: merged.action }),
        ...(merged.reason === undefined ? {} : { reason: merged.reason }),
        ...(merged.championVersion === undefined ? {} : { championVersion: merged.championVersion }),
        ...(merged.challengerVersion === undefined ? {} : { challengerVersion: merged.challengerVersion }),
        ...(merged.productionVersion === undefined ? {} : { productionVersion: merged.productionVersion }),
        metrics: merged.metrics ?? {},
        phase: last.phase,
      };
    })
    .sort((a, b) => b.at.localeCompare(a.at));
}

/** One row of the models page. */
export interface ModelSummary {
  readonly name: string;
  /** The version `production` points at, if any. */
  readonly production?: ModelVersion;
  /** Versions registered (not deleted). */
  readonly versions: number;
  /** The latest registration or alias move, ISO 8601. */
  readonly lastChange?: string;
  /** The production (else newest) version's headline metric. */
  readonly headline?: { readonly name: string; readonly value: number };
  /** The latest drift verdict: the last drift check's, else whether drift triggered the last lifecycle run. */
  readonly drift?: { readonly at: string; readonly drifted: boolean };
  /** The headline metric of the newest versions, oldest first. */
  readonly trend: readonly number[];
}

/** What the models page shows of model `name` (`latestDrift`: its last drift check, when monitoring is known). */
export async function modelSummary(
  registry: Registry,
  name: string,
  preferred?: string,
  latestDrift?: DriftCheck,
): Promise<ModelSummary> {
  const [page, history, records] = await Promise.all([
    registry.searchVersions({ name, limit: TREND_VERSIONS }),
    registry.aliasHistory(name),
    registry.decisions.list(name),
  ]);
  const productionVersion = currentAliases(history).get('production');
  const production =
    productionVersion === undefined
      ? undefined
      : (page.versions.find((v) => v.version === productionVersion) ??
        (await registry.getVersion(name, productionVersion)));
  const lead = production ?? page.versions[0];
  const metric = lead ? headlineOf(lead.metrics, preferred) : undefined;
  const changes = [page.versions[0]?.createdAt, history[history.length - 1]?.at].filter((t) => t !== undefined);
  const lastRun = lifecycleRuns(records).find((run) => run.phase === 'done');
  return {
    name,
    ...(production ? { production } : {}),
    versions: page.total,
    ...(changes.length ? { lastChange: changes.sort().at(-1)! } : {}),
    ...(lead && metric !== undefined ? { headline: { name: metric, value: lead.metrics[metric]! } } : {}),
    ...(latestDrift
      ? { drift: { at: latestDrift.time, drifted: latestDrift.report.datasetDrift } }
      : lastRun
        ? { drift: { at: lastRun.at, drifted: lastRun.triggers.includes('drift') } }
        : {}),
    trend:
      metric === undefined
        ? []
        : page.versions
            .map((v) => v.metrics[metric])
            .filter((m): m is number => m !== undefined)
            .reverse(),
  };
}
