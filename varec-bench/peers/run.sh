#!/usr/bin/env bash
# Side-by-side speed against peer programs on identical input, alternating peer and varec runs.
#   varec-bench/peers/run.sh [REPEATS]      (default 5; the README's speed table comes from 5)
#   VAREC_PEERS=libfm,spark,python,c        (default: all four groups of cases)
# For every case it runs the peer, then varec, REPEATS times in turn, each as a whole process under
# /usr/bin/time, and writes varec-bench/results/peers.md: medians of wall time, CPU time (user+sys)
# and peak RSS, the fit time each program reports, its test RMSE, and varec/peer ratios, with the
# load average before and after. Both sides read the same files written by 'varec data split --libfm'.
# Peers: libFM (built from source by build-libfm.sh), Spark MLlib's ALS (bin/varec-spark bench, in
# the same JVM as Spark from Maven), and when importable in python3 myFM and cornac
# (pip install myfm cornac); and a plain C biased-MF SGD loop (c/sgd_mf.c, gcc -O3 -march=native),
# the shape of cornac's Cython loop, as its stand-in where cornac cannot be installed.
# Peers that are missing are reported as skipped, never guessed.
# Data: $VAREC_DATA (default ../shared/data beside the repository) holding ml-100k/ and ml-1m/.
# Run it on an idle machine (load < 0.5): the script prints the load and refuses above
# $VAREC_MAX_LOAD (default 1.0) unless VAREC_MAX_LOAD is raised.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=$(cd "$here/../.." && pwd)
data=${VAREC_DATA:-$root/../shared/data}
repeats=${1:-5}
work=${VAREC_PEERS_WORK:-${TMPDIR:-/tmp}/varec-peers}
out="$root/varec-bench/results/peers"
mkdir -p "$work" "$out"
raw="$out/runs.tsv"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${load_before%% *}" -v m="${VAREC_MAX_LOAD:-1.0}" 'BEGIN{exit !(l>m)}'; then
  echo "peers: load average $load_before is above ${VAREC_MAX_LOAD:-1.0}; timings would mean little (set VAREC_MAX_LOAD to insist)" >&2
  exit 2
fi
varec="$root/bin/varec"
"$varec" --version >/dev/null   # builds the jar and the AOT caches once, outside the timings
"$varec" eval --help >/dev/null   # the cache of training commands (recorded from a training run)
VAREC_VECTOR=1 "$varec" eval --help >/dev/null 2>&1   # the same with the Vector API module (biasmf)
printf 'case\tprogram\trepeat\twall_s\tcpu_s\tpeak_rss_kb\tfit_s\trmse\n' > "$raw"

safe_name() { # a case name as a directory name ("90/10" must not make two directories)
  printf '%s' "$1" | tr -c 'A-Za-z0-9._=-' '_'
}
split() { # NAME DATASET PROTOCOL
  local dir="$work/$(safe_name "$1")"
  [ -f "$dir/split-1/train.libfm" ] && return
  "$varec" data split --data "$data/$2" --protocol "$3" --seed 42 --libfm --out "$dir" --force -q >/dev/null
}
timed() { # CASE PROGRAM REPEAT LOG -- COMMAND...: runs COMMAND under /usr/bin/time, keeps its output in LOG
  local c=$1 p=$2 r=$3 log=$4
  shift 5
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" >"$log" 2>&1
  read -r wall user sys rss < "$work/time"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t' "$c" "$p" "$r" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN{print u+s}')" "$rss" >> "$raw"
}
varec_row() { # JSON: fit seconds and RMSE from a varec result
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]; print("%s\t%s" % (r["fit_seconds"], r["metrics"]["rmse"]))' "$1" >> "$raw"
}
libfm_row() { # LOG: libFM prints no fit time of its own; its last "Test=" is the RMSE
  printf -- '-\t%s\n' "$(grep -o 'Test=[0-9.]*' "$1" | tail -1 | cut -d= -f2)" >> "$raw"
}

fm_case() { # CASE DATASET PROTOCOL ITERATIONS THREADS[:SWEEP[:tsv]]...: libFM, then varec with each setting, in turn
  # (":tsv": varec reads the split's TSV files with its own rating reader instead of the libFM files;
  # the same ratings, the same user and item one-hots)
  local c=$1 it=$4 ths=("${@:5}")
  split "$c-data" "$2" "$3"
  local s="$work/$(safe_name "$c-data")/split-1"
  for r in $(seq 1 "$repeats"); do
    echo "peers: $c, round $r/$repeats" >&2
    timed "$c" "libFM 1.4.4 MCMC" "$r" "$work/libfm.log" -- "$libfm" -task r -train "$s/train.libfm" -test "$s/test.libfm" \
      -meta "$s/groups.meta" -dim 1,1,8 -iter "$it" -method mcmc -init_stdev 0.1 -seed "$r"
    libfm_row "$work/libfm.log"
    for spec in "${ths[@]}"; do
      local th sweep input files name
      IFS=: read -r th sweep input <<< "$spec"
      sweep=${sweep:-coordinate}
      name="varec fm-mcmc, threads $th$([ "$sweep" = coordinate ] || echo ", sweep=$sweep")"
      if [ "$input" = tsv ]; then
        files=(--train "$s/train.tsv" --test "$s/test.tsv")
        name="$name, TSV reader"
      else
        files=(--format libfm --train "$s/train.libfm" --test "$s/test.libfm" --meta "$s/groups.meta")
      fi
      timed "$c" "$name" "$r" "$work/varec.log" -- "$varec" eval "${files[@]}" --algo fm-mcmc --set rank=8 \
        --set iterations="$it" --set sweep="$sweep" --threads "$th" --seed "$r" -q --json "$work/varec.json"
      varec_row "$work/varec.json"
    done
  done
}

python_case() { # CASE MODULE SCRIPT DATASET PROTOCOL VAREC-ARGS...: a python peer against varec on the same TSV split
  local c=$1 mod=$2 script=$3
  shift 3
  if ! python3 -c "import $mod" 2>/dev/null; then
    echo "peers: $c skipped: python3 has no module '$mod' (pip install $mod)" >&2
    printf '%s\t%s (not installed)\t-\t-\t-\t-\t-\t-\n' "$c" "$mod" >> "$raw"
    return
  fi
  split "$c-data" "$1" "$2"
  local s="$work/$(safe_name "$c-data")/split-1"
  shift 2
  for r in $(seq 1 "$repeats"); do
    echo "peers: $c, round $r/$repeats" >&2
    timed "$c" "$mod" "$r" "$work/py.log" -- python3 "$here/$script" "$s/train.tsv" "$s/test.tsv" "$r"
    tail -1 "$work/py.log" >> "$raw"     # the script's last line: fit seconds <TAB> rmse
    timed "$c" "varec $*" "$r" "$work/varec.log" -- "$varec" eval --train "$s/train.tsv" --test "$s/test.tsv" \
      "$@" --seed "$r" -q --json "$work/varec.json"
    varec_row "$work/varec.json"
  done
}

spark_case() { # CASE DATASET PROTOCOL ITERATIONS: Spark MLlib's ALS (local[2], via bin/varec-spark bench) against als
  local c=$1 it=$4
  if [ ! -f "$root/varec-spark/pom.xml" ]; then
    printf '%s\t%s\t-\t-\t-\t-\t-\t-\n' "$c" "Spark MLlib ALS (no varec-spark module)" >> "$raw"
    return
  fi
  split "$c-data" "$2" "$3"
  local s="$work/$(safe_name "$c-data")/split-1"
  [ -f "$s/train.csv" ] || { echo "user,item,rating"; cut -f1-3 "$s/train.tsv" | tr '\t' ,; } > "$s/train.csv"
  for r in $(seq 1 "$repeats"); do
    echo "peers: $c, round $r/$repeats" >&2
    # the bench fits N and 2 iterations (its per-iteration figure is the difference); the fit
    # column is the N-iteration fit, the wall time includes both fits and Spark's start
    timed "$c" "Spark MLlib ALS, local[2]" "$r" "$work/spark.log" -- "$root/bin/varec-spark" bench --master 'local[2]' \
      --data "$s/train.csv" --iters "$it" --rank 10 --blocks 2 --algos mllib
    printf '%s\t-\n' "$(sed -n 's/^mllib *fit([0-9]*) \([0-9.]*\) s.*/\1/p' "$work/spark.log")" >> "$raw"
    timed "$c" "varec als, threads 2" "$r" "$work/varec.log" -- "$varec" eval --train "$s/train.tsv" --test "$s/test.tsv" \
      --algo als --set rank=10 --set iterations="$it" --threads 2 --seed "$r" -q --json "$work/varec.json"
    varec_row "$work/varec.json"
  done
}

c_case() { # CASE DATASET PROTOCOL K EPOCHS LR REG: the C SGD loop (file order, then shuffled once) against biasmf
  local c=$1 k=$4 ep=$5 lr=$6 reg=$7 sgd
  if ! sgd=$("$here/c/build.sh"); then
    printf '%s\t%s\t-\t-\t-\t-\t-\t-\n' "$c" "C SGD loop (no gcc)" >> "$raw"
    return
  fi
  split "$c-data" "$2" "$3"
  local s="$work/$(safe_name "$c-data")/split-1"
  for r in $(seq 1 "$repeats"); do
    echo "peers: $c, round $r/$repeats" >&2
    for order in file shuffled; do
      local flag=()
      [ "$order" = shuffled ] && flag=(--shuffle)
      timed "$c" "C SGD loop, $order order" "$r" "$work/c.log" -- "$sgd" "$s/train.tsv" "$s/test.tsv" "$k" "$ep" "$lr" "$reg" "${flag[@]}"
      tail -1 "$work/c.log" >> "$raw"   # fit seconds <TAB> rmse
    done
    for th in 1 2; do
      timed "$c" "varec biasmf, threads $th" "$r" "$work/varec.log" -- "$varec" eval --train "$s/train.tsv" --test "$s/test.tsv" \
        --algo biasmf --set rank="$k" --set epochs="$ep" --set learning_rate="$lr" --set reg="$reg" --set reg_bias="$reg" \
        --set decay=1 --threads "$th" --seed "$r" -q --json "$work/varec.json"
      varec_row "$work/varec.json"
    done
  done
}

cases=${VAREC_PEERS:-libfm,spark,python,c}
if [[ ",$cases," == *,libfm,* ]]; then
  libfm=$("$here/build-libfm.sh")   # only when its cases run: the other peers need no network
fm_case "fm-mcmc ML-100K 90/10 d=8 200 it" ml-100k holdout:0.9 200 1 2 1:block 2:block 2:block:tsv
fm_case "fm-mcmc ML-1M 80/20 d=8 100 it" ml-1m holdout:0.8 100 1 2 1:block 2:block 2:block:tsv
fi
if [[ ",$cases," == *,spark,* ]]; then
spark_case "als vs Spark MLlib ALS, ML-1M 90/10 rank 10 20 it" ml-1m holdout:0.9 20
fi
if [[ ",$cases," == *,python,* ]]; then
python_case "fm-mcmc vs myFM, ML-1M 80/20 rank 8 100 it" myfm myfm_run.py ml-1m holdout:0.8 --algo fm-mcmc --set rank=8 --set iterations=100 --threads 2
python_case "biasmf vs cornac MF, ML-1M 90/10 k=10 20 epochs" cornac cornac_run.py ml-1m holdout:0.9 --algo biasmf --threads 2
fi

if [[ ",$cases," == *,c,* ]]; then
c_case "biasmf vs C SGD loop, ML-1M 90/10 k=10 20 epochs lr 0.01 reg 0.02" ml-1m holdout:0.9 10 20 0.01 0.02
fi

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
python3 "$here/table.py" "$raw" "$load_before" "$load_after" "$repeats" > "$root/varec-bench/results/peers.md"
cat "$root/varec-bench/results/peers.md"
