#!/usr/bin/env bash
# fm-mcmc on the TSV split, old and new tree alternating: tree round wall cpu fit predict setup
S=${S:-/tmp/varec-peers/fm-mcmc_ML-1M_80_20_d=8_100_it-data/split-1}
IT=${IT:-100}
for r in $(seq 1 ${ROUNDS:-8}); do for root in "$@"; do
  /usr/bin/time -f "%e %U %S" -o /tmp/fmab.time $root/bin/varec eval --train $S/train.tsv --test $S/test.tsv --algo fm-mcmc --set rank=8 --set iterations=$IT --set sweep=block --threads 2 --seed $r -q --json /tmp/fmab.json >/dev/null
  read -r w u s < /tmp/fmab.time
  python3 -c "
import json;r=json.load(open('/tmp/fmab.json'))['runs'][0];h=r['history']
e=[x['seconds'] for x in h]
print('$root', $r, $w, round($u+$s,2), round(r['fit_seconds'],3), round(r['predict_seconds'],3), round(r['fit_seconds']-sum(e),3))"
done; done
