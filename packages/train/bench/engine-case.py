# One scikit-learn case of `pnpm bench` (Debian's /usr/bin/python3 with python3-sklearn): the same measurements as
# engine-case.ts, printed as one JSON line. Threads: n_jobs for the forest, OMP_NUM_THREADS (set by the caller) else.
#   /usr/bin/python3 bench/engine-case.py <forest|boosting|logistic> <data.json> <batch.json> <threads>
import json, pickle, resource, sys, time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

algorithm, data_file, batch_file, threads = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
d = json.load(open(data_file))
X = np.array(d["X"]); y = np.array(d["y"]); n = int(len(y) * 0.8)
if algorithm == "forest":
    model = RandomForestClassifier(n_estimators=100, max_features="sqrt", random_state=1, n_jobs=threads)
elif algorithm == "boosting":
    model = HistGradientBoostingClassifier(max_iter=100, early_stopping=False)
else:
    model = make_pipeline(StandardScaler(), LogisticRegression())
start = time.perf_counter(); model.fit(X[:n], y[:n]); train_ms = (time.perf_counter() - start) * 1000
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
accuracy = float((model.predict(X[n:]) == y[n:]).mean())
batch = np.array(json.load(open(batch_file))["X"])  # after the peak is taken
start = time.perf_counter(); model.predict(batch); rows_per_s = len(batch) / (time.perf_counter() - start)
print(json.dumps(dict(trainMs=train_ms, predictRowsPerS=rows_per_s, accuracy=accuracy,
                      artifactBytes=len(pickle.dumps(model)), peakMb=peak_mb)))
