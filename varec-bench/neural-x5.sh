#!/usr/bin/env bash
# The neural baselines under the NNMF paper's protocol (five random 90/10 splits), beside
# varec-bench/accuracy.sh's factor models: seed 42, 2 threads, defaults, early stopping on 5% of
# each training part (the epoch defaults are tuned on ML-1M's validation part; without it they
# overfit smaller data).
#   varec-bench/neural-x5.sh [DATASET [ALGO...]]   (default: ml-100k; autorec-i autorec-u dae-cf mult-vae ncf)
# Writes varec-bench/results/neural-DATASET/DATASET-ALGO.json and prints the table.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
data=${VAREC_DATA:-$root/../shared/data}
dataset=${1:-ml-100k}
shift || true
algos=("$@")
[ ${#algos[@]} -gt 0 ] || algos=(autorec-i autorec-u dae-cf mult-vae ncf)
out="$root/varec-bench/results/neural-$dataset"
mkdir -p "$out"
files=()
for a in "${algos[@]}"; do
  echo "neural-x5: $a on $dataset..." >&2
  "$root/bin/varec" eval --data "$data/$dataset" --algo "$a" --protocol holdout:0.9x5 --seed 42 --threads 2 \
    --validation-share 0.05 --patience 5 --restore-best -q --json "$out/$dataset-$a.json" 2>/dev/null
  files+=("$out/$dataset-$a.json")
done
"$root/bin/varec" table "${files[@]}" --metrics rmse,mae,coverage_90,fit_seconds
