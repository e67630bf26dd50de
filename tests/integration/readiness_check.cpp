#include "readiness_check.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <vector>

namespace itest {

Vars parse_vars(const std::string& out, int pid) {
    Vars v{{"pid", std::to_string(pid)}};
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream f(line);
        std::string tag, name, value;
        if (f >> tag >> name >> value && tag == "var") v[name] = value;
    }
    return v;
}

namespace {

// Replaces each {NAME} in s by the value of NAME.
std::string subst(const std::string& s, const Vars& vars) {
    std::string out;
    size_t i = 0;
    while (i < s.size()) {
        size_t open = s.find('{', i);
        if (open == std::string::npos) break;
        size_t close = s.find('}', open);
        if (close == std::string::npos) break;
        out += s.substr(i, open - i);
        std::string name = s.substr(open + 1, close - open - 1);
        auto it = vars.find(name);
        if (it == vars.end()) {
            ADD_FAILURE() << "the workload printed no var " << name;
            out += "?";
        } else {
            out += it->second;
        }
        i = close + 1;
    }
    return out + s.substr(std::min(i, s.size()));
}

}  // namespace

uint64_t num(const json& j, const std::string& key, const std::string& where) {
    if (!j.is_object() || !j.contains(key) || !j[key].is_number_unsigned()) {
        ADD_FAILURE() << where << "." << key << " missing or not an unsigned number";
        return UINT64_MAX;
    }
    return j[key].get<uint64_t>();
}

namespace {

std::string str(const json& j, const std::string& key, const std::string& where) {
    if (!j.is_object() || !j.contains(key) || !j[key].is_string()) {
        ADD_FAILURE() << where << "." << key << " missing or not a string";
        return "<missing>";
    }
    return j[key].get<std::string>();
}

bool boolean(const json& j, const std::string& key, const std::string& where) {
    if (!j.is_object() || !j.contains(key) || !j[key].is_boolean()) {
        ADD_FAILURE() << where << "." << key << " missing or not a boolean";
        return false;
    }
    return j[key].get<bool>();
}

// The keys of an object, sorted (the harness's json keeps no key order;
// the order is checked by the unit tests of the renderer).
std::vector<std::string> keys_of(const json& j) {
    std::vector<std::string> out;
    for (auto it = j.begin(); it != j.end(); ++it) out.push_back(it.key());
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

void expect_fd(const json& got, const FdExp& e, const Vars& vars) {
    const std::string w = "fds[fd " + std::to_string(e.fd) + "]";
    EXPECT_EQ(keys_of(got), sorted({"fd", "kind", "trigger", "oneshot", "local", "peer", "reported", "reads",
                                    "bytes", "eagain", "drains", "writes", "lt_rereports", "lt_rereports_unread",
                                    "lt_rereports_partial", "write_rereports", "et_notifications", "et_undrained",
                                    "et_stalls", "herd_rereports"}))
        << w << " keys";
    EXPECT_EQ(str(got, "kind", w), e.kind) << w << ".kind";
    EXPECT_EQ(str(got, "trigger", w), e.trigger) << w << ".trigger";
    EXPECT_EQ(boolean(got, "oneshot", w), e.oneshot) << w << ".oneshot";
    EXPECT_EQ(str(got, "local", w), subst(e.local, vars)) << w << ".local";
    EXPECT_EQ(str(got, "peer", w), subst(e.peer, vars)) << w << ".peer";
    EXPECT_EQ(num(got, "reported", w), e.reported) << w << ".reported";
    EXPECT_EQ(num(got, "reads", w), e.reads) << w << ".reads";
    EXPECT_EQ(num(got, "bytes", w), e.bytes) << w << ".bytes";
    EXPECT_EQ(num(got, "eagain", w), e.eagain) << w << ".eagain";
    EXPECT_EQ(num(got, "drains", w), e.drains) << w << ".drains";
    EXPECT_EQ(num(got, "writes", w), e.writes) << w << ".writes";
    EXPECT_EQ(num(got, "lt_rereports", w), e.lt_unread + e.lt_partial) << w << ".lt_rereports";
    EXPECT_EQ(num(got, "lt_rereports_unread", w), e.lt_unread) << w << ".lt_rereports_unread";
    EXPECT_EQ(num(got, "lt_rereports_partial", w), e.lt_partial) << w << ".lt_rereports_partial";
    EXPECT_EQ(num(got, "write_rereports", w), e.write_rereports) << w << ".write_rereports";
    EXPECT_EQ(num(got, "et_notifications", w), e.et_notifications) << w << ".et_notifications";
    EXPECT_EQ(num(got, "et_undrained", w), e.et_undrained) << w << ".et_undrained";
    EXPECT_EQ(num(got, "herd_rereports", w), e.herd) << w << ".herd_rereports";
    EXPECT_EQ(num(got, "et_stalls", w), e.et_stalls) << w << ".et_stalls";
}

// fds: exactly the expected entries, sorted by fd.
void expect_fds(const json& fds, const ReadinessExp& e, const Vars& vars) {
    ASSERT_TRUE(fds.is_array()) << "fds";
    std::vector<FdExp> want_fds = e.fds;
    std::sort(want_fds.begin(), want_fds.end(), [](const FdExp& a, const FdExp& b) { return a.fd < b.fd; });
    std::vector<int> got_numbers, want_numbers;
    for (const auto& f : fds) got_numbers.push_back(f.value("fd", -1));
    for (const auto& f : want_fds) want_numbers.push_back(f.fd);
    EXPECT_EQ(got_numbers, want_numbers) << "the fds entries (sorted by fd)";
    for (const FdExp& f : want_fds) {
        auto it = std::find_if(fds.begin(), fds.end(), [&](const json& j) { return j.value("fd", -1) == f.fd; });
        if (it == fds.end()) continue;  // reported above
        SCOPED_TRACE("fd " + std::to_string(f.fd));
        expect_fd(*it, f, vars);
    }
}

// threads: exactly the expected entries, sorted by tid.
void expect_threads(const json& threads, const ReadinessExp& e, const Vars& vars,
                    const std::set<std::string>& unavailable) {
    ASSERT_TRUE(threads.is_array()) << "threads";
    std::vector<std::pair<long, ThreadExp>> want_threads;
    for (const auto& t : e.threads) want_threads.emplace_back(std::stol(subst(t.tid, vars)), t);
    std::sort(want_threads.begin(), want_threads.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<long> got_tids, want_tids;
    for (const auto& t : threads) got_tids.push_back(t.value("tid", -1L));
    for (const auto& t : want_threads) want_tids.push_back(t.first);
    EXPECT_EQ(got_tids, want_tids) << "the threads entries (sorted by tid)";
    const bool waits_out = unavailable.count("threads.waits") > 0, recv_out = unavailable.count("threads.recv") > 0;
    for (const auto& [tid, t] : want_threads) {
        auto it = std::find_if(threads.begin(), threads.end(),
                               [&](const json& j) { return j.value("tid", -1L) == tid; });
        if (it == threads.end()) continue;
        const std::string where = "threads[" + t.tid + "=" + std::to_string(tid) + "]";
        EXPECT_EQ(keys_of(*it), sorted({"tid", "comm", "model", "findings", "waits", "wakeups", "ready", "recv",
                                        "select_waits", "poll_waits", "epoll_waits", "zero_timeout", "zero_timeout_empty", "recv_eagain",
                                        "recv_blocked", "accepts", "accept_blocked", "uring_enters"}))
            << where << " keys";
        EXPECT_EQ(str(*it, "comm", where), kReadinessWorkload) << where << ".comm";
        expect_figure(*it, "waits", t.waits, where, waits_out);
        expect_figure(*it, "ready", t.ready, where, waits_out);
        expect_figure(*it, "wakeups", t.wakeups, where, waits_out);
        expect_figure(*it, "recv", t.recv, where, recv_out);
    }
}

}  // namespace

void expect_readiness(const json& p, const ReadinessExp& e, const Vars& vars, const std::set<std::string>& unavailable) {
    expect_unavailable_list(p, unavailable);
    auto out = [&](const std::string& name) { return unavailable.count(name) > 0; };

    expect_syscalls(p.value("syscalls", json::object()), e.sys, unavailable);

    const json& w = p.value("waits", json::object());
    const bool wo = out("waits");
    expect_figure(w, "calls", e.waits.calls, "waits", wo);
    expect_figure(w, "empty", e.waits.empty, "waits", wo);
    expect_figure(w, "ready", e.waits.ready, "waits", wo);
    expect_figure(w, "wakeups", e.waits.wakeups, "waits", wo);
    if (wo || out("waits.cpu_ns")) {
        EXPECT_TRUE(w.contains("cpu_ns") && w["cpu_ns"].is_null()) << "waits.cpu_ns must be null";
    } else {
        uint64_t time_ns = num(w, "time_ns", "waits"), cpu_ns = num(w, "cpu_ns", "waits");
        EXPECT_LE(cpu_ns, time_ns) << "waits.cpu_ns must not exceed waits.time_ns";
        if (e.waits.calls > 0) {
            EXPECT_GT(cpu_ns, 0u) << "waits.cpu_ns";
        }
    }

    const json& r = p.value("recv", json::object());
    const bool ro = out("recv");
    expect_figure(r, "calls", e.recv.calls, "recv", ro);
    expect_figure(r, "bytes", e.recv.bytes, "recv", ro);
    expect_figure(r, "eagain", e.recv.eagain, "recv", ro);
    expect_figure(r, "eof", e.recv.eof, "recv", ro);
    expect_figure(r, "short", e.recv.short_, "recv", ro);

    const json& rd = p.value("readiness", json::object());
    const bool rdo = out("readiness");
    expect_figure(rd, "lt_rereports", e.readiness.unread + e.readiness.partial, "readiness", rdo);
    expect_figure(rd, "lt_rereports_unread", e.readiness.unread, "readiness", rdo);
    expect_figure(rd, "lt_rereports_partial", e.readiness.partial, "readiness", rdo);
    expect_figure(rd, "write_rereports_unwritten", e.readiness.write_unwritten, "readiness", rdo);
    expect_figure(rd, "et_notifications", e.readiness.et_notifications, "readiness", rdo);
    expect_figure(rd, "et_undrained", e.readiness.et_undrained, "readiness", rdo);
    expect_figure(rd, "herd_rereports", e.readiness.herd, "readiness", rdo);
    expect_figure(rd, "et_stalls", e.readiness.et_stalls, "readiness", rdo);

    if (out("fds")) {
        EXPECT_TRUE(p.contains("fds") && p["fds"].is_null()) << "fds must be null";
    } else {
        expect_fds(p.value("fds", json::array()), e, vars);
    }
    expect_threads(p.value("threads", json::array()), e, vars, unavailable);
}

}  // namespace itest
