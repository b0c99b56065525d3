#!/usr/bin/env bash
# Issue 14's fourth pass: the 3-split ablation table at the new defaults (entry dropout), one thread,
# nice 10; start/end with the load in dr-abl-runs.txt. usage: dr-abl.sh JAR ROW [--set ...]
# (abl.sh with the prefix dr: the same command and files)
exec "$(cd "$(dirname "$0")" && pwd)/abl.sh" dr "$@"
