#!/bin/bash
# The collector A/B of docs/benchmarks.md (2026-12-07): G1 (the default) against -XX:+UseParallelGC,
# alternating, through bin/varec; columns: case, collector, fit s, wall s, CPU s, peak RSS KB, RMSE.
# D, M, A, B: the harness's split directories (varec-bench/peers/run.sh keeps them under $TMPDIR/varec-peers).
V=$(dirname "$0")/../../../bin/varec
D=${D:?the ML-100K split of the harness (libFM files)}; M=${M:?the ML-1M 80/20 split}
A=${A:?the ML-1M 90/10 split of the Spark case}
B=${B:?the ML-1M 90/10 split of the C case}
run() { # name opts args...
  local n=$1 o=$2; shift 2
  VAREC_JAVA_OPTS="$o" /usr/bin/time -f "%e %U %M" -o tm.txt $V "$@" -q --json g.json >/dev/null 2>&1
  python3 -c 'import json,sys;r=json.load(open("g.json"))["runs"][0]; print(sys.argv[1], sys.argv[2] or "G1", round(r["fit_seconds"],3), open("tm.txt").read().strip(), r["metrics"]["rmse"])' "$n" "$o"
}
for r in ${ROUNDS:-1 2 3}; do for o in "" "-XX:+UseParallelGC"; do
 run fm100k "$o" eval --format libfm --train $D/train.libfm --test $D/test.libfm --meta $D/groups.meta --algo fm-mcmc --set rank=8 --set iterations=200 --set sweep=block --threads 2 --seed $r
 [ -n "$NO1M" ] || run fm1m "$o" eval --format libfm --train $M/train.libfm --test $M/test.libfm --meta $M/groups.meta --algo fm-mcmc --set rank=8 --set iterations=100 --set sweep=block --threads 2 --seed $r
 run als "$o" eval --train $A/train.tsv --test $A/test.tsv --algo als --set rank=10 --set iterations=20 --threads 2 --seed $r
 run biasmf "$o" eval --train $B/train.tsv --test $B/test.tsv --algo biasmf --set rank=10 --set epochs=20 --set learning_rate=0.01 --set reg=0.02 --set reg_bias=0.02 --set decay=1 --threads 1 --seed $r
 run bpmf "$o" eval --data ${VAREC_DATA:?}/ml-100k --protocol holdout:0.9 --algo bpmf --threads 2 --seed $r
done; done
