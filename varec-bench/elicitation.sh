#!/usr/bin/env bash
# Reproduces docs/elicitation.md: Movie10k-style matrices from ML-1M and ml-latest-small, then the
# VFM paper's Table IV protocol with vfm (10 repeats; entropy separately, 5 repeats: it refits each
# test user twice per pool item). Results JSON under varec-bench/results/elicitation/.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
data=${VAREC_DATA:-$root/../shared/data}
out=$root/varec-bench/results/elicitation
tmp=$(mktemp -d)
mkdir -p "$out"
vfm=(--algo vfm --set rank=5 --set batch_size=100000 --set learning_rate=0.1 --set epochs=300 --threads 2)
"$root/bin/varec" data elicitation --data "$data/ml-1m" --items 100 --users 100 --seed 1 --out "$tmp/m1m.csv"
"$root/bin/varec" data elicitation --data "$data/ml-latest-small" --items 100 --users 100 --seed 1 --out "$tmp/mls.csv"
for d in m1m mls; do
  "$root/bin/varec" elicit --data "$tmp/$d.csv" "${vfm[@]}" --strategies random,mean,variance,popular \
      --repeats 10 --json "$out/$d-vfm.json"
done
"$root/bin/varec" elicit --data "$tmp/m1m.csv" "${vfm[@]}" --strategies random,mean,variance,entropy,popular \
    --repeats 5 --json "$out/m1m-vfm-entropy.json"
for a in fm-mcmc vbmf bpmf; do
  "$root/bin/varec" elicit --data "$tmp/m1m.csv" --algo "$a" --set rank=5 --strategies random,mean,variance,popular \
      --repeats 10 --threads 2 --json "$out/m1m-$a.json"
done
"$root/bin/varec" elicit --data "$tmp/m1m.csv" "${vfm[@]}" --set mc_samples=100 --strategies random,mean,variance,popular \
    --repeats 3 --json "$out/m1m-vfm-s100.json"
