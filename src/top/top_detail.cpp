// The detail pane (Enter): the selected process's diagnosis over its window,
// every finding with its figures, its threads, its busiest fds and a
// histogram of its wait latencies.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "report/format.h"
#include "report/readiness_section.h"
#include "top/columns.h"
#include "top/render_parts.h"

namespace iotrace {
namespace {

std::string figure_value(double v) {
    if (v == std::floor(v) && std::fabs(v) < 1e15) return v < 0 ? fmt::format("{}", v) : group_digits(static_cast<uint64_t>(v));
    return std::fabs(v) < 1 ? fmt::format("{:.3f}", v) : fixed_grouped(v, 2);
}

// bpftrace's hist labels: 1, 2, ..., 512, 1K, ..., 512K, 1M, ...
std::string pow2_label(int i) {
    static const char* units[] = {"", "K", "M", "G", "T"};
    return fmt::format("{}{}", uint64_t{1} << (i % 10), units[i / 10]);
}

void add_wrapped(std::vector<Line>& out, const std::string& text, int cols, const std::string& first,
                 const std::string& rest, uint8_t attr = kAttrNormal) {
    for (auto& l : wrap(text, cols, first, rest)) out.push_back({std::move(l), attr});
}

void add_diagnosis(std::vector<Line>& out, const Diagnosis& d, int cols) {
    const Model& m = d.model;
    out.push_back({fmt::format("IO model: {} ({} confidence)", model_label(m), m.confidence), kAttrBold});
    for (const std::string& e : m.evidence) add_wrapped(out, e, cols, "  ", "    ");
    if (d.findings.empty()) {
        out.push_back({"findings: none"});
        return;
    }
    out.push_back({"findings, worst first:", kAttrBold});
    for (const Finding& f : d.findings) {
        add_wrapped(out, fmt::format("[{}] {}: {}", f.severity, f.id, f.text), cols, "  ", "      ");
        std::string figs;
        for (const auto& [name, v] : f.figures) figs += fmt::format("{}{} {}", figs.empty() ? "" : ", ", name, figure_value(v));
        if (!figs.empty()) add_wrapped(out, figs, cols, "      ", "      ", kAttrDim);
    }
}

void add_threads(std::vector<Line>& out, const ProcessStats& w, double span) {
    if (w.threads.size() < 2) return;
    out.push_back({fmt::format("threads active in the window ({}):", w.threads.size()), kAttrBold});
    out.push_back({fmt::format("  {:>7} {:<16} {:>7} {:>7} {:<13} {}", "TID", "COMMAND", "WAITS/s", "RECV/s", "MODEL",
                               "FINDING")});
    for (const ThreadStats& t : w.threads) {
        std::string model = model_label(t.diagnosis.model) + (t.diagnosis.model.confidence == "low" ? "*" : "");
        out.push_back({fmt::format("  {:>7} {:<16} {:>7} {:>7} {:<13} {}", t.tid, t.comm,
                                   compact_number(span > 0 ? t.waits / span : 0),
                                   compact_number(span > 0 ? t.recv / span : 0), model,
                                   t.diagnosis.findings.empty() ? "-" : t.diagnosis.findings.front().id)});
    }
}

void add_fds(std::vector<Line>& out, const ProcessStats& w) {
    auto top = busiest_fds(w, 10);
    if (top.empty()) {
        out.push_back({"busiest fds: none reported by a wait in the window"});
        return;
    }
    out.push_back({fmt::format("busiest fds ({} of {} reported in the window):", top.size(), w.fds.size()), kAttrBold});
    out.push_back({fmt::format("  {:>6} {:<8} {:<7} {:>9} {:>9} {:>11}  {}", "FD", "KIND", "TRIGGER", "REPORTED", "READS",
                               "BYTES", "PEER")});
    for (const FdStats* f : top) {
        std::string where = !f->peer.empty() ? f->peer : (!f->local.empty() ? "listening " + f->local : "");
        out.push_back({fmt::format("  {:>6} {:<8} {:<7} {:>9} {:>9} {:>11}  {}", f->fd, f->kind, f->trigger,
                                   group_digits(f->reported), group_digits(f->reads), group_digits(f->bytes), where)});
    }
}

void add_histogram(std::vector<Line>& out, const ProcessStats& w, int cols) {
    std::array<uint64_t, IOT_HIST_SLOTS> h{};
    uint64_t total = 0;
    for (int s = IOT_SELECT; s <= IOT_EPOLL_PWAIT2; ++s)
        for (size_t b = 0; b < h.size(); ++b) {
            h[b] += w.syscalls[static_cast<size_t>(s)].hist_log2_ns[b];
            total += w.syscalls[static_cast<size_t>(s)].hist_log2_ns[b];
        }
    if (total == 0) {
        out.push_back({"wait latency: no wait in the window"});
        return;
    }
    out.push_back({fmt::format("wait latency, ns ({} waits in the window, log2 buckets):", group_digits(total)), kAttrBold});
    size_t lo = 0, hi = h.size() - 1;
    while (h[lo] == 0) ++lo;
    while (h[hi] == 0) --hi;
    uint64_t most = *std::max_element(h.begin(), h.end());
    // "  [512K, 1M)  |#####   | 1,234  12.3%"
    int bar = std::max(10, cols - 45);
    for (size_t b = lo; b <= hi; ++b) {
        std::string range = b + 1 == h.size() ? fmt::format("[{}, ...)", pow2_label(static_cast<int>(b)))
                                              : fmt::format("[{}, {})", b == 0 ? "0" : pow2_label(static_cast<int>(b)),
                                                            pow2_label(static_cast<int>(b) + 1));
        auto len = static_cast<int>(std::llround(static_cast<double>(h[b]) * bar / static_cast<double>(most)));
        if (h[b] > 0 && len == 0) len = 1;
        out.push_back({fmt::format("  {:<12} |{:<{}}| {:>11} {:>6}", range, std::string(static_cast<size_t>(len), '#'),
                                   bar, group_digits(h[b]), percent(h[b], total))});
    }
}

}  // namespace

std::vector<Line> TopRender::detail(const TopState& s, int cols) {
    std::vector<Line> out;
    if (s.shown_.empty()) return {{"no process selected"}};
    const Row& r = s.shown_[s.sel_];
    const ProcessStats* w = s.windows_.window_of(r.pid);
    double span = s.windows_.span_s(r.pid);
    std::string who = fmt::format("PID {} {}", r.pid, w != nullptr ? w->comm : r.comm);
    if (!r.user.empty()) who += fmt::format(" (user {})", r.user);
    if (r.exited) who += " (exited)";
    if (w == nullptr) {
        out.push_back({who, kAttrBold});
        out.push_back({"no figures: the process is gone"});
        return out;
    }
    out.push_back({fmt::format("{}: diagnosis over the last {:.1f} s", who, span), kAttrBold});
    add_diagnosis(out, w->diagnosis, cols);
    if (r.is_thread()) {
        auto t = std::find_if(w->threads.begin(), w->threads.end(), [&](const ThreadStats& x) { return x.tid == r.tid; });
        out.push_back({""});
        out.push_back({fmt::format("thread {} ({}):", r.tid, r.comm), kAttrBold});
        if (t == w->threads.end())
            out.push_back({"  no wait, receive or accept in the window"});
        else
            add_diagnosis(out, t->diagnosis, cols);
    }
    out.push_back({""});
    add_threads(out, *w, span);
    if (w->threads.size() >= 2) out.push_back({""});
    add_fds(out, *w);
    out.push_back({""});
    add_histogram(out, *w, cols);
    return out;
}

std::vector<std::string> wrap(const std::string& text, int width, const std::string& first, const std::string& rest) {
    std::vector<std::string> lines;
    std::string cur = first;
    bool empty = true;
    auto points = [](const std::string& t) {
        return static_cast<int>(std::count_if(t.begin(), t.end(), [](char c) { return (c & 0xC0) != 0x80; }));
    };
    size_t i = 0;
    while (i < text.size()) {
        size_t j = text.find(' ', i);
        if (j == std::string::npos) j = text.size();
        std::string word = text.substr(i, j - i);
        i = j + 1;
        if (word.empty()) continue;
        if (!empty && points(cur) + 1 + points(word) > width) {
            lines.push_back(cur);
            cur = rest;
            empty = true;
        }
        cur += (empty ? "" : " ") + word;
        empty = false;
    }
    if (!empty || lines.empty()) lines.push_back(cur);
    return lines;
}

}  // namespace iotrace
