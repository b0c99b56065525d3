#!/usr/bin/env bash
# alternating runs of one workload (W=als|biasmf|fm100k|fm1m) with different VAREC_JAVA_OPTS: opts round wall fit
P1M=/tmp/varec-peers/als_vs_Spark_MLlib_ALS__ML-1M_90_10_rank_10_20_it-data/split-1
F100K=/tmp/varec-peers/$(ls /tmp/varec-peers | grep "ML-100K")/split-1
F1M=/tmp/varec-peers/fm-mcmc_ML-1M_80_20_d=8_100_it-data/split-1
case $W in
  als) args="--train $P1M/train.tsv --test $P1M/test.tsv --algo als --set rank=10 --set iterations=20 --threads 2" ;;
  biasmf) args="--train $P1M/train.tsv --test $P1M/test.tsv --algo biasmf --set rank=10 --set epochs=20 --set learning_rate=0.01 --set reg=0.02 --set reg_bias=0.02 --set decay=1 --threads ${TH:-2}" ;;
  fm100k) args="--format libfm --train $F100K/train.libfm --test $F100K/test.libfm --meta $F100K/groups.meta --algo fm-mcmc --set rank=8 --set iterations=200 --set sweep=block --threads 2" ;;
  fm100kt) args="--train $F100K/train.tsv --test $F100K/test.tsv --algo fm-mcmc --set rank=8 --set iterations=200 --set sweep=block --threads 2" ;;
  bpmf) args="--train $P1M/train.tsv --test $P1M/test.tsv --algo bpmf --set rank=10 --set iterations=30 --threads 2" ;;
  multvae) args="--data /work/shared/data/ml-100k --protocol holdout:0.9 --algo mult-vae --set epochs=10 --threads 2" ;;
  fm1m) args="--format libfm --train $F1M/train.libfm --test $F1M/test.libfm --meta $F1M/groups.meta --algo fm-mcmc --set rank=8 --set iterations=100 --set sweep=block --threads 2" ;;
esac
for r in $(seq 1 ${ROUNDS:-6}); do for o in "$@"; do
  t0=$(date +%s.%N)
  VAREC_JAVA_OPTS="$o" ${ROOT:-/work/main}/bin/varec eval $args --seed $r -q --json /tmp/optab.json >/dev/null 2>&1
  t1=$(date +%s.%N)
  python3 -c "
import json;r=json.load(open('/tmp/optab.json'))['runs'][0]
print('[$o]', $r, round($t1-$t0,3), round(r['fit_seconds'],3))"
done; done
