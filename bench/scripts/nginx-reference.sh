#!/usr/bin/env bash
# A static HTTP server to time next to the Blossom server (`bin/bench blossom --reference-url`):
# Debian's nginx (apt-get install nginx-light), one worker, sendfile on, bound to 127.0.0.1,
# serving DIR/root read-only except PUT (WebDAV) under /upload/. It hashes nothing and fsyncs
# nothing: what it costs is what any HTTP transfer costs on this machine.
#
#   bench/scripts/nginx-reference.sh start DIR [PORT]   # serve DIR/root on 127.0.0.1:PORT (default 7800)
#   bench/scripts/nginx-reference.sh stop DIR
#
# Then: bin/bench blossom --url ... --reference-url http://127.0.0.1:PORT --reference-root DIR/root
set -euo pipefail
cmd=${1:?usage: nginx-reference.sh start|stop DIR [PORT]}
dir=${2:?usage: nginx-reference.sh start|stop DIR [PORT]}
port=${3:-7800}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
case "$cmd" in
  start)
    command -v nginx >/dev/null || { echo "nginx is not installed: apt-get install nginx-light" >&2; exit 2; }
    mkdir -p "$dir/root/upload" "$dir/tmp"
    # started as root, the worker runs as nobody: it must be able to write the uploads
    chmod 0777 "$dir/root/upload"
    cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 64; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  server {
    listen 127.0.0.1:$port;
    root $dir/root;
    client_max_body_size 0;
    location /upload/ { dav_methods PUT; }
  }
}
CONF
    setsid nginx -p "$dir" -c "$dir/nginx.conf" >"$dir/stdout.log" 2>&1 &
    echo $! >"$dir/launcher.pid"
    for _ in $(seq 1 50); do
      if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
        echo "nginx on 127.0.0.1:$port (pid $(cat "$dir/launcher.pid")), root $dir/root"
        exit 0
      fi
      sleep 0.1
    done
    echo "nginx did not start; see $dir/error.log" >&2
    exit 1
    ;;
  stop)
    [ -f "$dir/launcher.pid" ] || { echo "no $dir/launcher.pid" >&2; exit 2; }
    kill "$(cat "$dir/launcher.pid")" 2>/dev/null || true
    rm -f "$dir/launcher.pid"
    ;;
  *)
    echo "usage: nginx-reference.sh start|stop DIR [PORT]" >&2
    exit 2
    ;;
esac
