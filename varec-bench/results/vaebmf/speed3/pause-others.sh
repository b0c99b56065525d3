#!/usr/bin/env bash
# pause-others.sh MARKER: keeps every other java process on the machine stopped (SIGSTOP) while
# /tmp/pause-others exists, except those whose command line, or the command line of one of their
# ancestors, contains MARKER (the measured runs, and whatever they start: the JDK's AOT-cache child
# of bin/varec, the maven build of bin/varec-spark, runs started by a script under MARKER); resumes
# them all when the file is removed. For quiet measurement windows on a shared machine.
marker=${1:?usage: pause-others.sh MARKER}
# whether process $1 or one of its ancestors has MARKER in its command line
kept() {
  local p=$1
  while [ -n "$p" ] && [ "$p" -gt 1 ]; do
    tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -q -- "$marker" && return 0
    p=$(ps -o ppid= -p "$p" 2>/dev/null | tr -d ' ')
  done
  return 1
}
touch /tmp/pause-others
while [ -f /tmp/pause-others ]; do
  for p in $(pgrep -f java); do
    kept "$p" || kill -STOP "$p" 2>/dev/null
  done
  sleep 0.5
done
for p in $(pgrep -f java); do kill -CONT "$p" 2>/dev/null; done
