#!/usr/bin/env bash
# Reproduces docs/neural-baselines.md's autoencoder figures on ML-1M, seed 42, 2 threads:
# I-AutoRec on the AutoRec paper's 90/10 split (one, and the mean of five as the paper), and the four autoencoders on the VAE-BMF paper's
# holdout:0.7,0.15,0.15 (early stopping on the validation part, best epoch restored).
#   varec-bench/autoenc.sh [NAME...]      (default: every run below)
# Data: $VAREC_DATA (default ../shared/data beside the repository) holding ml-1m.
# Writes varec-bench/results/autoenc/NAME.json and prints one line per run.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
data=${VAREC_DATA:-$root/../shared/data}
ml1m="$data/ml-1m"
[ -d "$ml1m" ] || { echo "autoenc: $ml1m not found" >&2; exit 2; }
out="$root/varec-bench/results/autoenc"
mkdir -p "$out"
# name | algorithm | protocol | extra eval options | parameters
runs=(
  "autorec_i_90|autorec-i|holdout:0.9||"
  "autorec_i_90x5|autorec-i|holdout:0.9x5||"
  "autorec_u_t3|autorec-u|holdout:0.7,0.15,0.15|--patience 3 --restore-best|"
  "autorec_i_t3|autorec-i|holdout:0.7,0.15,0.15|--patience 3 --restore-best|"
  "dae_cf_t3|dae-cf|holdout:0.7,0.15,0.15|--patience 5 --restore-best|epochs=40"
  "mult_vae_t3|mult-vae|holdout:0.7,0.15,0.15|--patience 5 --restore-best|epochs=40"
)
for r in "${runs[@]}"; do
  IFS='|' read -r name algo proto opts params <<<"$r"
  if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$name"; then continue; fi
  sets=()
  for kv in $params; do sets+=(--set "$kv"); done
  # shellcheck disable=SC2086
  "$root/bin/varec" eval --data "$ml1m" --algo "$algo" --protocol "$proto" --seed 42 --threads 2 $opts \
    --topn 20,50 "${sets[@]}" --json "$out/$name.json" -q >/dev/null
  python3 - "$out/$name.json" "$name" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); s = d["summary"]; r = d["runs"][0]
secs = [h["seconds"] for h in r["history"]]
secs = sorted(secs)[len(secs) // 2] if secs else float("nan")
print("%-14s rmse %.4f  ndcg@20 %s  ndcg@50 %s  epochs %d (model %s)  median s/epoch %.2f  fit %.1f s" % (
      sys.argv[2], s["rmse"]["mean"], "%.4f" % s["ndcg@20"]["mean"] if "ndcg@20" in s else "-",
      "%.4f" % s["ndcg@50"]["mean"] if "ndcg@50" in s else "-", len(r["history"]), r.get("model_epoch"),
      secs, s["fit_seconds"]["mean"]))
PY
done
