"""cornac's biased MF (SGD) on a varec TSV split, the peer of biasmf, both at their defaults but
k=10 and 20 epochs. usage: cornac_run.py TRAIN.tsv TEST.tsv SEED; last line 'fit_seconds<TAB>rmse'."""
import sys
import time

import numpy as np
import cornac
from cornac.data import Dataset


def read(path):
    return [(r[0], r[1], float(r[2])) for r in (line.split("\t") for line in open(path) if line.strip())]


train, test = read(sys.argv[1]), read(sys.argv[2])
data = Dataset.from_uir(train, seed=int(sys.argv[3]))
start = time.perf_counter()
mf = cornac.models.MF(k=10, max_iter=20, use_bias=True, seed=int(sys.argv[3]), verbose=False).fit(data)
fit = time.perf_counter() - start
err = []
for u, i, r in test:
    p = mf.score(data.uid_map[u], data.iid_map[i]) if u in data.uid_map and i in data.iid_map else data.global_mean
    err.append(min(max(float(p), 1.0), 5.0) - r)
print(f"{fit}\t{np.sqrt(np.mean(np.square(err)))}")
