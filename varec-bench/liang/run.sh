#!/usr/bin/env bash
# Liang et al. (2018)'s protocol on ML-1M: ratings >= 4 as clicks, 10% of the users held out and
# folded in at test time (80% of their clicks given, 20% ranked against every other item),
# Recall@20/50 and NDCG@20/50/100. Mult-VAE and Mult-DAE with Liang's architecture
# (I-600-200-600-I, batch 500, Adam 1e-3, input dropout 0.5), 50 epochs, and a popularity baseline.
#   varec-bench/liang/run.sh [OUT_DIR]     (default varec-bench/results/liang; about 4 min on 2 cores)
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=$(cd "$here/../.." && pwd)
data=${VAREC_DATA:-$root/../shared/data}
out=${1:-$root/varec-bench/results/liang}
mkdir -p "$out"
common=(--data "$data/ml-1m" --implicit 4 --protocol users:0.1 --topn 20,50,100 --threads 2 --seed 42)
arch=(--set likelihood=multinomial --set rank=200 --set hidden=600 --set batch_size=500 --set epochs=50)
# beta reaches its cap 0.2 at the last of the 50 x 11 Adam steps (Liang: 200,000 steps on ML-20M)
"$root/bin/varec" eval "${common[@]}" --algo mult-vae "${arch[@]}" --set lambda=0 --set anneal_steps=2750 \
  --json "$out/ml-1m-mult-vae.json" -q
"$root/bin/varec" eval "${common[@]}" --algo dae-cf "${arch[@]}" --set lambda=0.01 --json "$out/ml-1m-dae-cf.json" -q
split=${TMPDIR:-/tmp}/varec-liang-split   # MovieLens-derived files: never inside the repository
"$root/bin/varec" data split --data "$data/ml-1m" --implicit 4 --protocol users:0.1 --seed 42 --out "$split" --force -q
python3 "$here/popularity.py" "$split/split-1" | tee "$out/popularity.txt"
"$root/bin/varec" table "$out"/ml-1m-*.json
