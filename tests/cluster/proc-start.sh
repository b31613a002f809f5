#!/usr/bin/env bash
# proc-start.sh PID: the process's start time (clock ticks since boot, field
# 22 of /proc/PID/stat), which with the pid identifies one process; empty if
# there is no such process.
stat=$(cat "/proc/$1/stat" 2>/dev/null) || exit 0
# Field 2 (the command name) may hold spaces: count from after its ')'.
rest=${stat##*) }
set -- $rest
echo "${20}"
