#!/bin/sh
# Builds the initramfs of the qemu kernel test: a gzipped cpio (newc) with
#   /bin/busybox (Debian's busybox-static) and its applet symlinks,
#   /bin/iotrace, every shared library ldd lists for it and the dynamic
#     loader, each at the path ldd shows,
#   /workloads/{iowork,models,readiness,ticker,flamepaths} (static),
#   /init (tests/kernel/init).
# usage: make-initramfs.sh OUT.cpio.gz IOTRACE WORKLOADS_DIR INIT
set -eu

[ $# -eq 4 ] || { echo "usage: $0 OUT.cpio.gz IOTRACE WORKLOADS_DIR INIT" >&2; exit 2; }
out=$1 iotrace=$2 workloads=$3 init=$4

fail() {
    echo "make-initramfs: $*" >&2
    exit 1
}

busybox=/bin/busybox
# Debian's /bin/busybox comes from busybox-static, or from the dynamically
# linked busybox package, which would need its libraries in the guest.
[ -x "$busybox" ] || fail "no $busybox: apt-get install --no-install-recommends busybox-static"
if ldd "$busybox" >/dev/null 2>&1; then
    fail "$busybox is dynamically linked: apt-get install --no-install-recommends busybox-static"
fi
[ -x "$iotrace" ] || fail "no $iotrace (make all)"
[ -f "$init" ] || fail "no $init"

stage=$(mktemp -d "${TMPDIR:-/tmp}/iotrace-initramfs.XXXXXX")
trap 'rm -rf "$stage" "$stage.cpio"' EXIT

mkdir -p "$stage/bin" "$stage/sbin" "$stage/usr/bin" "$stage/usr/sbin" \
    "$stage/proc" "$stage/sys" "$stage/dev" "$stage/tmp" "$stage/workloads"
cp "$busybox" "$stage/bin/busybox"
for applet in $("$busybox" --list-full); do
    [ -e "$stage/$applet" ] || ln -s /bin/busybox "$stage/$applet"
done

cp "$iotrace" "$stage/bin/iotrace"
# ldd lines: "libx.so.1 => /path/libx.so.1 (0x...)" and "/lib64/ld-linux-x86-64.so.2 (0x...)";
# linux-vdso has no file.
libs=$(ldd "$iotrace" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
[ -n "$libs" ] || fail "ldd lists no library for $iotrace (is it static?)"
for lib in $libs; do
    mkdir -p "$stage$(dirname "$lib")"
    cp -L "$lib" "$stage$lib"
done

for w in iowork models readiness ticker flamepaths; do
    [ -x "$workloads/$w" ] || fail "no $workloads/$w (make workloads)"
    if ldd "$workloads/$w" >/dev/null 2>&1; then fail "$workloads/$w is not static"; fi
    cp "$workloads/$w" "$stage/workloads/$w"
done

cp "$init" "$stage/init"
chmod 755 "$stage/init"

mkdir -p "$(dirname "$out")"
(cd "$stage" && find . | sort | "$busybox" cpio -o -H newc -R 0:0 > "$stage.cpio") ||
    fail "busybox cpio failed"
gzip -6 < "$stage.cpio" > "$out.tmp"
rm -f "$stage.cpio"
mv "$out.tmp" "$out"
