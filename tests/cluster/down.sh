#!/usr/bin/env bash
# Stops the processes up.sh started, by the ids it recorded, and nothing else.
#   down.sh [--dir DIR] [--purge]   (--purge also removes DIR)
set -uo pipefail
cache=${PERSONAPACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-personapack}
dir="$cache/testenv"; purge=0
while [ $# -gt 0 ]; do
  case $1 in
    --dir) dir=$2; shift 2 ;;
    --purge) purge=1; shift ;;
    *) echo "down.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -f "$dir/pids" ] || exit 0
# gone PIDS...: true when none of them is alive (a zombie counts as gone).
gone() {
  local pid
  for pid in "$@"; do
    [ -e "/proc/$pid" ] && ! grep -q ') Z ' "/proc/$pid/stat" 2>/dev/null && return 1
  done
  return 0
}
# stop PIDS...: TERM, up to 10 s to exit, then KILL and wait.
stop() {
  [ $# -gt 0 ] || return 0
  kill -TERM "$@" 2>/dev/null
  for _ in $(seq 100); do gone "$@" && return 0; sleep 0.1; done
  kill -KILL "$@" 2>/dev/null
  for _ in $(seq 50); do gone "$@" && return 0; sleep 0.1; done
}
here=$(cd "$(dirname "$0")" && pwd)
# ours NAME_FILTER: the recorded pids still running what up.sh started (same
# start time); a recycled pid belongs to someone else and is left alone.
ours() {
  local name pid started
  while read -r name pid started; do
    [ "$1" = etcd ] && [ "$name" != etcd ] && continue
    [ "$1" != etcd ] && [ "$name" = etcd ] && continue
    if [ -n "$started" ] && [ "$("$here/proc-start.sh" "$pid")" = "$started" ]; then echo "$pid"; fi
  done < "$dir/pids"
}
# The API servers and controllers first, while etcd still answers (an API
# server shutting down without its etcd lingers), then etcd.
stop $(ours others)
stop $(ours etcd)
rm -f "$dir/pids" "$dir/env"
rm -rf "$dir/etcd"  # throwaway data; logs and pki stay for debugging
[ $purge = 1 ] && rm -rf "$dir"
exit 0
