#!/usr/bin/env bash
# Reproduces the README's accuracy table: every algorithm on MovieLens 100K and 1M with the NNMF
# paper's protocol (five random 90/10 splits), seed 42, 2 threads, default hyper-parameters.
#   varec-bench/accuracy.sh [ALGO...]        (default: all rating algorithms)
# Data: $VAREC_DATA (default ../shared/data beside the repository) holding ml-100k/ and ml-1m/.
# Writes varec-bench/results/accuracy/DATASET-ALGO.json and varec-bench/results/accuracy.md.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
data=${VAREC_DATA:-$root/../shared/data}
out="$root/varec-bench/results/accuracy"
mkdir -p "$out"
algos=("$@")
[ ${#algos[@]} -gt 0 ] || algos=(mean biases svd biasmf als als-features vbmf bpmf)
known=$("$root/bin/varec" algos | grep -v "^ " | awk "{print \$1}")
for d in ml-100k ml-1m; do
  [ -d "$data/$d" ] || { echo "accuracy: $data/$d not found, skipping" >&2; continue; }
  for a in "${algos[@]}"; do
    grep -qx "$a" <<<"$known" || { echo "accuracy: algorithm $a not registered, skipping" >&2; continue; }
    echo "accuracy: $a on $d..." >&2
    "$root/bin/varec" eval --data "$data/$d" --algo "$a" --protocol holdout:0.9x5 --seed 42 --threads 2 \
      --json "$out/$d-$a.json" -q
  done
done
# rows in a fixed order: dataset, then the algorithm list above (whatever JSON files exist)
files=()
for d in ml-100k ml-1m; do
  for a in mean biases svd biasmf als als-features vbmf bpmf fm-sgd fm-als fm-mcmc vbfm ovbfm vfm; do
    [ -f "$out/$d-$a.json" ] && files+=("$out/$d-$a.json")
  done
done
"$root/bin/varec" table "${files[@]}" --metrics rmse,mae,coverage_90,nlpd,fit_seconds > "$root/varec-bench/results/accuracy.md"
cat "$root/varec-bench/results/accuracy.md"
