#!/usr/bin/env bash
# alternating ALS fits of two trees: root, round, wall, fit, first epoch ms, steady epoch ms, rmse, last train_rmse
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
P=/tmp/varec-peers/als_vs_Spark_MLlib_ALS__ML-1M_90_10_rank_10_20_it-data/split-1
for r in $(seq 1 ${ROUNDS:-6}); do for root in "$@"; do
  t0=$(date +%s.%N)
  $root/bin/varec eval --train $P/train.tsv --test $P/test.tsv --algo als --set rank=10 --set iterations=20 --threads ${TH:-2} --seed $r -q --json /tmp/alsab.json >/dev/null 2>&1
  t1=$(date +%s.%N)
  python3 -c "
import json;r=json.load(open('/tmp/alsab.json'))['runs'][0];h=r['history']
s=sorted(e['seconds'] for e in h[8:])
print('$root', $r, round($t1-$t0,3), round(r['fit_seconds'],3), round(h[0]['seconds']*1000), round(sum(e['seconds'] for e in h[1:8])*1000), round(s[len(s)//2]*1000,1), r['metrics']['rmse'], h[-1]['figures']['train_rmse'] if 'figures' in h[-1] else h[-1].get('train_rmse'))"
done; done
