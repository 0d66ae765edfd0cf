import type { Dataset } from '../contracts/dataset';
import type { DatasetStore } from '../contracts/dataset-store';
import type { JsonObject } from '../contracts/json';
import type { Model, ModelCodec } from '../contracts/model';
import type { DatasetLineage, ModelStore } from '../contracts/store';
import type { Trainer } from '../contracts/trainer';
import { InvalidInputError } from '../errors/errors';
import { fingerprint } from '../fingerprint/fingerprint';
import { decodeModel } from '../validation/codecs';
import { concatDatasets } from '../validation/dataset';
import { accuracyScore } from '../validation/metrics';

/** Inputs of one pass of the retrain-on-accuracy-drop policy (scikit-learn's `SimpleMLOps` reference loop). */
export interface RetrainStepOptions<Params extends JsonObject = JsonObject> {
  /** Where versions and the serving alias live. */
  readonly store: ModelStore;
  /** Trains challengers. */
  readonly trainer: Trainer<Params>;
  /** Codecs able to read the champion's artifact. */
  readonly codecs: readonly ModelCodec[];
  /** Registered model name. */
  readonly modelName: string;
  /** Data the champion was trained on. */
  readonly reference: Dataset;
  /** Freshly labelled production data: evaluated first, then added to the training set. */
  readonly fresh: Dataset;
  /** Held-out labelled data on which champion and challenger are compared. */
  readonly holdout: Dataset;
  /** Accuracy under which a retrain is triggered (default 0.85). */
  readonly threshold?: number;
  /** Alias that serves production (default `production`). */
  readonly alias?: string;
  /** How much the challenger must beat the champion by on the holdout (default 0: strictly better). */
  readonly minImprovement?: number;
  /** Hyperparameters for the challenger. */
  readonly params?: Partial<Params>;
  /**
   * Where to version the challenger's training data (e.g. a registry's `datasets`) and under which name;
   * the model version then links to that dataset version. Without it the lineage is the fingerprint alone.
   */
  readonly datasets?: { readonly store: DatasetStore; readonly name: string };
  /** Clock (default `() => new Date()`). */
  readonly now?: () => Date;
}

/** What one retrain step decided, as plain data. */
export interface RetrainDecision {
  /**
   * `bootstrapped`: no production model existed, one was trained and promoted; `kept`: accuracy held;
   * `promoted`: a challenger beat the champion; `rejected`: a challenger was registered but did not beat it.
   */
  readonly action: 'bootstrapped' | 'kept' | 'promoted' | 'rejected';
  /** One readable sentence explaining the action. */
  readonly reason: string;
  /** Accuracy threshold used. */
  readonly threshold: number;
  /** The production version before the step, with its scores. */
  readonly champion?: { readonly version: number; readonly freshAccuracy: number; readonly holdoutAccuracy?: number };
  /** The challenger trained in this step, if any. */
  readonly challenger?: { readonly version: number; readonly holdoutAccuracy: number };
  /** Version the alias points to after the step. */
  readonly productionVersion: number;
  /** When the decision was made, ISO 8601. */
  readonly decidedAt: string;
}

function evaluate(model: Model, data: Dataset): number {
  return accuracyScore(data.target, model.predict(data.features));
}

function round(x: number): string {
  return x.toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
}

/**
 * One pass of the reference policy: evaluate production on fresh labelled data; if accuracy is under
 * the threshold, train a challenger on reference + fresh data, register it, and promote it only if it
 * beats the champion on the holdout. The alias moves by compare-and-set, so a concurrent move wins
 * cleanly (`ConflictError`) instead of being overwritten.
 */
export async function runRetrainStep<Params extends JsonObject>(
  options: RetrainStepOptions<Params>,
): Promise<RetrainDecision> {
  const { store, trainer, modelName } = options;
  const threshold = options.threshold ?? 0.85;
  const alias = options.alias ?? 'production';
  const minImprovement = options.minImprovement ?? 0;
  const now = options.now ?? (() => new Date());
  if (!(threshold >= 0 && threshold <= 1)) throw new InvalidInputError(`threshold must be in [0, 1], got ${threshold}`);

  const training = concatDatasets(options.reference, options.fresh);
  const lineage = async (): Promise<DatasetLineage> => {
    if (!options.datasets)
      return { fingerprint: fingerprint(training), ...(training.name ? { name: training.name } : {}) };
    const description = `${modelName} retraining data: reference + fresh rows`;
    return options.datasets.store.registerDataset(options.datasets.name, { dataset: training, description });
  };
  const registerChallenger = async (metrics: Record<string, number>, parentVersion?: number) => {
    const model = await trainer.fit(training, options.params);
    const holdoutAccuracy = evaluate(model, options.holdout);
    const record = await store.register(modelName, {
      artifact: model.toArtifact(),
      metrics: { ...metrics, holdoutAccuracy },
      tags: { trainer: trainer.name, trigger: parentVersion === undefined ? 'bootstrap' : 'accuracy' },
      dataset: await lineage(),
      ...(parentVersion === undefined ? {} : { parentVersion }),
    });
    return { version: record.version, holdoutAccuracy };
  };

  const championVersion = await store.getAlias(modelName, alias);
  if (championVersion === undefined) {
    const challenger = await registerChallenger({});
    await store.setAlias(modelName, alias, challenger.version, { expectedVersion: null, reason: 'bootstrap' });
    return {
      action: 'bootstrapped',
      reason: `no "${alias}" model existed; trained v${challenger.version} (holdout accuracy ${round(challenger.holdoutAccuracy)}) and promoted it`,
      threshold,
      challenger,
      productionVersion: challenger.version,
      decidedAt: now().toISOString(),
    };
  }

  const { artifact } = await store.loadArtifact(modelName, championVersion);
  const champion = decodeModel(artifact, options.codecs);
  const freshAccuracy = evaluate(champion, options.fresh);
  if (freshAccuracy >= threshold) {
    return {
      action: 'kept',
      reason: `v${championVersion} accuracy ${round(freshAccuracy)} on fresh data is at or above ${threshold}`,
      threshold,
      champion: { version: championVersion, freshAccuracy },
      productionVersion: championVersion,
      decidedAt: now().toISOString(),
    };
  }

  const championHoldout = evaluate(champion, options.holdout);
  const challenger = await registerChallenger({ championHoldoutAccuracy: championHoldout }, championVersion);
  const championSummary = { version: championVersion, freshAccuracy, holdoutAccuracy: championHoldout };
  const drop = `v${championVersion} accuracy ${round(freshAccuracy)} fell under ${threshold}`;
  if (challenger.holdoutAccuracy > championHoldout + minImprovement) {
    const reason = `${drop}; challenger v${challenger.version} scored ${round(challenger.holdoutAccuracy)} vs ${round(championHoldout)} on the holdout and was promoted`;
    await store.setAlias(modelName, alias, challenger.version, { expectedVersion: championVersion, reason });
    return {
      action: 'promoted',
      reason,
      threshold,
      champion: championSummary,
      challenger,
      productionVersion: challenger.version,
      decidedAt: now().toISOString(),
    };
  }
  return {
    action: 'rejected',
    reason: `${drop}; challenger v${challenger.version} scored ${round(challenger.holdoutAccuracy)} vs ${round(championHoldout)} on the holdout, not better by more than ${minImprovement}: kept v${championVersion}`,
    threshold,
    champion: championSummary,
    challenger,
    productionVersion: championVersion,
    decidedAt: now().toISOString(),
  };
}
