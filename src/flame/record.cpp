#include "flame/record.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "model/syscalls.h"
#include "model/diagnosis.h"
#include "report/format.h"

namespace iotrace::flame {
namespace {

const ProcessStats* find_pid(const Snapshot& s, int pid) {
    for (const ProcessStats& p : s.processes)
        if (p.pid == pid && p.group.processes == 0) return &p;
    return nullptr;
}

// The entry of `shown` that stands for pid: its own, or its group's (the
// group_processes rule: children of one parent with one comm, not targets).
struct Entry {
    const ProcessStats* shown = nullptr;
    bool grouped = false;
};

std::string plural(uint64_t n, const char* one, const char* many) {
    return group_digits(n) + " " + (n == 1 ? one : many);
}

}  // namespace

FlameInput cells_from_recording(const Recording& rec, const Snapshot& raw, const Snapshot& shown, bool per_process) {
    FlameInput in;
    // group members by (ppid, comm), as group_processes does
    std::map<std::pair<int, std::string>, std::vector<int>> members;
    if (!per_process)
        for (const ProcessStats& p : raw.processes)
            if (!p.target && p.ppid != 0) members[{p.ppid, p.comm}].push_back(p.pid);
    std::map<int, Entry> entries;
    auto entry_of = [&](int pid) -> Entry {
        auto it = entries.find(pid);
        if (it != entries.end()) return it->second;
        Entry e;
        const ProcessStats* p = find_pid(raw, pid);
        if (p && !per_process && !p->target && p->ppid != 0) {
            const auto& m = members[{p->ppid, p->comm}];
            if (m.size() >= 2) {
                int lowest = *std::min_element(m.begin(), m.end());
                for (const ProcessStats& s : shown.processes)
                    if (s.pid == lowest && s.group.processes > 0) e = {&s, true};
            }
        }
        if (!e.shown) e.shown = find_pid(shown, pid);
        entries[pid] = e;
        return e;
    };

    uint64_t cpu_lost = 0;
    for (const RawCell& rc : rec.cells) {
        int pid = static_cast<int>(rc.key.tgid);
        Entry e = entry_of(pid);
        FlameCell c;
        c.pid = pid;
        if (e.shown) {
            c.pid = e.shown->pid;
            c.ppid = e.shown->ppid;
            c.comm = e.shown->comm;
            c.group = e.shown->group.processes;
            c.model = model_label(e.shown->diagnosis.model);
        } else {
            c.comm = "?";
        }
        if (!e.grouped) {
            c.tid = static_cast<int>(rc.key.tid);
            c.thread_comm = c.comm;
            if (e.shown)
                for (const ThreadStats& t : e.shown->threads)
                    if (t.tid == c.tid) {
                        if (!t.comm.empty()) c.thread_comm = t.comm;
                        if (!t.diagnosis.model.name.empty()) c.model = model_label(t.diagnosis.model);
                    }
        }
        c.sys = static_cast<int>(rc.key.sys);
        if (rc.key.kind == IOT_FLAME_BAD_FD)
            c.fd_kind = "bad fd";
        else if (rc.key.kind != IOT_FLAME_NO_FD)
            c.fd_kind = std::string(fd_kind_name(rc.key.kind));
        if (rec.stacks)
            c.user_stack_id = rc.key.stack_id >= 0 ? rc.key.stack_id : kStackNotRecorded - rc.key.stack_id;
        c.time_ns = rc.val.time_ns;
        c.cpu_ns = rc.val.cpu_ns;
        c.calls = rc.val.calls;
        c.bytes = rc.val.bytes;
        cpu_lost += rc.val.cpu_lost;
        in.cells.push_back(std::move(c));
    }

    if (uint64_t n = rec.lost[IOT_FLAME_LOST_CELLS])
        in.notes.push_back(plural(n, "call", "calls") + " not counted: the kernel's table of " +
                           group_digits(rec.cells_max) + " cells was full");
    if (cpu_lost)
        in.notes.push_back("on-CPU time of " + plural(cpu_lost, "call", "calls") +
                           " not known (another thread shared its off-CPU slot): left out of cpu, as from the "
                           "report's waits.cpu_ns");
    uint64_t collided = rec.lost[IOT_FLAME_STACK_COLLIDED], full = rec.lost[IOT_FLAME_STACK_FULL],
             failed = rec.lost[IOT_FLAME_STACK_FAILED];
    if (collided)
        in.notes.push_back(plural(collided, "user stack", "user stacks") +
                           " not recorded: another stack held their slot of the stack table");
    if (full)
        in.notes.push_back(plural(full, "user stack", "user stacks") + " not recorded: the stack table (" +
                           group_digits(rec.stacks_max) + " stacks) was full");
    if (failed)
        in.notes.push_back(plural(failed, "user stack", "user stacks") + " not recorded: no user stack to walk");
    return in;
}

StackSymbolizer stack_symbolizer(Symbolizer& sym) {
    return [&sym](int pid, int64_t id) -> std::vector<std::string> {
        if (id >= kStackNotRecorded) return {"[user stack not recorded]"};
        std::vector<std::string> out;
        for (const SymbolFrame& f : sym.frames(pid, id)) out.push_back(f.name);
        return out;
    };
}

std::vector<std::string> truncation_notes(const std::vector<FlameCell>& cells, Symbolizer& sym) {
    struct Tally {
        uint64_t calls = 0, short_calls = 0;
    };
    std::map<std::string, Tally> by_binary;
    for (const FlameCell& c : cells) {
        if (c.user_stack_id < 0 || c.user_stack_id >= kStackNotRecorded) continue;
        std::vector<SymbolFrame> frames = sym.frames(c.pid, c.user_stack_id);
        if (frames.empty()) continue;
        std::string binary;
        for (const SymbolFrame& f : frames)  // root first: the outermost frame in a file
            if (!f.module.empty() && f.module[0] == '/' && !is_thread_entry(f.name)) {
                binary = f.module;
                break;
            }
        // A stack that ends in a shared library (the C library's wrapper,
        // itself without frame pointers) lost its caller's frame chain: the
        // caller is the program's code, as far as one can tell
        bool short_stack = frames.size() <= 2;
        if (short_stack && (binary.empty() || binary.find(".so") != std::string::npos)) {
            std::string exe = sym.executable(c.pid);
            if (!exe.empty()) binary = exe;
        }
        if (binary.empty()) continue;
        Tally& t = by_binary[binary];
        t.calls += c.calls;
        if (short_stack) t.short_calls += c.calls;
    }
    std::vector<std::string> notes;
    for (const auto& [binary, t] : by_binary)
        if (t.calls > 0 && 2 * t.short_calls > t.calls)
            notes.push_back("stacks of " + binary + " are truncated: built without frame pointers (" +
                            group_digits(t.short_calls) + " of " + plural(t.calls, "call", "calls") +
                            " have stacks of 1 or 2 frames)");
    return notes;
}

}  // namespace iotrace::flame
