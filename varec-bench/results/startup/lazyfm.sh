#!/bin/bash
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; D=/work/exp/s27
F1="/tmp/varec-peers/fm-mcmc ML-100K 90/10 d=8 200 it-data/split-1"
for r in $(seq 1 $1); do
  for v in full lazy; do
    if [ $v = full ]; then jar=$D/aot2.jar; t=$D/t.aot; else jar=$D/lazy.jar; t=$D/lazy-t.aot; fi
    s=$(date +%s%N)
    $J -XX:AOTCache=$t -Xlog:aot=off -Xlog:cds=off -jar $jar eval --format libfm --train "$F1/train.libfm" --test "$F1/test.libfm" --meta "$F1/groups.meta" --algo fm-mcmc --set rank=8 --set iterations=200 --threads 1 --seed 1 -q --json /tmp/lz.json >/dev/null 2>&1
    e=$(date +%s%N)
    echo "$(date -u +%T) $v whole=$(( (e-s)/1000000 )) $(python3 -c "import json; r=json.load(open('/tmp/lz.json'))['runs'][0]; print('fit=%.3f predict=%.3f' % (r['fit_seconds'], r['predict_seconds']))")"
  done
done
