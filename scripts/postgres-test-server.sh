#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on 127.0.0.1 for the test suite and prints its URL.
# Usage: eval "$(scripts/postgres-test-server.sh start DIR PORT)"; ... ; scripts/postgres-test-server.sh stop DIR
# (`resume DIR PORT` starts a stopped or crashed server of DIR again).
# Installs Debian's postgresql package when missing. Runs the server as the `postgres` user
# when started as root (initdb refuses root). The unit-test server trades durability for speed
# (fsync off); with PG_DURABLE=1 it keeps PostgreSQL's durable defaults, for the crash drill.
set -euo pipefail
cmd=${1:?start|resume|stop}; dir=${2:?data directory}; port=${3:-55432}

pg_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$bin" ]; then
    echo "installing postgresql (apt-get)…" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  echo "$bin"
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start|resume)
    bin=$(pg_bin)
    speed="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [ "${PG_DURABLE:-}" = 1 ] && speed="-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
    if [ "$cmd" = start ]; then
      rm -rf "$dir"; mkdir -p "$dir"
      [ "$(id -u)" = 0 ] && chown postgres "$dir"
      as_owner "$bin/initdb" -D "$dir/data" -U kakehashi --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    # `resume` starts the same cluster again (after a crash: PostgreSQL replays its WAL).
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-h 127.0.0.1 -p $port -k $dir -c max_connections=400 $speed" start >&2 \
      || { cat "$dir/server.log" >&2; exit 1; }
    [ "$cmd" = start ] && as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U kakehashi kakehashi_test >&2
    echo "export TEST_DATABASE_URL=postgres://kakehashi@127.0.0.1:$port/kakehashi_test"
    ;;
  stop)
    bin=$(pg_bin)
    [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >&2 || true
    ;;
esac
