#!/usr/bin/env bash
# Builds libFM 1.4.x from its public source into varec-bench/peers/.build/libfm/bin/libFM.
#   varec-bench/peers/build-libfm.sh            # clones https://github.com/srendle/libfm
#   LIBFM_SRC=/path/to/libfm varec-bench/peers/build-libfm.sh   # a checkout (or a bare git dir) you have
# Needs g++ and make. Prints the binary's path.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
dest="$here/.build/libfm"
commit=30b9c799c41d043f31565cbf827bf41d0dc3e2ab   # srendle/libfm master, "Code cleanup: reorganize class declarations"
if [ -x "$dest/bin/libFM" ]; then
  echo "$dest/bin/libFM"
  exit 0
fi
command -v g++ >/dev/null && command -v make >/dev/null || { echo "build-libfm: needs g++ and make" >&2; exit 2; }
rm -rf "$dest" && mkdir -p "$dest"
src=${LIBFM_SRC:-}
if [ -z "$src" ]; then
  git clone -q https://github.com/srendle/libfm "$dest/git" >&2
  src="$dest/git"
fi
if [ -d "$src/src/libfm" ]; then
  cp -r "$src/src" "$dest/"
else # a bare repository (e.g. a mirror): take the pinned commit, or HEAD
  { git --git-dir="$src" archive "$commit" 2>/dev/null || git --git-dir="$src" archive HEAD; } | tar -x -C "$dest"
fi
make -s -C "$dest/src/libfm" >&2
echo "$dest/bin/libFM"
