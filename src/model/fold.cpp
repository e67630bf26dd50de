#include "fold.h"

#include "syscalls.h"
#include "model/endpoint.h"

namespace iotrace {

void fold_percpu(const iot_proc* per_cpu, size_t ncpu, ProcessStats& out) {
    iot_proc sum{};
    sum_percpu(per_cpu, ncpu, sum);
    derive_families(sum, out);
}

void sum_percpu(const iot_proc* per_cpu, size_t ncpu, iot_proc& sum) {
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
        sum.wait_wakeups += v.wait_wakeups;
        sum.wait_cpu_ns += v.wait_cpu_ns;
        sum.lt_rereports_unread += v.lt_rereports_unread;
        sum.lt_rereports_partial += v.lt_rereports_partial;
        sum.write_rereports_unwritten += v.write_rereports_unwritten;
        sum.et_notifications += v.et_notifications;
        sum.et_undrained += v.et_undrained;
        sum.herd_rereports += v.herd_rereports;
        sum.et_stalls += v.et_stalls;
        sum.wait_zero_timeout += v.wait_zero_timeout;
        sum.recv_blocked += v.recv_blocked;
        sum.accept_blocked += v.accept_blocked;
        sum.wait_zero_timeout_empty += v.wait_zero_timeout_empty;
    }
}

void derive_families(const iot_proc& raw, ProcessStats& out) {
    out.waits = WaitStats{};
    out.recv = RecvStats{};
    out.send = SendStats{};
    out.accept = AcceptStats{};
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
        case SyscallFamily::Accept:
            out.accept.calls += r.calls;
            out.accept.eagain += r.eagain;
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
    out.waits.wakeups = raw.wait_wakeups;
    out.waits.cpu_ns = raw.wait_cpu_ns;
    out.readiness.lt_rereports_unread = raw.lt_rereports_unread;
    out.readiness.lt_rereports_partial = raw.lt_rereports_partial;
    out.readiness.lt_rereports = raw.lt_rereports_unread + raw.lt_rereports_partial;
    out.readiness.write_rereports_unwritten = raw.write_rereports_unwritten;
    out.readiness.et_notifications = raw.et_notifications;
    out.readiness.et_undrained = raw.et_undrained;
    out.readiness.herd_rereports = raw.herd_rereports;
    out.readiness.et_stalls = raw.et_stalls;
    out.waits.zero_timeout = raw.wait_zero_timeout;
    out.waits.zero_timeout_empty = raw.wait_zero_timeout_empty;
    out.recv.blocked = raw.recv_blocked;
    out.accept.blocked = raw.accept_blocked;
}

FdStats fd_from_raw(int fd, const iot_fd& raw) {
    FdStats f;
    f.fd = fd;
    f.kind = std::string(fd_kind_name(raw.kind));
    f.trigger = std::string(trigger_name(raw.trigger));
    f.oneshot = raw.oneshot != 0;
    if (raw.kind == IOT_KIND_TCP || raw.kind == IOT_KIND_TCP6 || raw.kind == IOT_KIND_UDP) {
        // tcp is AF_INET: only the first 4 bytes are its address (the rest may
        // hold a previous tcp6 socket's bytes when the number was reused).
        // udp is either family: tell by the bytes.
        bool v6 = raw.kind == IOT_KIND_TCP6 ||
                  (raw.kind == IOT_KIND_UDP && (is_v6_address(raw.local) || is_v6_address(raw.peer)));
        f.local = format_endpoint(raw.local, raw.local_port, v6);
        if (raw.peer_port != 0) f.peer = format_endpoint(raw.peer, raw.peer_port, v6);
    }
    f.reported = raw.reported;
    f.reads = raw.reads;
    f.bytes = raw.bytes;
    f.eagain = raw.eagain;
    f.drains = raw.drains;
    f.writes = raw.writes;
    f.lt_rereports_unread = raw.lt_rereports_unread;
    f.lt_rereports_partial = raw.lt_rereports_partial;
    f.lt_rereports = raw.lt_rereports_unread + raw.lt_rereports_partial;
    f.write_rereports = raw.write_rereports;
    f.et_notifications = raw.et_notifications;
    f.et_undrained = raw.et_undrained;
    f.herd_rereports = raw.herd_rereports;
    f.et_stalls = raw.et_stalls;
    return f;
}

}  // namespace iotrace
