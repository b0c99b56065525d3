#!/usr/bin/env bash
# Reproduces docs/networks.md's Table 2 rows on the NIPS co-authorship network: every network
# model on holdout:0.9x5 (the NNMF paper's protocol), seed 42, 2 threads.
#   varec-bench/networks.sh [NAME...]      (default: every run below)
# Data: $VAREC_DATA (default ../shared/data beside the repository) holding nips234/NIPS.csv.
# Writes varec-bench/results/networks/NAME.json and prints one line per run.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
data=${VAREC_DATA:-$root/../shared/data}
net="$data/nips234/NIPS.csv"
[ -f "$net" ] || { echo "networks: $net not found" >&2; exit 2; }
out="$root/varec-bench/results/networks"
mkdir -p "$out"
# name | algorithm | protocol | parameters
runs=(
  "svd_r60|svd|holdout:0.9x5|"
  "svdm_r10|svd|holdout:0.9x5|rank=10 center=mean"
  "biasmf|biasmf|holdout:0.9x5|rank=20 reg=0.003 init_stdev=0.1 epochs=200 learning_rate=0.03"
  "bnnmf_vi|bnnmf|holdout:0.9x5|hidden= task=classification shared_embeddings=true"
  "sbm_t7|sbm|holdout:0.9x5|truncation=7"
  "sbm_t20|sbm|holdout:0.9x5|truncation=20"
  "sbm_t30|sbm|holdout:0.9x5|truncation=30"
  "sbm_t50|sbm|holdout:0.9x5|truncation=50"
  "sbm_h|sbm|holdout:0.9x5|hidden=20"
  "sbm_t30_h|sbm|holdout:0.9x5|truncation=30 hidden=20"
  "sbm_rand|sbm|holdout:0.9x5|init=random"
  "sbm_rand20|sbm|holdout:0.9x5|truncation=20 init=random"
  "sbm_nowarm|sbm|holdout:0.9x5|warmup=0"
  "sbm_lr01|sbm|holdout:0.9x5|learning_rate=0.01"
  "sbm_stick|sbm|holdout:0.9x5|stick_rate=0.1"
  "sbm_s1|sbm|holdout:0.9x5|samples=1"
  "sbm_mb|sbm|holdout:0.9x5|batch_size=2000 epochs=100"
  "sbm_t7_80|sbm|holdout:0.8x5|truncation=7"
  "sbm_t20_80|sbm|holdout:0.8x5|truncation=20"
  "irm|irm|holdout:0.9x5|"
  "irm_i200|irm|holdout:0.9x5|iterations=200 burn_in=100"
  "irm_alpha1|irm|holdout:0.9x5|sample_alpha=false"
  "irm_gibbs|irm|holdout:0.9x5|split_merge=0"
  "irm_b11|irm|holdout:0.9x5|beta_a=1"
  "irm_a005|irm|holdout:0.9x5|beta_a=0.05"
  "irm_b5|irm|holdout:0.9x5|beta_b=5"
  "irm_80|irm|holdout:0.8x5|"
)
for r in "${runs[@]}"; do
  IFS='|' read -r name algo proto params <<<"$r"
  if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$name"; then continue; fi
  sets=()
  for kv in $params; do sets+=(--set "$kv"); done
  "$root/bin/varec" eval --data "$net" --format adjacency --algo "$algo" --protocol "$proto" --seed 42 --threads 2 \
    "${sets[@]}" --json "$out/$name.json" -q >/dev/null
  python3 - "$out/$name.json" "$name" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); s = d["summary"]
groups = [r["history"][-1]["figures"].get("groups") for r in d["runs"] if r["history"]]
print("%-12s rmse %.4f ± %.4f  auc %.4f ± %.4f  loglik %.4f  groups %s  fit %.1f s" % (sys.argv[2],
      s["rmse"]["mean"], s["rmse"]["std"], s["auc"]["mean"], s["auc"]["std"], s["loglik"]["mean"],
      [int(g) for g in groups if g is not None] or "-", s["fit_seconds"]["mean"]))
PY
done
