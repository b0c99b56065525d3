#!/bin/bash
# fits-ab-k.sh K TH ROUNDS TREE...: alternating ALS fits on the harness's ML-1M 90/10 split, 20 iterations
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
P=/tmp/varec-peers/als_vs_Spark_MLlib_ALS__ML-1M_90_10_rank_10_20_it-data/split-1
k=$1; th=$2; rounds=$3; shift 3
for r in $(seq 1 $rounds); do for root in "$@"; do
  t0=$(date +%s.%N)
  $root/bin/varec eval --train $P/train.tsv --test $P/test.tsv --algo als --set rank=$k --set iterations=20 --threads $th --seed $r -q --json /tmp/alsk.json >/dev/null 2>&1
  t1=$(date +%s.%N)
  python3 -c "
import json;r=json.load(open('/tmp/alsk.json'))['runs'][0];h=r['history']
s=sorted(e['seconds'] for e in h[8:])
print('$root k=$k th=$th', $r, round($t1-$t0,3), round(r['fit_seconds'],3), round(h[0]['seconds']*1000), round(s[len(s)//2]*1000,1), r['metrics']['rmse'])"
done; done
