import { createDataset, decodeModel, type ModelArtifact } from '@mlops/core';
import { describe, expect, it } from 'vitest';
import { irisTest, irisTrain } from '../__fixtures__/iris-split';
import { codecs } from '../codecs';
import { r2Score } from '../metrics/regression';
import { randomForestClassifier } from '../random-forest/random-forest-classifier';
import { gradientBoostingClassifier, gradientBoostingRegressor } from './gradient-boosting';

// scikit-learn 1.2.1's HistGradientBoostingClassifier(random_state=42) / HistGradientBoostingRegressor(random_state=42)
// on the same data (iris split as train_test_split(test_size=0.2, random_state=42); the regression table below).
const SKLEARN = {
  multiclass: {
    predictions: [1, 0, 2, 1, 1, 0, 1, 2, 1, 1, 2, 0, 0, 0, 0, 1, 2, 1, 1, 2, 0, 2, 0, 2, 2, 2, 2, 2, 0, 0],
    proba: [
      [2.0634024838581935e-5, 0.996518415429151, 0.003460950546010342],
      [0.999882968624868, 0.00011700455694600904, 2.6818186055459355e-8],
      [2.0426126501840064e-7, 1.7805400136272157e-6, 0.9999980151987212],
    ],
  },
  binary: {
    accuracy: 0.9,
    proba: [
      [0.9278151906882566, 0.07218480931174348],
      [0.00029343361335554263, 0.9997065663866445],
      [0.9749568329420605, 0.025043167057939485],
    ],
  },
  regression: { r2: 0.9967754321803334, predictions: [1.6133805218775439, 1.5250206643081903, 1.3189691470918268] },
};

const twoClasses = (data: typeof irisTrain) => {
  const keep = data.target.flatMap((k, i) => (k > 0 ? [i] : []));
  return createDataset({
    features: keep.map((i) => data.features[i]!),
    target: keep.map((i) => data.target[i]! - 1),
    featureNames: data.featureNames,
    classNames: data.classNames!.slice(1),
  });
};

// 600 rows: x_ij = ((7i + 13j) mod 17) / 17, y = 3x0 − 2x1 + x2² + ((31i) mod 11) / 55; the first 500 train.
const table = Array.from({ length: 600 }, (_, i) => Array.from({ length: 3 }, (_, j) => ((i * 7 + j * 13) % 17) / 17));
const values = table.map(([a, b, c], i) => 3 * a! - 2 * b! + c! ** 2 + ((i * 31) % 11) / 55);
const regression = (from: number, to: number) =>
  createDataset({ features: table.slice(from, to), target: values.slice(from, to), featureNames: ['a', 'b', 'c'] });

const near = (actual: readonly (readonly number[])[], expected: readonly (readonly number[])[], tolerance: number) => {
  actual.forEach((row, i) => {
    row.forEach((v, k) => {
      expect(Math.abs(v - expected[i]![k]!)).toBeLessThan(tolerance);
    });
  });
};

describe('gradientBoostingClassifier', () => {
  it("predicts scikit-learn's iris labels, with probabilities within 1e-4 of its HistGradientBoostingClassifier", async () => {
    const model = await gradientBoostingClassifier().fit(irisTrain);
    expect(model.predict(irisTest.features)).toEqual(SKLEARN.multiclass.predictions);
    near(model.predictProba(irisTest.features.slice(0, 3)), SKLEARN.multiclass.proba, 1e-4);
    expect(model.iterations).toBe(100);
    const importances = Object.values(model.featureImportances());
    expect(importances.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('fits two classes with one tree an iteration, as scikit-learn', async () => {
    const model = await gradientBoostingClassifier().fit(twoClasses(irisTrain));
    const test = twoClasses(irisTest);
    const predicted = model.predict(test.features);
    expect(predicted.filter((k, i) => k === test.target[i]).length / test.target.length).toBe(SKLEARN.binary.accuracy);
    near(model.predictProba(test.features.slice(0, 3)), SKLEARN.binary.proba, 0.02);
  });

  it('is deterministic and round-trips through its artifact bit for bit', async () => {
    const a = await gradientBoostingClassifier().fit(irisTrain);
    const b = await gradientBoostingClassifier().fit(irisTrain);
    expect(JSON.stringify(a.toArtifact())).toBe(JSON.stringify(b.toArtifact()));
    const loaded = decodeModel(JSON.parse(JSON.stringify(a.toArtifact())) as ModelArtifact, codecs);
    expect(loaded.predictProba!(irisTest.features)).toEqual(a.predictProba(irisTest.features));
    expect(loaded.toArtifact()).toEqual(a.toArtifact());
  });

  it('stops early when the held-out loss stops improving, keeping the trees grown so far', async () => {
    const model = await gradientBoostingClassifier({ earlyStopping: true, nIterNoChange: 5 }).fit(irisTrain);
    expect(model.iterations).toBeLessThan(100);
    const loss = model.validationLoss!;
    expect(loss).toHaveLength(model.iterations + 1);
    const best = Math.min(...loss.slice(0, -5));
    expect(loss.slice(-5).every((l) => l >= best - 1e-7)).toBe(true);
  });

  it('refuses bad parameters and damaged artifacts', async () => {
    expect(() => gradientBoostingClassifier({ maxBins: 300 })).toThrow(
      'gradient boosting maxBins must be a whole number from 2 to 255, got 300',
    );
    const artifact = (await gradientBoostingClassifier({ maxIter: 2 }).fit(irisTrain)).toArtifact();
    const payload = artifact.payload as Record<string, unknown>;
    const left = Buffer.from(payload.left as string, 'base64');
    left.writeInt32LE(0, 0); // the root's left child pointing at the root: a loop
    expect(() => decodeModel({ ...artifact, payload: { ...payload, left: left.toString('base64') } }, codecs)).toThrow(
      'node 0 of a tree has a bad feature or child',
    );
  });
});

describe('category splits', () => {
  // 400 rows: a 12-level category (code (7i) mod 12) decides the class — levels 0, 3, 5, 8, 11 are 1 — with every
  // 17th label flipped; a numeric column of noise. scikit-learn 1.2.1: HistGradientBoostingClassifier(
  // categorical_features=[0], max_iter=20, random_state=42) scores 0.94 on it, probabilities below for rows 0–3.
  const n = 400;
  const code = (i: number) => (i * 7) % 12;
  const label = (i: number) => ([0, 3, 5, 8, 11].includes(code(i)) ? 1 : 0) ^ (i % 17 === 0 ? 1 : 0);
  const levels = Array.from({ length: 12 }, (_, c) => `level-${c}`);
  const data = createDataset({
    features: Array.from({ length: n }, (_, i) => [code(i), ((i * 13) % 29) / 29]),
    target: Array.from({ length: n }, (_, i) => label(i)),
    featureNames: ['kind', 'noise'],
    classNames: ['no', 'yes'],
    levels: [levels, null],
  });
  const SKLEARN_PROBA = [
    [0.1811829119837115, 0.8188170880162885],
    [0.9162412839696872, 0.08375871603031278],
    [0.9127010146616453, 0.08729898533835465],
    [0.9291595099048378, 0.0708404900951623],
  ];
  const accuracy = (model: { predict(rows: readonly (readonly number[])[]): number[] }) =>
    model.predict(data.features).filter((k, i) => k === data.target[i]).length / n;

  it("splits a pipeline's category column by sets of levels, as scikit-learn's categorical_features", async () => {
    const model = await gradientBoostingClassifier({ maxIter: 20 }).fit(data);
    expect(accuracy(model)).toBe(0.94);
    near(model.predictProba(data.features.slice(0, 4)), SKLEARN_PROBA, 0.02);
    // One split of stumps separates the levels; split as ordered codes, stumps cannot.
    expect(accuracy(await gradientBoostingClassifier({ maxIter: 1, maxLeafNodes: 2, learningRate: 1 }).fit(data))).toBe(
      0.94,
    );
    const numeric = gradientBoostingClassifier({
      maxIter: 1,
      maxLeafNodes: 2,
      learningRate: 1,
      categoricalSplits: false,
    });
    expect(accuracy(await numeric.fit(data))).toBeLessThan(0.8);
  });

  it('keeps the category sets in the artifact; unknown codes go right; SHAP still sums to the output', async () => {
    const model = await gradientBoostingClassifier({ maxIter: 5 }).fit(data);
    const loaded = decodeModel(JSON.parse(JSON.stringify(model.toArtifact())) as ModelArtifact, codecs);
    expect(loaded.predictProba!(data.features)).toEqual(model.predictProba(data.features));
    expect(loaded.toArtifact()).toEqual(model.toArtifact());
    expect(() => model.predict([[40, 0.5]])).not.toThrow();
    const shap = model.shapValues(data.features.slice(0, 20));
    shap.values.forEach((row, i) => {
      const raw = Math.log(
        model.predictProba([data.features[i]!])[0]![1]! / model.predictProba([data.features[i]!])[0]![0]!,
      );
      expect(shap.expected[0]! + row.reduce((sum, v) => sum + v[0]!, 0)).toBeCloseTo(raw, 9);
    });
  });
});

describe('gradientBoostingRegressor', () => {
  it("scores as scikit-learn's HistGradientBoostingRegressor on held-out rows", async () => {
    const model = await gradientBoostingRegressor().fit(regression(0, 500));
    const test = regression(500, 600);
    const r2 = r2Score(test.target, model.predict(test.features));
    expect(Math.abs(r2 - SKLEARN.regression.r2)).toBeLessThan(0.002);
    near([model.predict(test.features.slice(0, 3))], [SKLEARN.regression.predictions], 0.02);
    const loaded = decodeModel(JSON.parse(JSON.stringify(model.toArtifact())) as ModelArtifact, codecs);
    expect(loaded.predict(test.features)).toEqual(model.predict(test.features));
  });
});

describe('nJobs', () => {
  // 50,000 × 20 = 1M feature values: the threshold at which histograms are built on worker threads.
  const rows = 50_000;
  const features = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: 20 }, (_, j) => ((i * (7 + 2 * j) + j * 13) % 101) / 101),
  );
  const classes = features.map((row, i) => ((row[0]! + row[3]! > 1 ? 1 : 0) + (i % 7 === 0 ? 1 : 0)) % 3);
  const dataset = (classNames: string[], target: number[]) =>
    createDataset({ features, target, featureNames: features[0]!.map((_, j) => `f${j}`), classNames });

  it('builds the same model on 1 and 2 threads, byte for byte (three classes; regression)', async () => {
    const params = { maxIter: 2, earlyStopping: false } as const;
    const three = dataset(['a', 'b', 'c'], classes);
    const numeric = createDataset({
      features,
      target: features.map((r) => r[0]! * 3 - r[1]!),
      featureNames: three.featureNames,
    });
    const classifier = (nJobs: number) => gradientBoostingClassifier(params, { nJobs }).fit(three);
    const regressor = (nJobs: number) => gradientBoostingRegressor(params, { nJobs }).fit(numeric);
    for (const fit of [classifier, regressor]) {
      const one = JSON.stringify((await fit(1)).toArtifact());
      expect(JSON.stringify((await fit(2)).toArtifact())).toBe(one);
    }
  }, 30_000);

  it('rejects a thread count that is not a positive integer', () => {
    expect(() => gradientBoostingClassifier({}, { nJobs: 0 })).toThrow('nJobs must be an integer ≥ 1, got 0');
  });
});

describe('missing values', () => {
  // 300 rows with NaN in two columns (x0 missing ⇒ mostly class 1); the first 240 train. scikit-learn 1.2.1:
  // HistGradientBoostingClassifier(random_state=42).fit(X[:240], y[:240]).predict_proba(X[240:])[:, 1], and of the rows
  // [NaN, NaN, NaN], [NaN, 0.9, 0.5], [0.2, NaN, 0.1].
  const SKLEARN_MISSING = {
    proba: [
      0.877800743719, 0.001366008805, 0.920126327271, 0.034235712342, 0.076594847875, 0.75295442919, 0.109979748733,
      0.092454367294, 0.003641127397, 0.009694902784, 0.967467016404, 0.054343545404, 0.008833468383, 0.93992392619,
      0.022282663508, 0.793847986963, 0.229900334881, 0.164732543442, 0.087024519906, 0.191137772641, 0.783948826886,
      0.057036868291, 0.648792460177, 0.248400793922, 0.112551725768, 0.648706539059, 0.054567646231, 0.080113728633,
      0.102029110083, 0.007519050676, 0.951435472871, 0.024665507456, 0.097539079943, 0.830923698403, 0.185817401092,
      0.849633667078, 0.002318005651, 0.016888985205, 0.015031271605, 0.918317901012, 0.914559945522, 0.112033679555,
      0.184911417331, 0.04659277844, 0.077397235067, 0.912104437063, 0.030576376058, 0.059774157518, 0.026209579826,
      0.074190457608, 0.71780096524, 0.120403396143, 0.247119720504, 0.129177818053, 0.052995856962, 0.940384196902,
      0.938332556928, 0.017608166735, 0.056285812053, 0.847442408253,
    ],
    missingRows: [0.892150578104823, 0.7265663394514078, 0.34849182901897485],
  };
  const rows: number[][] = [];
  const target: number[] = [];
  for (let i = 0; i < 300; i++) {
    const x0 = i % 5 === 0 ? Number.NaN : ((7 * i) % 13) / 13;
    const x1 = i % 7 === 3 ? Number.NaN : ((11 * i + 3) % 17) / 17;
    const y = i % 5 === 0 || (x1 > 0.6 && x0 < 0.4) ? 1 : 0;
    rows.push([x0, x1, ((5 * i + 1) % 11) / 11]);
    target.push((31 * i) % 9 === 0 ? 1 - y : y);
  }
  const train = createDataset(
    {
      features: rows.slice(0, 240),
      target: target.slice(0, 240),
      featureNames: ['a', 'b', 'c'],
      classNames: ['no', 'yes'],
    },
    { allowMissing: true },
  );
  const missingRows = [
    [Number.NaN, Number.NaN, Number.NaN],
    [Number.NaN, 0.9, 0.5],
    [0.2, Number.NaN, 0.1],
  ];

  it("learns where missing values go, as scikit-learn's HistGradientBoostingClassifier does", async () => {
    const model = await gradientBoostingClassifier().fit(train);
    near([model.predictProba(rows.slice(240)).map((p) => p[1]!)], [SKLEARN_MISSING.proba], 1e-7);
    near([model.predictProba(missingRows).map((p) => p[1]!)], [SKLEARN_MISSING.missingRows], 1e-7);
  });

  it('keeps the directions in the artifact; SHAP values of rows with NaN still sum to the output', async () => {
    const model = await gradientBoostingClassifier({ maxIter: 10 }).fit(train);
    const artifact = JSON.parse(JSON.stringify(model.toArtifact())) as ModelArtifact;
    const loaded = decodeModel(artifact, codecs);
    expect(loaded.predictProba!(missingRows)).toEqual(model.predictProba(missingRows));
    const shap = model.shapValues(missingRows);
    shap.values.forEach((row, i) => {
      const [no, yes] = model.predictProba([missingRows[i]!])[0]!;
      expect(shap.expected[0]! + row.reduce((sum, v) => sum + v[0]!, 0)).toBeCloseTo(Math.log(yes! / no!), 9);
    });
    // Artifacts from before missing values (no missingLeft) still load; a bad direction is refused.
    const { missingLeft, ...older } = artifact.payload as Record<string, unknown>;
    expect(typeof missingLeft).toBe('string');
    expect(() => decodeModel({ ...artifact, payload: older } as ModelArtifact, codecs)).not.toThrow();
    const bad = Buffer.from(missingLeft as string, 'base64');
    bad[0] = 2;
    expect(() =>
      decodeModel({ ...artifact, payload: { ...older, missingLeft: bad.toString('base64') } } as ModelArtifact, codecs),
    ).toThrow('node 0 has a bad missingLeft');
  });

  it('refuses NaN where it is not a missing value: the target, a forest, Infinity', async () => {
    expect(() =>
      createDataset({ ...train, target: [Number.NaN, ...train.target.slice(1)] }, { allowMissing: true }),
    ).toThrow('target row 0 is NaN');
    await expect(randomForestClassifier().fit(train)).rejects.toThrow(
      'features row 0, column 0 (a) is NaN: expected a finite number',
    );
    const model = await gradientBoostingClassifier({ maxIter: 2 }).fit(train);
    expect(() => model.predict([[Number.POSITIVE_INFINITY, 0, 0]])).toThrow(
      'predict input row 0, column 0 (a) is Infinity: expected a finite number or NaN (missing)',
    );
  });
});
