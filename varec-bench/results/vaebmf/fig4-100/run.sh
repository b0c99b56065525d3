#!/bin/bash
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
cd /work/exp/fig4
run() { echo "$1 start $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)" >> runs.txt; $JAVA_HOME/bin/java --add-modules jdk.incubator.vector -jar varec.jar eval --data /work/shared/data/ml-1m --protocol holdout:0.7,0.15,0.15 --algo vaebmf --seed 42 --threads 1 --set preset=$1 --set epochs=100 --json preset_$1.json > preset_$1.log 2>&1; echo "$1 end $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)" >> runs.txt; }
run a & run b & wait
run c & run d & wait
run e
