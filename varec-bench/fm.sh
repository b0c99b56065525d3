#!/usr/bin/env bash
# Reproduces docs/fm.md's factorization-machine tables: the paper's Table III protocol (one random
# 80/20 split, seed 42, 2 threads) on MovieLens 100K and 1M, regression and classification
# (rating >= 4 -> 1), ids only and with side information, plus the two libFM speed runs.
#   varec-bench/fm.sh
# Data: $VAREC_DATA (default ../shared/data beside the repository) holding ml-100k/ and ml-1m/.
# Writes varec-bench/results/fm/NAME.json and varec-bench/results/fm.md.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
data=${VAREC_DATA:-$root/../shared/data}
out="$root/varec-bench/results/fm"
mkdir -p "$out"
run() { # NAME DATASET ARGS...
  local name=$1 d=$2
  shift 2
  [ -d "$data/$d" ] || { echo "fm: $data/$d not found, skipping $name" >&2; return; }
  echo "fm: $name..." >&2
  "$root/bin/varec" eval --data "$data/$d" --seed 42 --threads 2 --json "$out/$name.json" -q "$@"
}
reg=(--protocol holdout:0.8)
cls=(--protocol holdout:0.8 --task classification --threshold 4)
run ml-100k-fm-mcmc ml-100k --algo fm-mcmc --set rank=8 --set iterations=200 "${reg[@]}"
run ml-100k-fm-mcmc-side ml-100k --algo fm-mcmc --set rank=8 --set iterations=200 --set side=both "${reg[@]}"
run ml-100k-fm-als ml-100k --algo fm-als "${reg[@]}"
run ml-100k-fm-sgd ml-100k --algo fm-sgd "${reg[@]}"
run ml-100k-fm-mcmc-cls ml-100k --algo fm-mcmc --set rank=8 --set iterations=200 "${cls[@]}"
run ml-100k-fm-mcmc-cls-side ml-100k --algo fm-mcmc --set rank=8 --set iterations=200 --set side=both "${cls[@]}"
run ml-100k-fm-sgd-cls ml-100k --algo fm-sgd "${cls[@]}"
run ml-1m-fm-mcmc ml-1m --algo fm-mcmc --set rank=10 --set iterations=200 "${reg[@]}"
run ml-1m-fm-mcmc-cls ml-1m --algo fm-mcmc --set rank=8 --set iterations=100 "${cls[@]}"
# speed against libFM (issue 5): ML-1M 80/20 d=8 100 sweeps; ML-100K 90/10 d=8 200 sweeps
run speed-ml-1m-fm-mcmc ml-1m --algo fm-mcmc --set rank=8 --set iterations=100 --protocol holdout:0.8
run speed-ml-100k-fm-mcmc ml-100k --algo fm-mcmc --set rank=8 --set iterations=200 --protocol holdout:0.9
"$root/bin/varec" table "$out"/*.json --metrics rmse,nlpd,coverage_90,acc,auc,map,fit_seconds > "$root/varec-bench/results/fm.md"
cat "$root/varec-bench/results/fm.md"
