#!/usr/bin/env bash
# varec-spark benchmarks (docs/spark.md):
#  1. accuracy: ML-1M, one random 90/10 split (seed 42), varec's als and vbmf (bin/varec eval, 2
#     threads) against VarecALS and VariationalALS (bin/varec-spark train, local[2]) with the same
#     rank, priors and sweeps;
#  2. speed: seconds per iteration of MLlib's ALS, VarecALS and VariationalALS (diagonal), rank 10,
#     one local[2] session, same cached ratings (bin/varec-spark bench).
#   varec-bench/spark.sh [SWEEPS]          (default 10)
# Data: $VAREC_DATA (default ../shared/data beside the repository) holding ml-1m/. The split files go
# to ${TMPDIR:-/tmp}/varec-spark-bench (MovieLens files are never written into the repository).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
data=${VAREC_DATA:-$root/../shared/data}
sweeps=${1:-10}
work=${TMPDIR:-/tmp}/varec-spark-bench
mkdir -p "$work"
[ -f "$data/ml-1m/ratings.dat" ] || { echo "spark.sh: $data/ml-1m/ratings.dat not found" >&2; exit 2; }
python3 - "$data/ml-1m/ratings.dat" "$work" <<'PY'
import random, sys
src, out = sys.argv[1], sys.argv[2]
rows = [l.split("::")[:3] for l in open(src, encoding="latin-1") if l.strip()]
rnd = random.Random(42)
rnd.shuffle(rows)
cut = int(len(rows) * 0.9)
for name, part in (("train", rows[:cut]), ("test", rows[cut:])):
    with open(f"{out}/{name}.csv", "w") as f:
        f.write("user,item,rating\n")
        f.writelines(",".join(r) + "\n" for r in part)
PY
echo "== load: $(uptime)"
for algo in als vbmf; do
  set_args=(--set rank=10 --set iterations="$sweeps")
  [ "$algo" = vbmf ] && set_args+=(--set covariance=diagonal)
  echo "== varec $algo (core, 2 threads)"
  "$root/bin/varec" eval --train "$work/train.csv" --test "$work/test.csv" --algo "$algo" "${set_args[@]}" \
    --seed 42 --threads 2 --json - | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps(d, indent=None)[:1500])'
  echo "== varec-spark $algo (local[2])"
  nice -n 10 "$root/bin/varec-spark" train --master 'local[2]' --data "$work/train.csv" --test "$work/test.csv" \
    --algo "$algo" "${set_args[@]}" --blocks 2
done
echo "== speed (local[2], rank 10, $sweeps iterations)"
nice -n 10 "$root/bin/varec-spark" bench --master 'local[2]' --data "$work/train.csv" --iters "$sweeps" --rank 10 --blocks 2
echo "== load: $(uptime)"
