#!/bin/bash
# specab.sh ROUNDS A B: jars A.jar/B.jar with caches A-p.aot (short commands) and A-t.aot (eval), alternating
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; D=/work/exp/s27
F1="/tmp/varec-peers/fm-mcmc ML-100K 90/10 d=8 200 it-data/split-1"
ms() { local s=$(date +%s%N); "$@" >/dev/null 2>&1; local e=$(date +%s%N); echo $(( (e-s)/1000000 )); }
for r in $(seq 1 $1); do
  for v in $2 $3; do
    o="-Xlog:aot=off -Xlog:cds=off"
    a=$(ms $J -XX:AOTCache=$D/$v-p.aot $o -jar $D/$v.jar algos)
    h=$(ms $J -XX:AOTCache=$D/$v-t.aot $o -jar $D/$v.jar eval --help)
    m=$(ms $J -XX:AOTCache=$D/$v-t.aot $o -jar $D/$v.jar eval --data /work/shared/data/ml-100k --algo mean --protocol holdout:0.9 -q)
    f=$(ms $J -XX:AOTCache=$D/$v-t.aot $o -jar $D/$v.jar eval --format libfm --train "$F1/train.libfm" --test "$F1/test.libfm" --meta "$F1/groups.meta" --algo fm-mcmc --set rank=8 --set iterations=200 --threads 1 --seed 1 -q)
    echo "$(date -u +%T) $v algos=$a eval-help=$h mean100k=$m fm100k=$f"
  done
done
