#!/bin/bash
# run.sh NAME [--set ...]: vaebmf ML-1M split 1 (holdout:0.7,0.15,0.15, seed 42), selection on validation RMSE
n=$1; shift
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
echo "$(date -u +%T) start $n $* load $(cut -d' ' -f1 /proc/loadavg)" >> /work/exp/s27/wa/runs.txt
$J --add-modules jdk.incubator.vector -jar /work/exp/s27/wa/wa.jar eval --data /work/shared/data/ml-1m --algo vaebmf \
    --protocol holdout:0.7,0.15,0.15 --seed 42 --threads 2 "$@" --select rmse --patience 10 --restore-best \
    --json /work/exp/s27/wa/$n.json > /work/exp/s27/wa/$n.log 2>&1
echo "$(date -u +%T) end $n load $(cut -d' ' -f1 /proc/loadavg)" >> /work/exp/s27/wa/runs.txt
