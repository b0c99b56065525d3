#!/usr/bin/env bash
# Alternating biasmf fits of two or more trees on the harness's C-loop case (ML-1M 90/10, K = 10,
# 20 epochs, cornac's settings), TH threads (default 2): root, round, wall s, fit s, set-up ms
# (fit minus the epochs), first epoch ms, median epoch ms of epochs 2-20, test RMSE.
#   varec-bench/results/biasmf/fits-ab.sh OLD_TREE NEW_TREE        (ROUNDS=8 TH=2 by default)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
P=/tmp/varec-peers/biasmf_vs_C_SGD_loop__ML-1M_90_10_k=10_20_epochs_lr_0.01_reg_0.02-data/split-1
for r in $(seq 1 ${ROUNDS:-8}); do for root in "$@"; do
  t0=$(date +%s.%N)
  $root/bin/varec eval --train $P/train.tsv --test $P/test.tsv --algo biasmf --set rank=10 --set epochs=20 \
      --set learning_rate=0.01 --set reg=0.02 --set reg_bias=0.02 --set decay=1 --threads ${TH:-2} --seed $r \
      -q --json /tmp/bmab.json >/dev/null 2>&1
  t1=$(date +%s.%N)
  python3 -c "
import json;r=json.load(open('/tmp/bmab.json'))['runs'][0];h=r['history']
e=[x['seconds'] for x in h];s=sorted(e[1:])
print('$root', $r, round($t1-$t0,3), round(r['fit_seconds'],3), round((r['fit_seconds']-sum(e))*1000), round(e[0]*1000), round(s[len(s)//2]*1000,1), r['metrics']['rmse'])"
done; done
