#!/usr/bin/env bash
# A throwaway three-node parrhesia cluster on this machine, for `bin/bench cluster`: one
# PostgreSQL 18 (bench/scripts/postgres.sh), one nats-server (Debian's package), three
# bin/parrhesia nodes on ws://127.0.0.1:PORT, PORT+1, PORT+2, all on loopback.
#
#   bench/scripts/cluster.sh start DIR [PORT]   # default PORT 7811; PostgreSQL on 5498, NATS on 4298
#   bench/scripts/cluster.sh stop DIR           # stops what start started, by the PIDs it wrote
#
# Then: bin/bench cluster --url ws://127.0.0.1:7811 --url ws://127.0.0.1:7812 --url ws://127.0.0.1:7813
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
root=$(cd "$here/../.." && pwd)
cmd=${1:?usage: cluster.sh start|stop DIR [PORT]}
dir=${2:?usage: cluster.sh start|stop DIR [PORT]}
port=${3:-7811}
pgport=5498
natsport=4298
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
case "$cmd" in
  start)
    "$here/postgres.sh" start "$dir/pg" "$pgport"
    command -v nats-server >/dev/null || { echo "nats-server is missing: apt-get install -y nats-server" >&2; exit 2; }
    nats-server -a 127.0.0.1 -p "$natsport" >"$dir/nats.log" 2>&1 &
    echo $! >"$dir/nats.pid"
    for i in 0 1 2; do
      p=$((port + i))
      "$root/bin/parrhesia" --port "$p" --data-dir "$dir/node$i" --store postgres \
        --postgres-url "jdbc:postgresql://127.0.0.1:$pgport/postgres?user=postgres" \
        --nats-url "nats://127.0.0.1:$natsport" --node-id "node$i" >"$dir/node$i.log" 2>&1 &
      echo $! >"$dir/node$i.pid"
      # One at a time: the first start may build the module.
      for _ in $(seq 1 600); do
        grep -q "listening on" "$dir/node$i.log" 2>/dev/null && break
        kill -0 "$(cat "$dir/node$i.pid")" 2>/dev/null || { echo "node$i exited; see $dir/node$i.log" >&2; exit 1; }
        sleep 0.2
      done
      echo "node$i: $(grep -o 'listening on [^ ]*' "$dir/node$i.log") (pid $(cat "$dir/node$i.pid"))"
    done
    ;;
  stop)
    for i in 0 1 2; do
      [ -f "$dir/node$i.pid" ] && { kill -TERM "$(cat "$dir/node$i.pid")" 2>/dev/null || true; rm -f "$dir/node$i.pid"; }
    done
    sleep 2
    [ -f "$dir/nats.pid" ] && { kill -TERM "$(cat "$dir/nats.pid")" 2>/dev/null || true; rm -f "$dir/nats.pid"; }
    "$here/postgres.sh" stop "$dir/pg"
    ;;
  *) echo "usage: cluster.sh start|stop DIR [PORT]" >&2; exit 2 ;;
esac
