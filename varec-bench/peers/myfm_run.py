"""myFM Gibbs sampling FM on a varec TSV split (user item rating), the peer of fm-mcmc.
usage: myfm_run.py TRAIN.tsv TEST.tsv SEED; prints 'fit_seconds<TAB>rmse' as its last line.
Same model as 'varec eval --algo fm-mcmc --set rank=8 --set iterations=100': one-hot user and item."""
import sys
import time

import numpy as np
import myfm
from sklearn.preprocessing import OneHotEncoder


def read(path):
    rows = [line.split("\t")[:3] for line in open(path) if line.strip()]
    return np.array([[r[0], r[1]] for r in rows]), np.array([float(r[2]) for r in rows])


(xtr, ytr), (xte, yte) = read(sys.argv[1]), read(sys.argv[2])
enc = OneHotEncoder(handle_unknown="ignore").fit(xtr)
start = time.perf_counter()
fm = myfm.MyFMRegressor(rank=8, random_seed=int(sys.argv[3]))
fm.fit(enc.transform(xtr), ytr, n_iter=100, n_kept_samples=95)
fit = time.perf_counter() - start
pred = fm.predict(enc.transform(xte))
print(f"{fit}\t{np.sqrt(np.mean((pred - yte) ** 2))}")
