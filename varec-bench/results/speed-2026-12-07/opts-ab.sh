#!/usr/bin/env bash
# A/B of JVM options through bin/varec (VAREC_JAVA_OPTS), the settings alternating in each round:
# prints case, setting, round, wall s, fit s. SETTINGS is a space-separated list of settings, '@'
# standing for a space inside one (a setting without effect, e.g. -Dx=1, is the default), e.g.
#   SETTINGS="-Dx=1 -Xbatch" CASES="als bm fm" ROUNDS=4 opts-ab.sh
#   SETTINGS="-XX:CompileThresholdScaling=1 -XX:CompileThresholdScaling=0.3 -XX:CompileThresholdScaling=0.1" opts-ab.sh
# The splits are the harness's (varec-bench/peers/run.sh leaves them in /tmp/varec-peers).
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
V=$(cd "$(dirname "$0")/../../.." && pwd)/bin/varec
P=/tmp/varec-peers
ALS=$P/als_vs_Spark_MLlib_ALS__ML-1M_90_10_rank_10_20_it-data/split-1
BM=$P/biasmf_vs_C_SGD_loop__ML-1M_90_10_k=10_20_epochs_lr_0.01_reg_0.02-data/split-1
FM=$P/fm-mcmc_ML-100K_90_10_d=8_200_it-data/split-1
rounds=${ROUNDS:-5}
settings=${SETTINGS:-"-Dx=1"}
run() { # case setting round cmd...
  local c=$1 s=$2 r=$3; shift 3
  local t0=$(date +%s.%N)
  VAREC_JAVA_OPTS="${s//@/ }" "$@" -q --json /tmp/cts.json >/dev/null 2>/tmp/cts.err || { echo "FAIL $c $s"; cat /tmp/cts.err; }
  local t1=$(date +%s.%N)
  local fit=$(python3 -c "import json;d=json.load(open('/tmp/cts.json'));print(round(d['runs'][0]['fit_seconds'],3))" 2>/dev/null)
  printf '%s\t%s\t%s\t%.3f\t%s\n' "$c" "$s" "$r" "$(echo "$t1 - $t0" | bc)" "$fit"
}
for r in $(seq 1 $rounds); do
  for s in $settings; do
    case " ${CASES:-als bm fm} " in *" als "*) run als $s $r $V eval --train $ALS/train.tsv --test $ALS/test.tsv --algo als --set rank=10 --set iterations=20 --threads 2 --seed $r;; esac
    case " ${CASES:-als bm fm} " in *" bm "*) run bm1 $s $r $V eval --train $BM/train.tsv --test $BM/test.tsv --algo biasmf --set rank=10 --set epochs=20 --set learning_rate=0.01 --set reg=0.02 --set reg_bias=0.02 --set decay=1 --threads 1 --seed $r;; esac
    case " ${CASES:-als bm fm} " in *" fm "*) run fm2 $s $r $V eval --format libfm --train $FM/train.libfm --test $FM/test.libfm --meta $FM/groups.meta --algo fm-mcmc --set rank=8 --set iterations=200 --set sweep=block --threads 2 --seed $r;; esac
  done
done
