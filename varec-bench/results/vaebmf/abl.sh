#!/usr/bin/env bash
# Issue 14: one 3-split ablation row, one thread, nice 10, as the fourth pass's dr-abl.sh ran them;
# writes PREFIX-abl_ROW.json and .log, start/end with the load in PREFIX-abl-runs.txt.
# usage: abl.sh PREFIX JAR ROW [--set ...]   e.g. abl.sh k50 varec.jar noatt --set intermediate_rank=50 --set attention=false
set -u
prefix=$1; jar=$2; row=$3; shift 3
d=$(cd "$(dirname "$0")" && pwd)
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
echo "$(date -u +%H:%M:%S) start $prefix-abl_$row $* load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$d/$prefix-abl-runs.txt"
nice -n 10 $J --add-modules jdk.incubator.vector -jar "$jar" eval --data /work/shared/data/ml-1m --algo vaebmf \
    --protocol holdout:0.7,0.15,0.15x3 --seed 42 --threads 1 "$@" \
    --select rmse --patience 10 --restore-best --topn 20,50 --rank-candidates test \
    --json "$d/$prefix-abl_$row.json" > "$d/$prefix-abl_$row.log" 2>&1
echo "$(date -u +%H:%M:%S) end $prefix-abl_$row load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$d/$prefix-abl-runs.txt"
