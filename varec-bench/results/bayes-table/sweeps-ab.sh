#!/bin/bash
# SPECS="TREE@ALGO ..." sweeps-ab.sh ROUNDS (e.g. SPECS="/tmp/base@bpmf /work/main@bpmf"): columns tree, algo, round (= seed), fit s, median ms of sweeps 2-20, test RMSE
# vb-ab.sh ROUNDS: vbmf (base, new) and als (new) at K=20 on ML-1M holdout:0.9, 20 iterations, 2 threads: median sweep of 2-20
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
for r in $(seq 1 $1); do
 for spec in $SPECS; do
  set -- ${spec/@/ }
  rm -f /tmp/vbab.json
  $1/bin/varec eval --data /work/shared/data/ml-1m --algo $2 --protocol holdout:0.9 --set rank=20 --set iterations=20 --threads 2 --seed $r -q --json /tmp/vbab.json >/dev/null 2>&1
  python3 -c "
import json;r=json.load(open('/tmp/vbab.json'))['runs'][0];h=r['history']
s=sorted(e['seconds'] for e in h[1:])
print('$1 $2', $r, round(r['fit_seconds'],3), round(s[len(s)//2]*1000,1), r['metrics']['rmse'])"
 done
done
