#!/usr/bin/env bash
# Load figures of 'varec serve' (docs/server.md): trains ML-1M als and vbmf models when missing
# (under varec-server/target/load/), then runs org.varec.server.LoadBench on loopback: for each
# model, recommendations of known users, fold-in of 5 ratings, predict batches of 100 pairs; N
# concurrent clients for S seconds each (default 16 and 10). Client and server share the machine.
#   varec-bench/server-load.sh [clients] [seconds]
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
# shellcheck source=bin/jdk.sh
. "$root/bin/jdk.sh"
varec_find_jdk
data=${VAREC_DATA:-$root/../shared/data}
out="$root/varec-server/target/load"
mkdir -p "$out"
for algo in als vbmf; do
  [ -f "$out/$algo.varec" ] || "$root/bin/varec" train --data "$data/ml-1m" --algo "$algo" --save "$out/$algo.varec" -q
done
(cd "$root" && mvn -q -B -ntp -o test-compile -pl varec-server -am \
  && mvn -q -B -ntp -o dependency:build-classpath -pl varec-server -Dmdep.outputFile="$out/cp.txt" >/dev/null)
cp="$root/varec-server/target/test-classes:$root/varec-server/target/classes:$(cat "$out/cp.txt")"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$JAVA_HOME/bin/java" -Xmx2g -cp "$cp" org.varec.server.LoadBench "$out/als.varec" "$out/vbmf.varec" "${1:-16}" "${2:-10}"
