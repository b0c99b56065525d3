#!/bin/bash
# lazyab.sh ROUNDS: whole tree (aot2.jar) against the lazy tree (lazy.jar), each with its own caches (algos cache for short commands, training cache for eval)
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; D=/work/exp/s27
F1="/tmp/varec-peers/fm-mcmc ML-100K 90/10 d=8 200 it-data/split-1"
ms() { local s=$(date +%s%N); "$@" >/dev/null 2>&1; local e=$(date +%s%N); echo $(( (e-s)/1000000 )); }
for r in $(seq 1 $1); do
  for v in full lazy; do
    if [ $v = full ]; then jar=$D/aot2.jar; p=$D/p.aot; t=$D/t.aot; else jar=$D/lazy.jar; p=$D/lazy-p.aot; t=$D/lazy-t.aot; fi
    o="-Xlog:aot=off -Xlog:cds=off"
    a=$(ms $J -XX:AOTCache=$p $o -jar $jar algos)
    h=$(ms $J -XX:AOTCache=$t $o -jar $jar eval --help)
    f=$(ms $J -XX:AOTCache=$t $o -jar $jar eval --format libfm --train "$F1/train.libfm" --test "$F1/test.libfm" --meta "$F1/groups.meta" --algo fm-mcmc --set rank=8 --set iterations=200 --threads 1 --seed 1 -q)
    echo "$(date -u +%T) $v algos=$a eval-help=$h fm100k=$f"
  done
done
