#!/usr/bin/env bash
# Issue 14: the 3-split ablation table with K' = 40 (--set intermediate_rank=40) on the defaults, one thread,
# nice 10; start/end with the load in k40-abl-runs.txt. usage: k40-abl.sh JAR ROW [--set ...]
set -u
jar=$1; row=$2; shift 2
d=$(cd "$(dirname "$0")" && pwd)
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
echo "$(date -u +%H:%M:%S) start k40-abl_$row $* load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$d/k40-abl-runs.txt"
nice -n 10 $J --add-modules jdk.incubator.vector -jar "$jar" eval --data /work/shared/data/ml-1m --algo vaebmf \
    --protocol holdout:0.7,0.15,0.15x3 --seed 42 --threads 1 "$@" \
    --select rmse --patience 10 --restore-best --topn 20,50 --rank-candidates test \
    --json "$d/k40-abl_$row.json" > "$d/k40-abl_$row.log" 2>&1
echo "$(date -u +%H:%M:%S) end k40-abl_$row load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$d/k40-abl-runs.txt"
