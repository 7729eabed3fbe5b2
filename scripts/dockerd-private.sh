#!/usr/bin/env bash
# A private Docker engine for tests and CI (DESIGN.md §3): its own data, socket and pid under DIR,
# no iptables, no bridge, vfs storage. Needs root.
#   scripts/dockerd-private.sh start DIR   # prints: export DOCKER_HOST=unix://DIR/docker.sock
#   scripts/dockerd-private.sh stop DIR    # stops the engine started there, by its pid
set -euo pipefail

cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

case "$cmd" in
  start)
    if ! command -v dockerd >/dev/null 2>&1; then
      echo "dockerd-private: dockerd is not installed; on Debian: apt-get install -y docker.io" >&2
      exit 1
    fi
    mkdir -p "$dir"
    sock="$dir/docker.sock"
    dockerd --iptables=false --ip6tables=false --bridge=none --storage-driver=vfs \
      --data-root "$dir/data" --exec-root "$dir/exec" --pidfile "$dir/pid" \
      -H "unix://$sock" >"$dir/dockerd.log" 2>&1 &
    for _ in $(seq 1 60); do
      if DOCKER_HOST="unix://$sock" docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
        echo "export DOCKER_HOST=unix://$sock"
        exit 0
      fi
      sleep 0.5
    done
    echo "dockerd-private: the engine did not come up in 30 s; its log:" >&2
    tail -n 30 "$dir/dockerd.log" >&2 || true
    exit 1
    ;;
  stop)
    [ -f "$dir/pid" ] || exit 0
    pid=$(cat "$dir/pid")
    kill "$pid" 2>/dev/null || exit 0
    for _ in $(seq 1 40); do
      kill -0 "$pid" 2>/dev/null || exit 0
      sleep 0.5
    done
    echo "dockerd-private: engine $pid did not stop in 20 s; killing it" >&2
    kill -9 "$pid" 2>/dev/null || true
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
