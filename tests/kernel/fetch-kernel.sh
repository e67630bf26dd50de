#!/bin/sh
# Fetches Debian 12's own kernel for the qemu test (docs/architecture.md,
# "Debian 12's kernel in qemu"): the newest linux-image-6.1.0-N-amd64
# package that apt knows, downloaded with `apt-get download` (not installed)
# and its boot/ unpacked into DIR (default build/kernel). Prints the path of
# DIR/vmlinuz, a symlink to the unpacked boot/vmlinuz-6.1.0-N-amd64.
#
# A package already unpacked in DIR is re-used. When apt knows no such
# package, its lists are updated once (as root); failing that, the newest
# kernel already in DIR is used with a warning.
# usage: fetch-kernel.sh [DIR]
set -eu

dir=${1:-build/kernel}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

fail() {
    echo "fetch-kernel: $*" >&2
    exit 1
}

# linux-image-6.1.0-N-amd64 only: not -cloud, -rt, -dbg nor -unsigned.
newest() {
    apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' 2>/dev/null |
        cut -d' ' -f1 | sort -V | tail -n1
}
pkg=$(newest)
if [ -z "$pkg" ] && [ "$(id -u)" -eq 0 ]; then
    echo "fetch-kernel: apt knows no linux-image-6.1.0-N-amd64; running apt-get update" >&2
    apt-get update -qq >&2 || true
    pkg=$(newest)
fi

if [ -z "$pkg" ]; then
    cached=$(find "$dir" -maxdepth 1 -type d -name 'linux-image-6.1.0-*-amd64' | sort -V | tail -n1)
    [ -n "$cached" ] || fail "apt knows no package linux-image-6.1.0-N-amd64 and none is cached in $dir;
  run 'apt-get update' (as root, with access to Debian's mirror), then
  'apt-cache search linux-image-6.1.0' to see the packages, and retry."
    echo "fetch-kernel: apt knows no linux-image-6.1.0-N-amd64; using the cached $(basename "$cached")" >&2
    pkg=$(basename "$cached")
fi

tree="$dir/$pkg"
if ! ls "$tree"/boot/vmlinuz-* >/dev/null 2>&1; then
    echo "fetch-kernel: downloading $pkg" >&2
    tmp=$(mktemp -d "$dir/.fetch.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    # apt-get download writes into the current directory; as root it drops
    # to the _apt user, which must be able to write there.
    chmod 777 "$tmp"
    (cd "$tmp" && apt-get download -q "$pkg" >&2) ||
        fail "could not download $pkg; try by hand: apt-get update && cd $dir && apt-get download $pkg"
    deb=$(ls "$tmp"/*.deb)
    mkdir -p "$tmp/x"
    dpkg-deb -x "$deb" "$tmp/x" || fail "could not unpack $deb (dpkg-deb -x)"
    ls "$tmp"/x/boot/vmlinuz-* >/dev/null 2>&1 || fail "$deb holds no boot/vmlinuz-*"
    # Only the kernel image is kept: the modules are not needed (the test
    # uses nothing but built-in drivers) and are most of the package.
    rm -rf "$tree"
    mkdir -p "$tree/boot"
    cp "$tmp"/x/boot/vmlinuz-* "$tmp"/x/boot/config-* "$tree/boot/"
fi

set -- "$tree"/boot/vmlinuz-*
ln -sfn "$pkg/boot/$(basename "$1")" "$dir/vmlinuz"
echo "$dir/vmlinuz"
