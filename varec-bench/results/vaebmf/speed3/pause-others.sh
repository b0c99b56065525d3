#!/usr/bin/env bash
# pause-others.sh MARKER: keeps every other java process on the machine stopped (SIGSTOP) while
# /tmp/pause-others exists, except those whose command line contains MARKER (the measured runs);
# resumes them all when the file is removed. For quiet measurement windows on a shared machine.
marker=${1:?usage: pause-others.sh MARKER}
touch /tmp/pause-others
while [ -f /tmp/pause-others ]; do
  for p in $(pgrep -f java); do
    if ! tr '\0' ' ' < /proc/$p/cmdline 2>/dev/null | grep -q -- "$marker"; then kill -STOP "$p" 2>/dev/null; fi
  done
  sleep 0.5
done
for p in $(pgrep -f java); do kill -CONT "$p" 2>/dev/null; done
