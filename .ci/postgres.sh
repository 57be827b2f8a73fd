#!/usr/bin/env bash
# Start a throw-away PostgreSQL server on 127.0.0.1 for the export and SQL-audit tests.
#
# Usage:
#   source .ci/postgres.sh          # installs/starts the server, exports RESERVE_TEST_PG_URL
#   .ci/postgres.sh                 # the same, and prints `export RESERVE_TEST_PG_URL=...`
#   .ci/postgres.sh stop            # stops the server this script started (by its data dir)
#
# The server runs as the `postgres` user when started by root (initdb refuses root), listens on
# 127.0.0.1 only (port RESERVE_PG_PORT, default 54329, or the next free one), trusts loopback
# connections (a test server, nothing else is in it) and keeps its data in a temporary folder
# recorded in /tmp/reserve-pg.current. Written to be sourced: no `set -e`, every step checked.

_reserve_pg_fail() {
    echo "postgres.sh: $*" >&2
    return 1
}

_reserve_pg_as_owner() {
    # Run a command as the server's owner: postgres when we are root, else ourselves.
    if [ "$(id -u)" = "0" ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

_reserve_pg_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$dir" ] && command -v pg_ctl >/dev/null 2>&1; then
        dir=$(dirname "$(command -v pg_ctl)")
    fi
    [ -n "$dir" ] || return 1
    echo "$dir"
}

_reserve_pg_install() {
    [ -n "$(_reserve_pg_bin)" ] && return 0
    [ "$(id -u)" = "0" ] || _reserve_pg_fail "PostgreSQL is not installed and we are not root" || return 1
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq postgresql >/dev/null \
        || _reserve_pg_fail "apt-get install postgresql failed" || return 1
}

_reserve_pg_free_port() {
    python3 - "$1" <<'PY'
import socket
import sys

port = int(sys.argv[1])
for candidate in range(port, port + 100):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", candidate))
        except OSError:
            continue
        print(candidate)
        break
PY
}

_reserve_pg_start() {
    local bin port base data
    _reserve_pg_install || return 1
    bin=$(_reserve_pg_bin) || _reserve_pg_fail "no pg_ctl found" || return 1
    # Sourced twice: reuse the server this script already started.
    base=$(cat /tmp/reserve-pg.current 2>/dev/null || true)
    if [ -n "$base" ] && [ -f "$base/port" ] \
        && _reserve_pg_as_owner "$bin/pg_ctl" -D "$base/data" status >/dev/null 2>&1; then
        port=$(cat "$base/port")
        export RESERVE_TEST_PG_DIR="$base"
        export RESERVE_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$port/reserve_test"
        echo "export RESERVE_TEST_PG_URL=$RESERVE_TEST_PG_URL"
        return 0
    fi
    port=$(_reserve_pg_free_port "${RESERVE_PG_PORT:-54329}" || true)
    [ -n "$port" ] || _reserve_pg_fail "no free port" || return 1
    base=$(mktemp -d /tmp/reserve-pg.XXXXXX) || return 1
    data="$base/data"
    if [ "$(id -u)" = "0" ]; then
        chown postgres: "$base" || return 1
    fi
    _reserve_pg_as_owner "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 \
        --locale=C.UTF-8 >"$base/initdb.log" 2>&1 \
        || _reserve_pg_fail "initdb failed, see $base/initdb.log" || return 1
    _reserve_pg_as_owner "$bin/pg_ctl" -D "$data" -l "$base/server.log" -w -t 60 \
        -o "-p $port -k $base -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null \
        || _reserve_pg_fail "the server did not start, see $base/server.log" || return 1
    _reserve_pg_as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres reserve_test \
        || _reserve_pg_fail "createdb failed" || return 1
    echo "$port" >"$base/port"
    echo "$base" >/tmp/reserve-pg.current
    export RESERVE_TEST_PG_DIR="$base"
    export RESERVE_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$port/reserve_test"
    echo "export RESERVE_TEST_PG_URL=$RESERVE_TEST_PG_URL"
}

_reserve_pg_stop() {
    local base bin
    base=${RESERVE_TEST_PG_DIR:-$(cat /tmp/reserve-pg.current 2>/dev/null || true)}
    bin=$(_reserve_pg_bin || true)
    [ -n "$base" ] && [ -d "$base/data" ] || _reserve_pg_fail "no server recorded" || return 1
    _reserve_pg_as_owner "$bin/pg_ctl" -D "$base/data" -m fast -w stop >/dev/null
    rm -rf "$base" /tmp/reserve-pg.current
}

if [ "${1:-start}" = "stop" ]; then
    _reserve_pg_stop
else
    _reserve_pg_start
fi
