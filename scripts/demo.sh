#!/bin/sh
# The README's first command: starts the reference article's select() server
# on loopback, puts it under a bounded load, traces it for a few seconds with
# iotrace and prints the report. Everything it starts, it stops.
set -eu
cd "$(dirname "$0")/.."
IOTRACE=${IOTRACE:-build/iotrace}
SECONDS_TRACED=${DEMO_SECONDS:-3}
tmp=$(mktemp -d)
server_pid=""
load_pid=""
cleanup() {
    [ -n "$load_pid" ] && kill "$load_pid" 2>/dev/null || true
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

python3 tests/servers/select_server.py --port 0 > "$tmp/server.out" &
server_pid=$!
i=0
until grep -q "listening on" "$tmp/server.out" 2>/dev/null; do
    i=$((i + 1)); [ $i -gt 100 ] && { echo "demo: the server did not start" >&2; exit 1; }
    sleep 0.05
done
port=$(sed -n 's/.*127.0.0.1:\([0-9]*\).*/\1/p' "$tmp/server.out")
echo "demo: select() echo server (tests/servers/select_server.py) pid $server_pid on 127.0.0.1:$port"

"$IOTRACE" -p "$server_pid" -d "$SECONDS_TRACED" -o "$tmp/report.txt" 2> "$tmp/iotrace.err" &
iotrace_pid=$!
i=0
until grep -q "iotrace: tracing" "$tmp/iotrace.err" 2>/dev/null; do
    if ! kill -0 "$iotrace_pid" 2>/dev/null; then cat "$tmp/iotrace.err" >&2; exit 1; fi
    i=$((i + 1)); [ $i -gt 200 ] && { echo "demo: iotrace did not start" >&2; exit 1; }
    sleep 0.05
done
cat "$tmp/iotrace.err"
echo "demo: 20 clients doing 64-byte round trips for ${SECONDS_TRACED}s..."
python3 tests/servers/load_client.py --port "$port" --conns 20 --seconds "$SECONDS_TRACED" > "$tmp/load.out" &
load_pid=$!
wait "$iotrace_pid"
wait "$load_pid" 2>/dev/null || true
load_pid=""
echo "demo: load client: $(cat "$tmp/load.out")"
echo
cat "$tmp/report.txt"
