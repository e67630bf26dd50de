#!/bin/sh
# Boots VMLINUZ with INITRD in qemu (TCG: no KVM needed) and writes the
# serial console to CONSOLE. The guest's /init (tests/kernel/init) powers it
# off when done; a guest still running after TIMEOUT seconds (default 240)
# is killed, and this script fails.
# usage: boot.sh VMLINUZ INITRD CONSOLE [TIMEOUT]
set -u

[ $# -ge 3 ] || { echo "usage: $0 VMLINUZ INITRD CONSOLE [TIMEOUT]" >&2; exit 2; }
vmlinuz=$1 initrd=$2 console=$3 limit=${4:-240}

qemu="qemu-system-x86_64"
command -v "$qemu" >/dev/null ||
    { echo "boot: no $qemu: apt-get install --no-install-recommends qemu-system-x86" >&2; exit 1; }
for f in "$vmlinuz" "$initrd"; do
    [ -r "$f" ] || { echo "boot: no $f" >&2; exit 1; }
done

rm -f "$console"
# -nographic with the serial port in a file and no monitor: qemu reads
# nothing from the terminal (stdin is /dev/null) and leaves it alone.
# panic=-1 and -no-reboot: a guest that panics (or whose init dies) ends
# qemu at once instead of rebooting; softlockup_panic=1 makes a CPU stuck in
# the kernel for 20 s such a panic (with its stack), not a 240 s timeout.
# One vCPU: once in a clean CI run, a 2-vCPU guest had iotrace spinning on
# CPU 1 while CPU 0's timer stopped firing (RCU: "timer wakeup didn't
# happen", "possible timer handling issue on cpu=0") - a cross-CPU wait
# (an IPI, as attaching and detaching probes make) that TCG never let
# finish. It did not recur in 11 boots, idle or loaded; with one vCPU there
# is no such wait.
timeout -k 10 "$limit" "$qemu" -accel tcg -cpu max -m 1024 -smp 1 \
    -nographic -monitor none -serial "file:$console" -no-reboot \
    -kernel "$vmlinuz" -initrd "$initrd" \
    -append "console=ttyS0 panic=-1 quiet softlockup_panic=1" </dev/null
rc=$?
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    echo "boot: the guest did not power off within ${limit}s (console: $console)" >&2
    exit 1
fi
[ "$rc" -eq 0 ] || { echo "boot: $qemu exited with $rc (console: $console)" >&2; exit 1; }
