#!/usr/bin/env bash
# The VAE-BMF paper's sparsity study (section 4.4, Fig. 3): each model trained on P = 1, 2, 3, 5 and
# 10% of the ratings (protocol subsample:P, the rest split equally into validation and test),
# test RMSE (and NDCG@20 over each user's own test items) against P, one line per model.
#   varec-bench/sparsity.sh [DATASET [ALGO...]]   (default: ml-100k; biases svd biasmf als vbmf bpmf)
# Env: VAREC (the command, default bin/varec), VAREC_DATA (default ../shared/data beside the repository), SEED (42), THREADS (2),
#      PERCENTS ("0.01 0.02 0.03 0.05 0.1"), SET_<algo> extra --set options, e.g. SET_biasmf="epochs=20",
#      OPTS_<algo> extra eval options, e.g. OPTS_mult_vae="--patience 5 --restore-best" (early stopping on
#      the validation part; the neural models' epoch defaults are tuned for ML-1M and overfit small data).
# Writes varec-bench/results/sparsity/DATASET-ALGO-P.json and sparsity-DATASET-rmse.png / -ndcg20.png.
# Default hyper-parameters (no tuning: with 'varec tune --protocol subsample:P' each point can be tuned too).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
data=${VAREC_DATA:-$root/../shared/data}
varec=${VAREC:-$root/bin/varec}   # VAREC="java -jar /tmp/x.jar" runs a given jar
dataset=${1:-ml-100k}
shift || true
algos=("$@")
[ ${#algos[@]} -gt 0 ] || algos=(biases svd biasmf als vbmf bpmf)
out="$root/varec-bench/results/sparsity"
mkdir -p "$out"
[ -e "$data/$dataset" ] || { echo "sparsity: $data/$dataset not found" >&2; exit 2; }
known=$($varec algos | grep -v "^ " | awk "{print \$1}")
files=()
for a in "${algos[@]}"; do
  grep -qx "$a" <<<"$known" || { echo "sparsity: algorithm $a not registered, skipping" >&2; continue; }
  setvar="SET_${a//-/_}"
  sets=()
  for kv in ${!setvar:-}; do sets+=(--set "$kv"); done
  optvar="OPTS_${a//-/_}"
  # shellcheck disable=SC2206
  opts=(${!optvar:-})
  for p in ${PERCENTS:-0.01 0.02 0.03 0.05 0.1}; do
    f="$out/$dataset-$a-$p.json"
    echo "sparsity: $a on $dataset, P=$p..." >&2
    $varec eval --data "$data/$dataset" --algo "$a" "${sets[@]}" "${opts[@]}" --protocol "subsample:$p" \
      --seed "${SEED:-42}" --threads "${THREADS:-2}" --topn 20 --rank-candidates test --json "$f" -q >/dev/null
    files+=("$f")
  done
done
$varec plot sparsity "${files[@]}" --metric rmse --out "$out/sparsity-$dataset-rmse.png" -q
$varec plot sparsity "${files[@]}" --metric ndcg@20 --out "$out/sparsity-$dataset-ndcg20.png" -q
$varec table "${files[@]}" --metrics rmse,ndcg@20,fit_seconds --format text
echo "wrote $out/sparsity-$dataset-rmse.png and -ndcg20.png" >&2
