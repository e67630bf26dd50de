// iotrace top on real processes: the JSON lines and the text of batch mode
// against workloads whose counts are known (tests/workloads/ticker.c: a
// timerfd loop, N waits and N reads at RATE a second), system-wide tracing
// that finds what it was not pointed at, -U, the stop conditions, a fork
// storm under a system-wide top (records and memory back to where they
// were), and the screen in tmux: rows, keys, the detail pane, resizes and
// the terminal given back on every way out.
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "harness.h"
#include "tmux.h"

namespace itest {
namespace {

using namespace std::chrono_literals;

// A ticker's rate as top shows it: RATE, unless the machine is so busy that
// the ticker ran late (a late timerfd read takes several expirations at once,
// so its loop falls behind). The median of several intervals is held close,
// each one loosely.
constexpr double kRateTolerance = 0.15;  // of RATE, for a median
constexpr double kRateSlack = 0.5;       // of RATE, for one interval

double median(std::vector<double> v) {
    if (v.empty()) return -1;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// The JSON objects among the lines of out (a launched command writes its
// own lines to the same stdout).
std::vector<json> json_lines(const std::string& out) {
    std::vector<json> lines;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line))
        if (!line.empty() && line[0] == '{') {
            json j = json::parse(line, nullptr, false);
            if (!j.is_discarded()) lines.push_back(std::move(j));
        }
    return lines;
}

size_t count_json_lines(const std::string& out) {
    size_t n = 0;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) n += !line.empty() && line[0] == '{' && line.back() == '}';
    return n;
}

const json* proc_in(const json& line, int pid) {
    for (const json& p : line["processes"])
        if (p.value("pid", 0) == pid) return &p;
    return nullptr;
}

uint64_t count_of(const json& proc, const char* name) {
    const json& c = proc["counts"][name];
    return c.is_number() ? c.get<uint64_t>() : 0;
}

// ---- batch outputs -------------------------------------------------------

struct ModelCase {
    const char* mode;
    const char* model;
};

class TopJson : public ::testing::TestWithParam<ModelCase> {};

// `iotrace top --json -- ticker MODE 100 200`: one line per refresh until
// the ticker exits (the last traced process: top stops after the refresh
// that shows it exited), the counts of its lines add up to exactly what it
// did, its rates are its rate, its model its model.
TEST_P(TopJson, CountsOverTheRefreshesAddUpToTheWorkload) {
    constexpr long kN = 200;
    std::vector<std::string> argv{iotrace_path(), "top", "--json", "-i", "0.3", "--"};
    for (const auto& a : ticker_argv(GetParam().mode, 100, kN)) argv.push_back(a);
    Child it(argv);
    ASSERT_TRUE(it.wait_exit(20s)) << it.err();
    ASSERT_EQ(it.exit_code(), 0) << it.err();
    const int pid = static_cast<int>(var_in(it.out(), "pid"));
    ASSERT_GT(pid, 0) << it.out();

    std::vector<json> lines = json_lines(it.out());
    ASSERT_GE(lines.size(), 5u) << it.out();  // 2 s at 0.3 s a refresh
    uint64_t waits = 0, ready = 0, empty = 0, recv = 0, bytes = 0, eagain = 0;
    size_t exited_lines = 0;
    double t_prev = 0;
    std::vector<double> wait_rates, recv_rates;
    for (size_t i = 0; i < lines.size(); ++i) {
        const json& l = lines[i];
        EXPECT_EQ(l.value("tool", ""), "iotrace");
        EXPECT_EQ(l.value("command", ""), "top");
        EXPECT_EQ(l.value("lost_events_total", 1), 0) << l.dump();
        EXPECT_GT(l.value("t_s", 0.0), t_prev);
        t_prev = l.value("t_s", 0.0);
        ASSERT_EQ(l["processes"].size(), 1u) << l.dump();  // only what -- launched
        const json* p = proc_in(l, pid);
        ASSERT_TRUE(p) << l.dump();
        EXPECT_EQ(p->value("comm", ""), "ticker");
        EXPECT_EQ(p->value("uid", -1), 0);
        waits += count_of(*p, "waits");
        ready += count_of(*p, "ready");
        empty += count_of(*p, "empty");
        recv += count_of(*p, "recv");
        bytes += count_of(*p, "recv_bytes");
        eagain += count_of(*p, "recv_eagain");
        bool exited = p->value("exited", false);
        exited_lines += exited;
        EXPECT_EQ(exited, i + 1 == lines.size()) << "line " << i << ": " << l.dump();
        EXPECT_EQ(l.value("traced_processes", 9), exited ? 0 : 1) << l.dump();
        // a whole interval of the loop: its rate (the first starts with the
        // launch, the last ends with the exit)
        if (i > 0 && i + 2 < lines.size()) {
            wait_rates.push_back(p->value("waits_per_s", 0.0));
            recv_rates.push_back(p->value("recv_per_s", 0.0));
            EXPECT_NEAR(wait_rates.back(), 100, 100 * kRateSlack) << l.dump();
            EXPECT_EQ(p->value("empty_pct", -1.0), 0.0) << l.dump();
            EXPECT_EQ(p->value("ready_per_wait", 0.0), 1.0) << l.dump();
        }
    }
    EXPECT_EQ(exited_lines, 1u);
    EXPECT_NEAR(median(wait_rates), 100, 100 * kRateTolerance);
    EXPECT_NEAR(median(recv_rates), 100, 100 * kRateTolerance);
    EXPECT_EQ(waits, static_cast<uint64_t>(kN));
    EXPECT_EQ(ready, static_cast<uint64_t>(kN));
    EXPECT_EQ(empty, 0u);
    EXPECT_EQ(recv, static_cast<uint64_t>(kN));
    EXPECT_EQ(bytes, static_cast<uint64_t>(8 * kN));
    EXPECT_EQ(eagain, 0u);
    EXPECT_EQ((*proc_in(lines.back(), pid)).value("model", ""), GetParam().model) << lines.back().dump();
}

INSTANTIATE_TEST_SUITE_P(Top, TopJson,
                         ::testing::Values(ModelCase{"epoll", "epoll-lt"}, ModelCase{"select", "select"},
                                           ModelCase{"poll", "poll"}),
                         [](const auto& info) { return std::string(info.param.mode); });

// Stdout not a terminal: batch text without -b, like top -b; -n stops it.
TEST(TopBatch, TextWhenStdoutIsNotATerminal) {
    Child tk = start_ticker(ticker_argv("poll", 50, 100000));
    Child it({iotrace_path(), "top", "-i", "0.3", "-n", "3", "-p", std::to_string(tk.pid())});
    ASSERT_TRUE(it.wait_exit(20s)) << it.err();
    ASSERT_EQ(it.exit_code(), 0) << it.err();
    const std::string& out = it.out();
    EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;  // no escape codes
    size_t headers = 0;
    for (size_t at = 0; (at = out.find("iotrace top - ", at)) != std::string::npos; ++at) ++headers;
    EXPECT_EQ(headers, 3u) << out;
    EXPECT_NE(out.find("COMMAND"), std::string::npos) << out;
    // the last refresh's row: pid, user, comm, model
    std::string last = out.substr(out.rfind("iotrace top - "));
    std::istringstream rows(last);
    std::string line;
    bool found = false;
    while (std::getline(rows, line)) {
        std::istringstream f(line);
        std::string pid, user, comm, model;
        f >> pid >> user >> comm >> model;
        if (pid != std::to_string(tk.pid())) continue;
        found = true;
        EXPECT_EQ(user, "root") << line;
        EXPECT_EQ(comm, "ticker") << line;
        EXPECT_EQ(model, "poll") << line;
    }
    EXPECT_TRUE(found) << out;
}

// ---- system-wide -----------------------------------------------------------

// No -p: a ticker started before iotrace, never named to it, is found at its
// first traced call, with its rate and model; iotrace itself is never listed.
TEST(TopSystemWide, FindsAWorkloadItWasNotPointedAt) {
    Child tk = start_ticker(ticker_argv("epoll", 100, 100000));
    Child it({iotrace_path(), "top", "--json", "-i", "0.5", "-n", "5"});
    ASSERT_TRUE(it.wait_exit(20s)) << it.err();
    ASSERT_EQ(it.exit_code(), 0) << it.err();
    auto tracing = it.err().find("iotrace: tracing every process");
    EXPECT_NE(tracing, std::string::npos) << it.err();
    std::vector<json> lines = json_lines(it.out());
    ASSERT_EQ(lines.size(), 5u) << it.out();
    size_t seen = 0;
    std::vector<double> rates;
    for (size_t i = 0; i < lines.size(); ++i) {
        EXPECT_EQ(proc_in(lines[i], it.pid()), nullptr) << "iotrace lists itself: " << lines[i].dump();
        EXPECT_GE(lines[i].value("traced_processes", 0), 1) << lines[i].dump();
        const json* p = proc_in(lines[i], tk.pid());
        if (!p) continue;
        ++seen;
        EXPECT_EQ(p->value("comm", ""), "ticker");
        EXPECT_FALSE(p->value("exited", true));
        if (i > 0) rates.push_back(p->value("waits_per_s", 0.0));
    }
    EXPECT_NEAR(median(rates), 100, 100 * kRateTolerance);
    EXPECT_EQ(seen, lines.size()) << "the ticker is in every refresh";
    const json* last = proc_in(lines.back(), tk.pid());
    ASSERT_TRUE(last);
    EXPECT_EQ(last->value("model", ""), "epoll-lt") << last->dump();
}

// -U: only that user's processes (real uid), by name or number; filtered in
// the kernel, so root's ticker is never counted.
TEST(TopSystemWide, OnlyUserShowsThatUsersProcessesOnly) {
    TempDir dir;
    Child mine = start_ticker(as_nobody(ticker_argv("epoll", 100, 100000, "tick_nobody", &dir)));
    Child root = start_ticker(ticker_argv("epoll", 100, 100000, "tick_root", &dir));
    const int mine_pid = static_cast<int>(var_in(mine.out(), "pid"));
    for (const std::string& user : {std::string("nobody"), std::to_string(kNobody)}) {
        Child it({iotrace_path(), "top", "--json", "-i", "0.4", "-n", "3", "-U", user});
        ASSERT_TRUE(it.wait_exit(20s)) << it.err();
        ASSERT_EQ(it.exit_code(), 0) << it.err();
        EXPECT_NE(it.err().find("of uid 65534"), std::string::npos) << it.err();
        std::vector<json> lines = json_lines(it.out());
        ASSERT_EQ(lines.size(), 3u) << it.out();
        for (const json& l : lines) {
            for (const json& p : l["processes"]) {
                EXPECT_EQ(p.value("uid", -1), kNobody) << p.dump();
                EXPECT_EQ(p.value("user", ""), "nobody") << p.dump();
                EXPECT_NE(p.value("comm", ""), "tick_root") << p.dump();
            }
        }
        const json* p = proc_in(lines.back(), mine_pid);
        ASSERT_TRUE(p) << lines.back().dump();
        EXPECT_EQ(p->value("comm", ""), "tick_nobody");
        EXPECT_NEAR(p->value("waits_per_s", 0.0), 100, 100 * kRateSlack) << p->dump();
    }
}

// A degraded load (a program the kernel refused, forced here): top warns as
// the report mode does, runs without it, and shows what it did count.
TEST(TopCli, DegradedLoadWarnsAndRuns) {
    std::vector<std::string> argv{iotrace_path(), "top", "--json", "-i", "0.3", "--fail-prog", "exit_select", "--"};
    for (const auto& a : ticker_argv("select", 100, 60)) argv.push_back(a);
    Child it(argv);
    ASSERT_TRUE(it.wait_exit(20s)) << it.err();
    ASSERT_EQ(it.exit_code(), 0) << it.err();
    EXPECT_NE(it.err().find("iotrace: warning: select readiness unavailable"), std::string::npos) << it.err();
    const int pid = static_cast<int>(var_in(it.out(), "pid"));
    uint64_t waits = 0;
    for (const json& l : json_lines(it.out())) {
        if (const json* p = proc_in(l, pid)) waits += count_of(*p, "waits");
    }
    EXPECT_EQ(waits, 60u) << it.out();  // the counts stay (exit_select_basic)
}

TEST(TopCli, UnknownUserIsAUsageError) {
    Child it({iotrace_path(), "top", "-U", "no-such-user-here", "-n", "1"});
    ASSERT_TRUE(it.wait_exit()) << it.err();
    EXPECT_EQ(it.exit_code(), 2) << it.err();
    EXPECT_NE(it.err().find("user 'no-such-user-here' does not exist (-U)"), std::string::npos) << it.err();
    EXPECT_EQ(it.err().find("iotrace: tracing"), std::string::npos) << it.err();
}

TEST(TopCli, MissingPidIsAnError) {
    Child it({iotrace_path(), "top", "-p", "4194000", "-n", "1"});
    ASSERT_TRUE(it.wait_exit()) << it.err();
    EXPECT_EQ(it.exit_code(), 1) << it.err();
    EXPECT_NE(it.err().find("pid 4194000 does not exist"), std::string::npos) << it.err();
}

// SIGTERM or SIGINT: a system-wide top ends at once (within the 100 ms it
// waits for keys or events at a time, plus detaching), exit 0.
class TopSignal : public ::testing::TestWithParam<int> {};

TEST_P(TopSignal, EndsSystemWideTopOnTime) {
    Child it({iotrace_path(), "top", "-b", "-i", "0.5"});
    ASSERT_TRUE(it.wait_err_prefix(kTracingPrefix)) << it.err();
    ASSERT_TRUE(it.wait_out([](const std::string& o) { return o.find("COMMAND") != std::string::npos; })) << it.err();
    it.signal(GetParam());
    auto sent = Clock::now();
    ASSERT_TRUE(it.wait_exit(1s)) << "still running 1 s after the signal\n" << it.err();
    EXPECT_EQ(it.exit_code(), 0) << it.err();
    std::printf("top ended %.3f s after the signal\n", std::chrono::duration<double>(Clock::now() - sent).count());
}

INSTANTIATE_TEST_SUITE_P(Top, TopSignal, ::testing::Values(SIGTERM, SIGINT),
                         [](const auto& info) { return std::string(info.param == SIGTERM ? "SIGTERM" : "SIGINT"); });

// -d: ends after SECONDS, with a last refresh for the time since the one before.
TEST(TopCli, DurationEndsItWithALastRefresh) {
    Child tk = start_ticker(ticker_argv("epoll", 100, 100000));
    Child it({iotrace_path(), "top", "--json", "-i", "0.4", "-d", "1", "-p", std::to_string(tk.pid())});
    ASSERT_TRUE(it.wait_exit(10s)) << it.err();
    EXPECT_EQ(it.exit_code(), 0) << it.err();
    std::vector<json> lines = json_lines(it.out());
    ASSERT_EQ(lines.size(), 3u) << it.out();  // 0.4, 0.8, 1.0
    EXPECT_NEAR(lines.back().value("t_s", 0.0), 1.0, 0.1);
}

// ---- a fork storm under a system-wide top ------------------------------

// The storm's server runs as nobody and top watches nobody only (-U): the
// children (each makes 3 recvfrom of 64 bytes) are everything it counts.
// While the storm goes on, thousands of processes go through the maps; after
// it, the number of traced processes and iotrace's memory come back to what
// they were, and every child's calls were counted or lost.
TEST(TopForkStorm, RecordsAndMemoryComeBackAfterTheStorm) {
    constexpr int kExchanges = 3;
    Child srv(as_nobody({workload("forkstorm"), "serve", std::to_string(kExchanges)}));
    ASSERT_TRUE(srv.wait_out_line("ready")) << srv.err();
    long port = var_in(srv.out(), "port");
    ASSERT_GT(port, 0);
    Child it({iotrace_path(), "top", "--json", "-i", "0.5", "-U", "nobody"});
    ASSERT_TRUE(it.wait_err_prefix(kTracingPrefix)) << it.err();
    auto lines_at_least = [&](size_t n) {
        return it.wait_out([n](const std::string& o) { return count_json_lines(o) >= n; });
    };
    ASSERT_TRUE(lines_at_least(4)) << it.err();
    const long rss_before = rss_kb(it.pid());
    // the server, once it has made a traced call (it was in ppoll at attach)
    const int traced_before = json_lines(it.out()).back().value("traced_processes", -1);

    Child cl({workload("forkstorm"), "client", std::to_string(port), std::to_string(kExchanges), "3",
              std::to_string(srv.pid()), "8"});
    long peak_rss = rss_before;
    while (!cl.wait_exit(200ms)) peak_rss = std::max(peak_rss, rss_kb(it.pid()));
    ASSERT_EQ(cl.exit_code(), 0) << cl.err();
    long connections = var_in(cl.out(), "connections");
    ASSERT_GT(connections, 100);
    ASSERT_TRUE(srv.wait_out_line("var children " + std::to_string(connections))) << srv.out();
    // the last exits, then the lingering rows and the diagnosis windows gone:
    // 8 refreshes, and on a busy machine until top has caught up with the
    // storm's exits (only the server's row left), then 2 more for the trim
    size_t now = count_json_lines(it.out());
    ASSERT_TRUE(lines_at_least(now + 8)) << it.err();
    ASSERT_TRUE(it.wait_out([](const std::string& o) {
        std::vector<json> ls = json_lines(o);
        return !ls.empty() && ls.back()["processes"].size() == 1;
    })) << json_lines(it.out()).back().dump();
    ASSERT_TRUE(lines_at_least(count_json_lines(it.out()) + 2)) << it.err();
    const long rss_after = rss_kb(it.pid());
    const std::string where = largest_mappings(it.pid());
    it.signal(SIGTERM);
    ASSERT_TRUE(it.wait_exit()) << it.err();
    EXPECT_EQ(it.exit_code(), 0) << it.err();

    std::vector<json> lines = json_lines(it.out());
    uint64_t recv = 0, lost = 0;
    for (const json& l : lines) {
        lost = l.value("lost_events_total", uint64_t{0});
        for (const json& p : l["processes"]) {
            EXPECT_EQ(p.value("uid", -1), kNobody) << p.dump();
            if (p.value("pid", 0) != srv.pid()) recv += count_of(p, "recv");
        }
    }
    const json& last = lines.back();
    std::printf("fork storm under top: %ld children; traced %d before, %d after; RSS %ld kB before, %ld kB at the "
                "peak, %ld kB after; lost %lu\n",
                connections, traced_before, last.value("traced_processes", -1), rss_before, peak_rss, rss_after,
                static_cast<unsigned long>(lost));
    EXPECT_LE(traced_before, 1);
    EXPECT_EQ(last.value("traced_processes", -1), 1) << last.dump();
    ASSERT_EQ(last["processes"].size(), 1u) << last.dump();  // the server
    EXPECT_EQ(last["processes"][0].value("pid", 0), srv.pid());
    EXPECT_LT(rss_after, rss_before + 8 * 1024) << "peak " << peak_rss << "; the largest mappings:\n" << where;
    // counted or lost, never short silently
    const uint64_t made = static_cast<uint64_t>(kExchanges) * static_cast<uint64_t>(connections);
    EXPECT_LE(recv, made);
    EXPECT_GE(recv + lost, made);
    srv.signal(SIGTERM);
    ASSERT_TRUE(srv.wait_exit());
}

// The same storm with top pointed at the server (-f -p): the children come
// and go, and the traced processes come back to the server alone. Following
// sizes the counter slots for storms (Tracer::proc_slot_count); a machine
// busy enough to leave user space 600 ms behind still loses calls, and
// then they are counted lost, never short silently.
TEST(TopForkStorm, FollowedChildrenComeAndGo) {
    constexpr int kExchanges = 3;
    Child srv({workload("forkstorm"), "serve", std::to_string(kExchanges)});
    ASSERT_TRUE(srv.wait_out_line("ready")) << srv.err();
    long port = var_in(srv.out(), "port");
    Child it({iotrace_path(), "top", "--json", "-i", "0.5", "-f", "-p", std::to_string(srv.pid())});
    ASSERT_TRUE(it.wait_err_prefix(kTracingPrefix)) << it.err();
    Child cl({workload("forkstorm"), "client", std::to_string(port), std::to_string(kExchanges), "2",
              std::to_string(srv.pid()), "8"});
    ASSERT_TRUE(cl.wait_exit()) << cl.err();
    long connections = var_in(cl.out(), "connections");
    ASSERT_TRUE(srv.wait_out_line("var children " + std::to_string(connections))) << srv.out();
    size_t now = count_json_lines(it.out());
    ASSERT_TRUE(it.wait_out([now](const std::string& o) { return count_json_lines(o) >= now + 3; })) << it.err();
    it.signal(SIGTERM);
    ASSERT_TRUE(it.wait_exit()) << it.err();
    std::vector<json> lines = json_lines(it.out());
    uint64_t recv = 0, children = 0, lost = lines.back().value("lost_events_total", uint64_t{0});
    for (const json& l : lines)
        for (const json& p : l["processes"])
            if (p.value("pid", 0) != srv.pid()) {
                recv += count_of(p, "recv");
                children += p.value("exited", false);
            }
    std::printf("followed fork storm under top: %ld children, %lu recv counted, lost %lu\n", connections,
                static_cast<unsigned long>(recv), static_cast<unsigned long>(lost));
    EXPECT_EQ(lines.back().value("traced_processes", -1), 1) << lines.back().dump();
    EXPECT_EQ(children, static_cast<uint64_t>(connections));
    const uint64_t made = static_cast<uint64_t>(kExchanges) * static_cast<uint64_t>(connections);
    if (lost == 0) {
        EXPECT_EQ(recv, made);
    } else {
        EXPECT_LE(recv, made);
        EXPECT_GE(recv + lost, made);
    }
    srv.signal(SIGTERM);
    ASSERT_TRUE(srv.wait_exit());
}

// ---- the screen, in tmux --------------------------------------------------

// The row of the screen that lists pid, split into fields; empty if none.
std::vector<std::string> row_of(const std::string& screen, int pid) {
    std::istringstream in(screen);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream f(line);
        std::vector<std::string> fields;
        for (std::string w; f >> w;) fields.push_back(w);
        if (!fields.empty() && fields[0] == std::to_string(pid)) return fields;
    }
    return {};
}

// The column titles line's fields.
std::vector<std::string> titles_of(const std::string& screen) {
    std::istringstream in(screen);
    std::string line;
    while (std::getline(in, line))
        if (line.find("PID") != std::string::npos && line.find("COMMAND") != std::string::npos) {
            std::istringstream f(line);
            std::vector<std::string> out;
            for (std::string w; f >> w;) out.push_back(w);
            return out;
        }
    return {};
}

// The value under title in pid's row (both split on blanks: the tickers'
// rows have no blank inside a field).
double figure(const std::string& screen, int pid, const std::string& title) {
    auto t = titles_of(screen);
    auto r = row_of(screen, pid);
    auto at = std::find(t.begin(), t.end(), title);
    if (at == t.end() || r.size() != t.size()) return -1;
    return std::stod(r[static_cast<size_t>(at - t.begin())]);
}

bool above(const std::string& screen, const std::string& a, const std::string& b) {
    auto pa = screen.find(a), pb = screen.find(b);
    return pa != std::string::npos && pb != std::string::npos && pa < pb;
}

struct TwoTickers {
    TempDir dir;
    Child fast = start_ticker(ticker_argv("epoll", 100, 100000, "tick_epoll", &dir));
    Child slow = start_ticker(ticker_argv("select", 40, 100000, "tick_select", &dir));
    std::string pids() const { return std::to_string(fast.pid()) + "," + std::to_string(slow.pid()); }
};

// The screen of two tickers: their rows, rates and models; the keys of
// top and htop; the detail pane; a resize to 80x24; q gives the terminal
// back.
TEST(TopScreen, RowsKeysDetailResizeAndQuit) {
    TwoTickers tk;
    Tmux tm(120, 40);
    tm.type(iotrace_path() + " top -i 0.5 -p " + tk.pids(), true);
    std::string s;
    auto both_rated = [&](const std::string& scr) {
        return figure(scr, tk.fast.pid(), "WAITS/s") > 80 && figure(scr, tk.slow.pid(), "WAITS/s") > 30 &&
               scr.find("epoll-lt") != std::string::npos;
    };
    ASSERT_TRUE(tm.wait_for(both_rated, 15000ms, &s)) << s;
    EXPECT_TRUE(tm.alternate_on());
    EXPECT_NE(s.find("iotrace top - "), std::string::npos) << s;
    EXPECT_NE(s.find("processes: 2 traced"), std::string::npos) << s;
    EXPECT_NEAR(figure(s, tk.fast.pid(), "WAITS/s"), 100, 100 * kRateSlack) << s;
    EXPECT_NEAR(figure(s, tk.slow.pid(), "WAITS/s"), 40, 40 * kRateSlack) << s;
    auto fast_row = row_of(s, tk.fast.pid()), slow_row = row_of(s, tk.slow.pid());
    ASSERT_GE(fast_row.size(), 4u) << s;
    ASSERT_GE(slow_row.size(), 4u) << s;
    EXPECT_EQ(fast_row[1], "root");
    EXPECT_EQ(fast_row[2], "tick_epoll");
    EXPECT_EQ(fast_row[3].rfind("epoll-lt", 0), 0u) << s;
    EXPECT_EQ(slow_row[2], "tick_select");
    EXPECT_EQ(slow_row[3].rfind("select", 0), 0u) << s;
    // sorted by WAITS/s, biggest first
    EXPECT_NE(s.find("sort: WAITS/s"), std::string::npos) << s;
    EXPECT_TRUE(above(s, "tick_epoll", "tick_select")) << s;

    // R: reversed, at once
    tm.keys({"R"});
    ASSERT_TRUE(tm.wait_for([](const std::string& x) { return above(x, "tick_select", "tick_epoll"); }, 5000ms, &s))
        << s;
    tm.keys({"R"});
    // < and >: the previous and the next column
    tm.keys({"<"});
    ASSERT_TRUE(tm.wait_for_text("sort: MODEL", 5000ms, &s)) << s;
    tm.keys({">", ">"});
    ASSERT_TRUE(tm.wait_for_text("sort: RDY/W", 5000ms, &s)) << s;
    tm.keys({"<"});
    ASSERT_TRUE(tm.wait_for_text("sort: WAITS/s", 5000ms, &s)) << s;

    // / filters by command; Esc clears
    tm.keys({"/"});
    tm.type("select");
    tm.keys({"Enter"});
    ASSERT_TRUE(tm.wait_for([](const std::string& x) {
        return x.find("tick_select") != std::string::npos && x.find("tick_epoll") == std::string::npos;
    }, 5000ms, &s)) << s;
    EXPECT_NE(s.find("filter: \"select\""), std::string::npos) << s;
    tm.keys({"Escape"});
    ASSERT_TRUE(tm.wait_for([](const std::string& x) {
        return x.find("tick_select") != std::string::npos && x.find("tick_epoll") != std::string::npos;
    }, 5000ms, &s)) << s;

    // H: a row per thread (the tickers have one each: tid = pid)
    tm.keys({"H"});
    ASSERT_TRUE(tm.wait_for_text("threads (H)", 5000ms, &s)) << s;
    EXPECT_FALSE(row_of(s, tk.fast.pid()).empty()) << s;
    tm.keys({"H"});
    ASSERT_TRUE(tm.wait_for([](const std::string& x) { return x.find("threads (H)") == std::string::npos; }, 5000ms,
                            &s))
        << s;

    // Enter: the selected process's detail (the first row: tick_epoll);
    // its model, its timerfd, its wait latencies. Esc closes it.
    tm.keys({"Home", "Enter"});
    ASSERT_TRUE(tm.wait_for_text("IO model: epoll-lt", 5000ms, &s)) << s;
    EXPECT_NE(s.find("PID " + std::to_string(tk.fast.pid()) + " tick_epoll"), std::string::npos) << s;
    EXPECT_NE(s.find("timerfd"), std::string::npos) << s;
    EXPECT_NE(s.find("wait latency"), std::string::npos) << s;
    tm.keys({"Escape"});
    ASSERT_TRUE(tm.wait_for([](const std::string& x) {
        return x.find("IO model:") == std::string::npos && x.find("tick_select") != std::string::npos;
    }, 5000ms, &s)) << s;

    // a resize: laid out again at 80x24, the columns of lowest priority gone
    tm.resize(80, 24);
    ASSERT_TRUE(tm.wait_for([](const std::string& x) {
        auto t = titles_of(x);
        return !t.empty() && std::find(t.begin(), t.end(), "WATCH/W") == t.end();
    }, 5000ms, &s)) << s;
    auto t = titles_of(s);
    for (const char* kept : {"PID", "COMMAND", "MODEL", "WAITS/s"})
        EXPECT_NE(std::find(t.begin(), t.end(), kept), t.end()) << kept << "\n" << s;
    EXPECT_FALSE(row_of(s, tk.slow.pid()).empty()) << s;

    // q: the terminal back, the shell's prompt after the command
    tm.keys({"q"});
    ASSERT_TRUE(tm.wait_for([&](const std::string& x) { return !tm.alternate_on() && x.find("itest$") != x.rfind("itest$"); },
                            5000ms, &s))
        << s;
    EXPECT_EQ(s.find("iotrace top - "), std::string::npos) << s;
    EXPECT_NE(s.find("iotrace: tracing "), std::string::npos) << s;
}

// Every other way out gives the terminal back too: Ctrl-C, SIGTERM, the
// last traced process exiting, and a terminal ncurses cannot use (an error
// before the screen starts).
enum class Exit { CtrlC, Sigterm, LastExited };

class TopScreenExit : public ::testing::TestWithParam<Exit> {};

TEST_P(TopScreenExit, GivesTheTerminalBack) {
    TempDir dir;
    Tmux tm(100, 30);
    std::string cmd = iotrace_path() + " top -i 0.3 ";
    if (GetParam() == Exit::LastExited) {
        // 1.2 s, then exits; its own output away from the screen
        cmd += "-- sh -c 'exec " + workload("ticker") + " epoll 50 60 > " + dir.path("out") + "'";
    } else {
        cmd += "-U root";
    }
    tm.type(cmd, true);
    std::string s;
    ASSERT_TRUE(tm.wait_for([&](const std::string& x) { return tm.alternate_on() && x.find("iotrace top - ") != std::string::npos; },
                            15000ms, &s))
        << s;
    if (GetParam() == Exit::CtrlC) tm.keys({"C-c"});
    if (GetParam() == Exit::Sigterm) {
        Child kill({"/usr/bin/pkill", "-TERM", "-f", "^" + iotrace_path() + " top -i 0.3 -U root$"});
        ASSERT_TRUE(kill.wait_exit());
        EXPECT_EQ(kill.exit_code(), 0);
    }
    ASSERT_TRUE(tm.wait_for([&](const std::string& x) { return !tm.alternate_on() && x.find("itest$") != x.rfind("itest$"); },
                            10000ms, &s))
        << s;
    EXPECT_EQ(s.find("iotrace top - "), std::string::npos) << s;
    // the shell is usable: what it echoes comes back plain
    tm.type("echo $((6 * 7))", true);
    ASSERT_TRUE(tm.wait_for_text("\n42\n", 5000ms, &s)) << s;
}

INSTANTIATE_TEST_SUITE_P(Top, TopScreenExit, ::testing::Values(Exit::CtrlC, Exit::Sigterm, Exit::LastExited),
                         [](const auto& info) {
                             switch (info.param) {
                             case Exit::CtrlC: return std::string("CtrlC");
                             case Exit::Sigterm: return std::string("SIGTERM");
                             default: return std::string("LastTracedProcessExited");
                             }
                         });

TEST(TopScreen, UnusableTerminalIsAClearError) {
    Tmux tm(100, 30);
    tm.type("TERM=no-such-terminal " + iotrace_path() + " top -n 1; echo rc=$?", true);
    std::string s;
    ASSERT_TRUE(tm.wait_for_text("\nrc=", 15000ms, &s)) << s;  // not the typed line's
    EXPECT_NE(s.find("cannot draw on this terminal (TERM=no-such-terminal): run iotrace top -b"), std::string::npos)
        << s;
    EXPECT_NE(s.find("rc=1"), std::string::npos) << s;
    EXPECT_FALSE(tm.alternate_on());
}

}  // namespace
}  // namespace itest
