#!/bin/sh
# Installs the Debian 12 packages iotrace needs to build, test and run its demo.
# Idempotent: when everything is present it only checks and returns.
set -eu

# The last three lines: real servers and load tools the diagnosis tests run on
# loopback; qemu and busybox for the test on Debian 12's kernel (its kernel
# package is fetched by tests/kernel/fetch-kernel.sh, not installed);
# chromium, where tests/flame/viewers opens the flame outputs; Prometheus
# (promtool lints iotrace serve's metrics and checks the example rules) and
# the Python client's strict OpenMetrics parser, for the tests.
# tmux: the terminal the tests of iotrace top type into and read.
PKGS="make g++ gcc clang llvm bpftool libbpf-dev libelf-dev zlib1g-dev libfmt-dev
libcli11-dev nlohmann-json3-dev libgtest-dev libncurses-dev libdw-dev libc6-dev strace python3 tmux
nginx-light redis-server redis-tools wrk nodejs memcached golang-go apache2 socat
qemu-system-x86 busybox-static
chromium prometheus python3-prometheus-client"

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# npm installs the viewers tests/flame/viewers drives (speedscope). Debian's
# nodejs comes without it (package npm); NodeSource's provides it and
# conflicts with Debian's, so ask for the package only when the command is
# missing.
command -v npm >/dev/null 2>&1 || missing="$missing npm"
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages:$missing; run as root (sudo make deps)" >&2
    exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
