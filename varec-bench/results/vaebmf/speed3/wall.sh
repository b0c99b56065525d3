#!/bin/bash
# wall.sh JAR ALGO EPOCHS THREADS [--set ...]: one ML-1M eval (holdout:0.7,0.15,0.15, seed 42); prints the
# whole-process wall time, the median wall time of epochs 2..EPOCHS and every epoch's (not niced)
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
jar=$1; algo=$2; ep=$3; th=$4; shift 4
l1=$(cut -d' ' -f1 /proc/loadavg)
s=$(date +%s.%N)
out=$( { /usr/bin/time -f "CPU %U %S" $JAVA_HOME/bin/java --add-modules jdk.incubator.vector -jar $jar eval --data /work/shared/data/ml-1m --algo $algo --protocol holdout:0.7,0.15,0.15 --seed 42 --threads $th --set epochs=$ep "$@" ; } 2>&1 )
e=$(date +%s.%N)
walls=$(echo "$out" | grep -E "^\s+epoch" | awk '{print $3}' | tr -d s | tr '\n' ' ')
med=$(echo "$out" | grep -E "^\s+epoch" | awk 'NR>1{print $3}' | tr -d s | sort -n | awk '{a[NR]=$1}END{print (NR%2?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2)}')
rmse=$(echo "$out" | grep -iE "rmse" | tail -1)
echo "$(date -u +%T) $(basename $jar) $algo ep=$ep th=$th $* whole=$(echo "$e - $s" | bc) med=$med load=$l1 walls: $walls | $rmse"
