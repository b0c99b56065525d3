#!/usr/bin/env bash
# Builds the plain C SGD loop (sgd_mf.c) into varec-bench/peers/.build/sgd_mf; prints its path.
# gcc -O3 -march=native: what a Cython extension such as cornac's MF gets at best on this machine.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
out="$here/../.build/sgd_mf"
mkdir -p "$(dirname "$out")"
if [ ! -x "$out" ] || [ "$here/sgd_mf.c" -nt "$out" ]; then
  command -v gcc >/dev/null || { echo "build: gcc not found (apt install gcc)" >&2; exit 2; }
  gcc -O3 -march=native -o "$out" "$here/sgd_mf.c" -lm
fi
echo "$out"
