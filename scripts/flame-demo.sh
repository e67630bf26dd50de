#!/bin/sh
# The README's flame graph (docs/flame.md): two echo servers on loopback
# under the same bounded load, traced together by `iotrace flame` for a few
# seconds: the reference article's select() server in Python
# (tests/servers/select_server.py) and the C epoll echo server of the
# benchmark (scripts/bench/echo_server.c). Writes docs/flame-demo.svg and a
# screenshot of it in headless Chromium, docs/flame-demo.png. Everything it
# starts, it stops. As root: sudo make flame-demo.
set -eu
cd "$(dirname "$0")/.."
IOTRACE=${IOTRACE:-build/iotrace}
SECONDS_TRACED=${DEMO_SECONDS:-3}
OUT=${FLAME_DEMO_OUT:-docs/flame-demo}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
tmp=$(mktemp -d)
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

wait_for() {  # FILE PATTERN WHAT
    i=0
    until grep -q "$2" "$1" 2>/dev/null; do
        i=$((i + 1)); [ $i -gt 200 ] && { echo "flame-demo: $3 did not start" >&2; cat "$1" >&2; exit 1; }
        sleep 0.05
    done
}

mkdir -p build/flame-demo
gcc -O2 -g -fno-omit-frame-pointer -o build/flame-demo/echo_server scripts/bench/echo_server.c

python3 tests/servers/select_server.py --port 0 > "$tmp/select.out" &
select_pid=$!
pids="$pids $select_pid"
build/flame-demo/echo_server --mode epoll --port 0 --max-seconds 60 > "$tmp/epoll.out" &
epoll_pid=$!
pids="$pids $epoll_pid"
wait_for "$tmp/select.out" "listening on" "the select server"
wait_for "$tmp/epoll.out" "echo_server pid" "the epoll server"
select_port=$(sed -n 's/.*127.0.0.1:\([0-9]*\).*/\1/p' "$tmp/select.out")
epoll_port=$(sed -n 's/.* port \([0-9]*\) .*/\1/p' "$tmp/epoll.out")

# shellcheck disable=SC2086
"$IOTRACE" flame -p "$select_pid,$epoll_pid" -d "$SECONDS_TRACED" -o "$OUT.svg" ${FLAME_DEMO_ARGS:-} 2> "$tmp/iotrace.err" &
iotrace_pid=$!
wait_for "$tmp/iotrace.err" "iotrace: tracing" "iotrace"
cat "$tmp/iotrace.err"
echo "flame-demo: 20 clients on each server, 64-byte round trips for ${SECONDS_TRACED}s..."
python3 tests/servers/load_client.py --port "$select_port" --conns 20 --seconds "$SECONDS_TRACED" > "$tmp/load1.out" &
pids="$pids $!"
python3 tests/servers/load_client.py --port "$epoll_port" --conns 20 --seconds "$SECONDS_TRACED" > "$tmp/load2.out" &
pids="$pids $!"
wait "$iotrace_pid"
sed 1d "$tmp/iotrace.err"  # its notes, if any
echo "flame-demo: wrote $OUT.svg"

if [ -x "$CHROMIUM" ]; then
    # --no-sandbox: as root Chromium's sandbox refuses to start
    height=$(sed -n 's/^<svg[^>]* height="\([0-9]*\)".*/\1/p' "$OUT.svg" | head -1)
    case "$OUT" in /*) abs=$OUT ;; *) abs=$(pwd)/$OUT ;; esac
    rm -f "$OUT.png"
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="1200,${height:-600}" \
        --screenshot="$abs.png" "file://$abs.svg" 2> "$tmp/chromium.err" || true
    [ -s "$OUT.png" ] || { echo "flame-demo: chromium made no screenshot:" >&2; cat "$tmp/chromium.err" >&2; exit 1; }
    echo "flame-demo: wrote $OUT.png"
else
    echo "flame-demo: no chromium: no screenshot (sudo make deps)" >&2
fi
