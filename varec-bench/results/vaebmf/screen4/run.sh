#!/usr/bin/env bash
# One split-1 screen run of issue 14's fourth pass: bin/varec eval at the defaults plus the given --set
# options, one thread, nice 10, early stopping on the validation RMSE; start/end with the load in runs.txt.
# usage: [OUT=dir] run.sh JAR NAME [--set k=v ...]   (OUT: where the JSON, log and runs.txt go; this directory by default)
set -u
jar=$1; name=$2; shift 2
d=${OUT:-$(cd "$(dirname "$0")" && pwd)}
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
echo "$(date -u +%H:%M:%S) start $name $* load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$d/runs.txt"
nice -n 10 $J --add-modules jdk.incubator.vector -jar "$jar" eval --data /work/shared/data/ml-1m --algo vaebmf \
    --protocol holdout:0.7,0.15,0.15 --seed 42 --threads 1 --select rmse --patience 10 --restore-best \
    "$@" --json "$d/$name.json" > "$d/$name.log" 2>&1
res=$(grep -o 'rmse=.*' "$d/$name.log" | tail -1)
echo "$(date -u +%H:%M:%S) end $name load $(cut -d' ' -f1-3 /proc/loadavg)   $res" >> "$d/runs.txt"
