#!/bin/bash
# cpu.sh JAR ALGO EPOCHS THREADS [--set ...]: prints user+sys CPU seconds and per-epoch wall times
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; export PATH=$JAVA_HOME/bin:$PATH
jar=$1; algo=$2; ep=$3; th=$4; shift 4
l1=$(cut -d' ' -f1 /proc/loadavg)
out=$( { /usr/bin/time -f "CPU %U %S" nice -n 10 java --add-modules jdk.incubator.vector -jar $jar eval --data /work/shared/data/ml-1m --algo $algo --protocol holdout:0.7,0.15,0.15 --seed 42 --threads $th --set epochs=$ep "$@" ; } 2>&1 )
cpu=$(echo "$out" | grep "^CPU" | awk '{print $2+$3}')
walls=$(echo "$out" | grep -E "^\s+epoch" | awk '{print $3}' | tr -d s | tr '\n' ' ')
echo "$(date -u +%T) $(basename $jar) $algo ep=$ep th=$th $* cpu=$cpu load=$l1-$(cut -d' ' -f1 /proc/loadavg) walls: $walls"
