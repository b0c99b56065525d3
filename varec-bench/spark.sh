#!/usr/bin/env bash
# varec-spark benchmarks (docs/spark.md), on each dataset below:
#  1. accuracy: one random 90/10 split (seed 42); varec's als and vbmf (bin/varec eval, 2 threads)
#     against VarecALS and VariationalALS (bin/varec-spark train, local[2]) with the same rank,
#     priors and sweeps;
#  2. speed: seconds per iteration of MLlib's ALS, VarecALS and VariationalALS (diagonal), rank 10,
#     one local[2] session, same cached ratings (bin/varec-spark bench).
#   varec-bench/spark.sh [SWEEPS [DATASET...]]     (default 10; ml-100k ml-1m synth-1m)
# Datasets: ml-100k ($VAREC_DATA/ml-100k/u.data; VAREC_DATA defaults to ../shared/data beside the
# repository), ml-1m ($VAREC_DATA/ml-1m/ratings.csv, the CSV form of ratings.dat) and synth-1m, an
# ML-1M-shaped synthetic file (6040 users, 3706 items, 1,000,209 ratings, whole stars) from
# 'varec data synth'. Split files go to
# ${TMPDIR:-/tmp}/varec-spark-bench (MovieLens files are never written into the repository).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
data=${VAREC_DATA:-$root/../shared/data}
sweeps=${1:-10}
shift || true
sets=("$@")
[ ${#sets[@]} -gt 0 ] || sets=(ml-100k ml-1m synth-1m)
work=${TMPDIR:-/tmp}/varec-spark-bench
mkdir -p "$work"

split() { # split SRC SEP OUTDIR: 90/10, seed 42, as user,item,rating CSV with a header
  mkdir -p "$3"
  python3 - "$1" "$2" "$3" <<'PY'
import random, sys
src, sep, out = sys.argv[1], sys.argv[2], sys.argv[3]
lines = open(src, encoding="latin-1").read().splitlines()
if lines and not lines[0].split(sep)[0].strip().isdigit():
    lines = lines[1:]
rows = [l.split(sep)[:3] for l in lines if l.strip()]
rnd = random.Random(42)
rnd.shuffle(rows)
cut = int(len(rows) * 0.9)
for name, part in (("train", rows[:cut]), ("test", rows[cut:])):
    with open(f"{out}/{name}.csv", "w") as f:
        f.write("user,item,rating\n")
        f.writelines(",".join(r) + "\n" for r in part)
PY
}

for ds in "${sets[@]}"; do
  dir="$work/$ds"
  case "$ds" in
    ml-100k) [ -f "$data/ml-100k/u.data" ] || { echo "spark.sh: no $data/ml-100k/u.data, skipping" >&2; continue; }
             split "$data/ml-100k/u.data" $'\t' "$dir" ;;
    ml-1m) [ -f "$data/ml-1m/ratings.csv" ] || { echo "spark.sh: no $data/ml-1m/ratings.csv, skipping" >&2; continue; }
           split "$data/ml-1m/ratings.csv" , "$dir" ;;
    synth-1m) [ -f "$work/synth-1m.csv" ] || "$root/bin/varec" data synth --users 6040 --items 3706 \
                --ratings 1000209 --grid stars --seed 1 --out "$work/synth-1m.csv" -q
              split "$work/synth-1m.csv" , "$dir" ;;
    *) echo "spark.sh: unknown dataset $ds" >&2; exit 2 ;;
  esac
  echo "== $ds: load $(uptime)"
  for algo in als vbmf; do
    set_args=(--set rank=10 --set iterations="$sweeps")
    [ "$algo" = vbmf ] && set_args+=(--set covariance=diagonal)
    echo "== $ds varec $algo (core, 2 threads)"
    "$root/bin/varec" eval --train "$dir/train.csv" --test "$dir/test.csv" --algo "$algo" "${set_args[@]}" \
      --seed 42 --threads 2 -q 2>&1 | grep -iE "rmse|mae|nlpd|cover" | head -5 || true
    echo "== $ds varec-spark $algo (local[2])"
    nice -n 10 "$root/bin/varec-spark" train --master 'local[2]' --data "$dir/train.csv" --test "$dir/test.csv" \
      --algo "$algo" "${set_args[@]}" --blocks 2 | tail -3
  done
  echo "== $ds speed (local[2], rank 10, $sweeps iterations)"
  nice -n 10 "$root/bin/varec-spark" bench --master 'local[2]' --data "$dir/train.csv" --iters "$sweeps" --rank 10 \
    --blocks 2
  echo "== $ds: load $(uptime)"
done
