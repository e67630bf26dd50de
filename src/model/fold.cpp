#include "fold.h"

#include "syscalls.h"

namespace iotrace {

void fold_percpu(const iot_proc* per_cpu, size_t ncpu, ProcessStats& out) {
    iot_proc sum{};
    for (size_t c = 0; c < ncpu; ++c) {
        const iot_proc& v = per_cpu[c];
        for (int s = 0; s < IOT_NR_SYS; ++s) {
            sum.sys[s].calls += v.sys[s].calls;
            sum.sys[s].errors += v.sys[s].errors;
            sum.sys[s].eagain += v.sys[s].eagain;
            sum.sys[s].time_ns += v.sys[s].time_ns;
            for (int b = 0; b < IOT_HIST_SLOTS; ++b) sum.sys[s].hist[b] += v.sys[s].hist[b];
        }
        sum.wait_empty += v.wait_empty;
        sum.wait_ready += v.wait_ready;
        sum.wait_watched += v.wait_watched;
        sum.wait_scanned += v.wait_scanned;
        sum.recv_bytes += v.recv_bytes;
        sum.recv_eof += v.recv_eof;
        sum.recv_short += v.recv_short;
        sum.send_bytes += v.send_bytes;
        sum.copy_wait_in += v.copy_wait_in;
        sum.copy_wait_out += v.copy_wait_out;
    }
    derive_families(sum, out);
}

void derive_families(const iot_proc& raw, ProcessStats& out) {
    out.waits = WaitStats{};
    out.recv = RecvStats{};
    out.send = SendStats{};
    for (int s = 0; s < IOT_NR_SYS; ++s) {
        const iot_sys_stats& r = raw.sys[s];
        SyscallStats& st = out.syscalls[s];
        st.calls = r.calls;
        st.errors = r.errors;
        st.eagain = r.eagain;
        st.time_ns = r.time_ns;
        for (int b = 0; b < IOT_HIST_SLOTS; ++b) st.hist_log2_ns[b] = r.hist[b];

        switch (syscall_info(s).family) {
        case SyscallFamily::Wait:
            out.waits.calls += r.calls;
            out.waits.time_ns += r.time_ns;
            break;
        case SyscallFamily::Recv:
            out.recv.calls += r.calls;
            out.recv.eagain += r.eagain;
            break;
        case SyscallFamily::Send:
            out.send.calls += r.calls;
            out.send.eagain += r.eagain;
            break;
        default:
            break;
        }
    }
    out.waits.empty = raw.wait_empty;
    out.waits.ready = raw.wait_ready;
    out.waits.watched = raw.wait_watched;
    out.waits.scanned = raw.wait_scanned;
    out.recv.bytes = raw.recv_bytes;
    out.recv.eof = raw.recv_eof;
    out.recv.short_reads = raw.recv_short;
    out.send.bytes = raw.send_bytes;
    out.copy.wait_in_bytes = raw.copy_wait_in;
    out.copy.wait_out_bytes = raw.copy_wait_out;
    out.copy.recv_bytes = raw.recv_bytes;
    out.copy.send_bytes = raw.send_bytes;
}

}  // namespace iotrace
