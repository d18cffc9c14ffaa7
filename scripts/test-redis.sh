#!/usr/bin/env bash
# The tests that use the cache (pytest -m cache), once more on a real Redis: a throwaway redis-server on
# 127.0.0.1 at a free port, nothing written to disk, stopped at the end. CI runs this (.ci/run); so can
# anyone with redis-server installed (`make test-redis`). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

if ! command -v redis-server >/dev/null; then
  if [ "$(id -u)" = "0" ]; then
    echo "redis-server saknas: installerar Debians paket redis-server."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server) >/dev/null
  else
    echo "redis-server saknas: installera Debians paket (apt-get install redis-server)." >&2
    exit 1
  fi
fi

port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
dir=$(mktemp -d)
redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir "$dir" --daemonize no \
  --logfile "$dir/redis.log" &
redis=$!
trap 'kill "$redis" 2>/dev/null; wait "$redis" 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 50); do
  redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG && break
  sleep 0.1
done
redis-cli -h 127.0.0.1 -p "$port" ping | grep -q PONG || { cat "$dir/redis.log" >&2; exit 1; }

# One process: a handful of tests, where starting workers would cost more than it saves.
CACHE_URL="redis://127.0.0.1:$port/0" TESTING=1 $PY -m pytest -q -p no:xdist -m cache -rs "$@"
