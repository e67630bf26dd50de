// iotrace serve with the real thing: Debian's Prometheus scrapes it every
// second and answers queries with a workload's exact figures
// (tests/workloads/ticker.c); the endpoint itself (landing page, both
// formats); SIGTERM and SIGINT; a port in use; and a fork storm under serve
// (series and memory back to their baseline, counters that never go down).
#include <gtest/gtest.h>

#include <bpf/libbpf.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "harness.h"
#include "iotrace.h"

namespace itest {
namespace {

using namespace std::chrono_literals;

// A port nothing listens on now (the kernel's pick, released).
int free_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
    socklen_t len = sizeof(a);
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    close(fd);
    return ntohs(a.sin_port);
}

struct HttpAnswer {
    int status = 0;  // 0: no answer
    std::string headers;
    std::string body;
    std::string header(const std::string& name) const {
        std::istringstream in(headers);
        std::string line;
        while (std::getline(in, line)) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (line.size() > name.size() && strncasecmp(line.c_str(), name.c_str(), name.size()) == 0 &&
                line[name.size()] == ':')
                return line.substr(line.find_first_not_of(' ', name.size() + 1));
        }
        return "";
    }
};

// GET http://127.0.0.1:port/target, the whole answer (the servers here close
// the connection after it).
HttpAnswer http_get(int port, const std::string& target, const std::string& accept = "") {
    HttpAnswer a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<uint16_t>(port));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0) {
        close(fd);
        return a;
    }
    std::string req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    if (!accept.empty()) req += "Accept: " + accept + "\r\n";
    req += "\r\n";
    if (write(fd, req.data(), req.size()) != static_cast<ssize_t>(req.size())) {
        close(fd);
        return a;
    }
    std::string all;
    char buf[65536];
    auto deadline = Clock::now() + 10s;
    while (Clock::now() < deadline) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 200) <= 0) continue;
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n <= 0) break;
        all.append(buf, static_cast<size_t>(n));
    }
    close(fd);
    size_t end = all.find("\r\n\r\n");
    if (end == std::string::npos || all.rfind("HTTP/1.", 0) != 0) return a;
    a.status = std::stoi(all.substr(9, 3));
    a.headers = all.substr(0, end);
    a.body = all.substr(end + 4);
    return a;
}

std::string url_encode(const std::string& s) {
    std::string out;
    for (unsigned char c : s) {
        if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            char hex[4];
            std::snprintf(hex, sizeof(hex), "%%%02X", c);
            out += hex;
        }
    }
    return out;
}

// `iotrace serve --listen 127.0.0.1:0 ARGS...`, once it is serving; port()
// is the one it bound (from its tracing line).
struct Serve {
    Child child;
    int port = -1;
    explicit Serve(std::vector<std::string> args) {
        std::vector<std::string> argv{iotrace_path(), "serve", "--listen", "127.0.0.1:0"};
        argv.insert(argv.end(), args.begin(), args.end());
        child = Child(argv);
        auto line = child.wait_err_prefix(kTracingPrefix);
        EXPECT_TRUE(line) << child.err();
        if (!line) return;
        size_t at = line->find("http://127.0.0.1:");
        EXPECT_NE(at, std::string::npos) << *line;
        if (at != std::string::npos) port = std::stoi(line->substr(at + 17));
    }
    HttpAnswer metrics(const std::string& accept = "") const { return http_get(port, "/metrics", accept); }
};

// The samples of a text-format scrape: "name{labels}" -> value.
std::map<std::string, double> samples(const std::string& text) {
    std::map<std::string, double> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        size_t sp = line.rfind(' ');
        out[line.substr(0, sp)] = std::stod(line.substr(sp + 1));
    }
    return out;
}

// Debian's prometheus on loopback, a temporary TSDB, one job scraping
// 127.0.0.1:target_port every second.
class Prometheus {
public:
    explicit Prometheus(int target_port) : port_(free_port()) {
        std::ofstream(dir_.path("prometheus.yml"))
            << "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
               "scrape_configs:\n  - job_name: iotrace\n    static_configs:\n      - targets: ['127.0.0.1:"
            << target_port << "']\n";
        child_ = Child({"/usr/bin/prometheus", "--config.file=" + dir_.path("prometheus.yml"),
                        "--storage.tsdb.path=" + dir_.path("data"),
                        "--web.listen-address=127.0.0.1:" + std::to_string(port_), "--log.level=warn"});
    }
    ~Prometheus() {
        child_.signal(SIGTERM);
        child_.wait_exit(10s);
    }
    bool wait_ready() {
        auto deadline = Clock::now() + kTimeout;
        while (Clock::now() < deadline && !child_.exited()) {
            if (http_get(port_, "/-/ready").status == 200) return true;
            child_.wait_exit(200ms);
        }
        return false;
    }
    // The instant query's vector result (empty when none or an error).
    json query(const std::string& expr) {
        HttpAnswer a = http_get(port_, "/api/v1/query?query=" + url_encode(expr));
        json j = json::parse(a.body, nullptr, false);
        if (j.is_discarded() || j.value("status", "") != "success") return json::array();
        return j["data"]["result"];
    }
    // The value of a query with one series, or nullopt.
    std::optional<double> value(const std::string& expr) {
        json r = query(expr);
        if (r.size() != 1) return std::nullopt;
        return std::stod(r[0]["value"][1].get<std::string>());
    }
    // Waits until the query's one value is want; its last value.
    std::optional<double> wait_value(const std::string& expr, double want, Clock::duration timeout = kTimeout) {
        auto deadline = Clock::now() + timeout;
        std::optional<double> v;
        while (Clock::now() < deadline) {
            v = value(expr);
            if (v && *v == want) break;
            std::this_thread::sleep_for(250ms);
        }
        return v;
    }
    const Child& child() const { return child_; }

private:
    TempDir dir_;
    int port_;
    Child child_;
};

// A ticker (epoll, 100 a second, 200 loops: 200 epoll_wait calls with one
// ready fd each, 200 reads of 8 bytes) under a unique comm, started after
// serve: Prometheus holds its exact figures after it ended.
TEST(ServePrometheus, ScrapesTheExactFiguresOfAWorkload) {
    Serve srv({});
    ASSERT_GT(srv.port, 0);
    Prometheus prom(srv.port);
    ASSERT_TRUE(prom.wait_ready()) << prom.child().err();
    TempDir dir;
    Child tk = start_ticker(ticker_argv("epoll", 100, 200, "tick_prom", &dir));
    ASSERT_TRUE(tk.wait_exit()) << tk.err();
    ASSERT_EQ(tk.exit_code(), 0) << tk.err();

    const std::string c = "comm=\"tick_prom\"";
    EXPECT_EQ(prom.wait_value("iotrace_waits_total{" + c + ",syscall=\"epoll_wait\"}", 200), 200);
    EXPECT_EQ(prom.wait_value("up{job=\"iotrace\"}", 1), 1);
    EXPECT_EQ(prom.value("iotrace_receives_total{" + c + "}"), 200);
    EXPECT_EQ(prom.value("iotrace_received_bytes_total{" + c + "}"), 1600);
    EXPECT_EQ(prom.value("iotrace_wait_fds_ready_total{" + c + "}"), 200);
    EXPECT_EQ(prom.value("iotrace_waits_empty_total{" + c + "}"), 0);
    EXPECT_EQ(prom.value("iotrace_wait_duration_seconds_count{" + c + ",syscall=\"epoll_wait\"}"), 200);
    EXPECT_EQ(prom.value("iotrace_wait_duration_seconds_bucket{" + c + ",syscall=\"epoll_wait\",le=\"+Inf\"}"), 200);
    EXPECT_EQ(prom.value("count(iotrace_waits_total{" + c + "})"), 1) << "epoll_wait only";
    EXPECT_EQ(prom.value("iotrace_io_model{" + c + ",iotrace_io_model=\"epoll-lt\"}"), 1);
    EXPECT_EQ(prom.value("sum(iotrace_io_model{" + c + "})"), 1) << "one state set";
    EXPECT_EQ(prom.value("count(iotrace_io_model{" + c + "})"), 10) << "every model a state";
    EXPECT_EQ(prom.value("iotrace_build_info{job=\"iotrace\"}"), 1);
    // the target is the one serve bound (Prometheus scraped OpenMetrics:
    // its Accept header prefers it)
    json up = prom.query("up{job=\"iotrace\"}");
    ASSERT_EQ(up.size(), 1u);
    EXPECT_EQ(up[0]["metric"].value("instance", ""), "127.0.0.1:" + std::to_string(srv.port));

    srv.child.signal(SIGTERM);
    ASSERT_TRUE(srv.child.wait_exit(2s)) << srv.child.err();
    EXPECT_EQ(srv.child.exit_code(), 0) << srv.child.err();
}

// The landing page links to the metrics path; text 0.0.4 by default,
// OpenMetrics when asked (the other answers, 404, 405, HEAD, 431..., are
// unit-tested: tests/unit/serve_server_test.cpp).
TEST(ServeHttp, LandingPageAndBothFormats) {
    Serve srv({"--path", "/m"});
    ASSERT_GT(srv.port, 0);
    HttpAnswer landing = http_get(srv.port, "/");
    EXPECT_EQ(landing.status, 200);
    EXPECT_NE(landing.body.find("href=\"/m\""), std::string::npos) << landing.body;
    EXPECT_EQ(http_get(srv.port, "/metrics").status, 404);

    HttpAnswer text = http_get(srv.port, "/m");
    EXPECT_EQ(text.status, 200);
    EXPECT_EQ(text.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_NE(text.body.find("# TYPE iotrace_traced_processes gauge\n"), std::string::npos);
    auto s = samples(text.body);
    EXPECT_GT(s["iotrace_traced_processes"], 0) << "system-wide: every process";
    EXPECT_GT(s["process_resident_memory_bytes"], 1e6);
    EXPECT_GT(s["process_start_time_seconds"], 1.7e9);
    EXPECT_EQ(s.count("iotrace_scrape_duration_seconds"), 1u);

    HttpAnswer om = http_get(srv.port, "/m", "application/openmetrics-text;version=1.0.0,text/plain;q=0.5");
    EXPECT_EQ(om.status, 200);
    EXPECT_EQ(om.header("Content-Type"), "application/openmetrics-text; version=1.0.0; charset=utf-8");
    ASSERT_GE(om.body.size(), 6u);
    EXPECT_EQ(om.body.substr(om.body.size() - 6), "# EOF\n");
    EXPECT_NE(om.body.find("# TYPE iotrace_io_model stateset\n"), std::string::npos);
    srv.child.signal(SIGTERM);
    ASSERT_TRUE(srv.child.wait_exit(2s));
}

class ServeSignal : public ::testing::TestWithParam<int> {};

TEST_P(ServeSignal, EndsWithinASecond) {
    Serve srv({});
    ASSERT_GT(srv.port, 0);
    ASSERT_EQ(srv.metrics().status, 200);
    srv.child.signal(GetParam());
    auto sent = Clock::now();
    ASSERT_TRUE(srv.child.wait_exit(1s)) << "still running 1 s after the signal\n" << srv.child.err();
    EXPECT_EQ(srv.child.exit_code(), 0) << srv.child.err();
    std::printf("serve ended %.3f s after the signal\n", std::chrono::duration<double>(Clock::now() - sent).count());
}

INSTANTIATE_TEST_SUITE_P(Serve, ServeSignal, ::testing::Values(SIGTERM, SIGINT),
                         [](const auto& info) { return std::string(info.param == SIGTERM ? "SIGTERM" : "SIGINT"); });

TEST(ServeCli, APortInUseIsAnErrorExit1) {
    Serve first({});
    ASSERT_GT(first.port, 0);
    const std::string addr = "127.0.0.1:" + std::to_string(first.port);
    Child second({iotrace_path(), "serve", "--listen", addr});
    ASSERT_TRUE(second.wait_exit()) << second.err();
    EXPECT_EQ(second.exit_code(), 1);
    EXPECT_NE(second.err().find("iotrace: cannot listen on " + addr + ": Address already in use"), std::string::npos)
        << second.err();
    EXPECT_NE(second.err().find("--listen"), std::string::npos) << second.err();
    EXPECT_EQ(second.err().find(kTracingPrefix), std::string::npos) << "nothing loaded";
    first.child.signal(SIGTERM);
    ASSERT_TRUE(first.child.wait_exit(2s));
}

TEST(ServeCli, DurationEndsIt) {
    auto t0 = Clock::now();
    Child it({iotrace_path(), "serve", "--listen", "127.0.0.1:0", "-d", "1"});
    ASSERT_TRUE(it.wait_exit()) << it.err();
    EXPECT_EQ(it.exit_code(), 0) << it.err();
    EXPECT_GE(Clock::now() - t0, 1s);
}

// The samples of one family in a text-format scrape, by their `map` label
// (iotrace_map_entries, iotrace_map_max_entries).
std::map<std::string, double> by_map(const std::map<std::string, double>& s, const std::string& family) {
    std::map<std::string, double> out;
    const std::string prefix = family + "{map=\"";
    for (const auto& [name, v] : s)
        if (name.rfind(prefix, 0) == 0) out[name.substr(prefix.size(), name.size() - prefix.size() - 2)] = v;
    return out;
}

// The proc_stats slots iotrace sizes for this machine (Tracer::proc_slot_count):
// within 32 MiB of per-CPU counters, at most 1,024; when children may come in
// storms (-f, system-wide), within 64 MiB, at most 4,096.
double counter_slots(bool storms) {
    const size_t budget = storms ? 64u << 20 : 32u << 20;
    const size_t n = budget / (static_cast<size_t>(libbpf_num_possible_cpus()) * sizeof(iot_proc));
    return static_cast<double>(std::clamp<size_t>(n, 8, storms ? 4096 : 1024));
}

// The kernel maps' occupancy against a target whose entries are known: a
// ticker with 1 + 99 epoll registrations (tests/workloads/ticker.c --idle),
// one thread, one fd read and reported. Under -p it is the only process the
// kernel side holds anything of, so every map's count is exact; once it
// exits, every entry is freed.
TEST(ServeMaps, OccupancyIsExactAndEverythingFreedAfterExit) {
    Child tk({workload("ticker"), "epoll", "100", "50", "--wait", "--hold", "--idle", "99"});
    ASSERT_TRUE(tk.wait_out_line("ready")) << tk.err();
    const long pid = var_in(tk.out(), "pid");
    Serve srv({"-p", std::to_string(pid)});
    ASSERT_GT(srv.port, 0);
    tk.signal(SIGUSR1);
    ASSERT_TRUE(tk.wait_out_line("done")) << tk.err();

    auto s = samples(srv.metrics().body);
    auto entries = by_map(s, "iotrace_map_entries"), max = by_map(s, "iotrace_map_max_entries");
    const std::map<std::string, double> want{
        {"proc_stats", 1}, {"procs", 0},      {"thread_stats", 1}, {"threads", 0},    {"targets", 1},
        {"fds", 1},        {"waiters", 1},    {"wstates", 1},      {"ep_by_data", 100}, {"ep_by_fd", 100},
        {"proc_epfds", 1}, {"ep_making", 0},  {"ep_limbo", 0}};
    EXPECT_EQ(entries, want);
    EXPECT_EQ(s["iotrace_waits_total{comm=\"ticker\",syscall=\"epoll_wait\"}"], 50);
    // the capacities bpf/maps.bpf.h declares; proc_stats is sized by the
    // CPUs (Tracer::proc_slot_count: 8 to 1,024 under -p)
    const std::map<std::string, double> capacity{
        {"procs", 8192},        {"thread_stats", 4096}, {"threads", 16384},   {"targets", 65536},
        {"fds", 65536},         {"waiters", 16384},     {"wstates", 131072},  {"ep_by_data", 131072},
        {"ep_by_fd", 131072},   {"proc_epfds", 16384},  {"ep_making", 4096},  {"ep_limbo", 8192}};
    for (const auto& [map, n] : capacity) EXPECT_EQ(max[map], n) << map;
    EXPECT_EQ(max["proc_stats"], counter_slots(false));
    EXPECT_EQ(max.size(), want.size());

    tk.signal(SIGTERM);
    ASSERT_TRUE(tk.wait_exit()) << tk.err();
    std::map<std::string, double> left;
    auto deadline = Clock::now() + 5s;
    do {
        std::this_thread::sleep_for(250ms);
        left.clear();
        for (const auto& [map, n] : by_map(samples(srv.metrics().body), "iotrace_map_entries"))
            if (n != 0) left[map] = n;
    } while (!left.empty() && Clock::now() < deadline);
    EXPECT_TRUE(left.empty()) << "entries left after the target exited: " << ::testing::PrintToString(left);
    srv.child.signal(SIGTERM);
    ASSERT_TRUE(srv.child.wait_exit(2s));
}

// Following a target (-f) sizes the counter slots for fork storms, as
// system-wide does: a fork-per-connection server's children each hold one
// until user space has read their exit (top_test.cpp, TopForkStorm).
TEST(ServeMaps, FollowingSizesTheCounterSlotsForStorms) {
    Child sl({"/bin/sleep", "30"});
    Serve followed({"-f", "-p", std::to_string(sl.pid())});
    ASSERT_GT(followed.port, 0);
    auto max = by_map(samples(followed.metrics().body), "iotrace_map_max_entries");
    EXPECT_EQ(max["proc_stats"], counter_slots(true));
    EXPECT_GT(counter_slots(true), counter_slots(false));  // on this machine: 4,096 against 1,024 (2 CPUs)
    followed.child.signal(SIGTERM);
    ASSERT_TRUE(followed.child.wait_exit(2s));
    sl.signal(SIGTERM);
    ASSERT_TRUE(sl.wait_exit());
}

// Label sets in a text-format scrape that are not pid's (--per-pid).
size_t others_than(const std::string& text, int pid) {
    std::set<std::string> pids;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        size_t at = line.find("pid=\"");
        if (line.empty() || line[0] == '#' || at == std::string::npos) continue;
        std::string p = line.substr(at + 5, line.find('"', at + 5) - at - 5);
        if (p != std::to_string(pid)) pids.insert(p);
    }
    return pids.size();
}

// A fork storm (tests/workloads/forkstorm.c: a child per connection, each
// K recvfrom and K sendto) for ~10 s under two serves of nobody's
// processes with a 2 s grace period: --per-pid, whose label sets come and
// go with the children and, after the storm and the grace period, are the
// server's alone, its memory back near where it was; and by comm, whose
// forkstorm receives counter never goes down while the children exit and
// ends at what they made (counted or lost).
TEST(ServeForkStorm, SeriesAndMemoryComeBackAfterTheStorm) {
    constexpr int kExchanges = 3;
    Child srv(as_nobody({workload("forkstorm"), "serve", std::to_string(kExchanges)}));
    ASSERT_TRUE(srv.wait_out_line("ready")) << srv.err();
    long port = var_in(srv.out(), "port");
    ASSERT_GT(port, 0);
    Serve per_pid({"-U", "nobody", "--per-pid", "--series-grace", "2"});
    Serve by_comm({"-U", "nobody", "--series-grace", "2"});
    ASSERT_GT(per_pid.port, 0);
    ASSERT_GT(by_comm.port, 0);
    std::this_thread::sleep_for(3s);  // setpriv's label set (renamed by exec) gone
    HttpAnswer before = per_pid.metrics();
    ASSERT_EQ(before.status, 200);
    const long rss_before = rss_kb(per_pid.child.pid());
    const double sets_before = samples(before.body)["iotrace_label_sets"];
    const auto maps_before = by_map(samples(before.body), "iotrace_map_entries");

    Child cl({workload("forkstorm"), "client", std::to_string(port), std::to_string(kExchanges), "10",
              std::to_string(srv.pid()), "8"});
    long peak_rss = rss_before;
    double peak_sets = 0, last_recv = 0;
    size_t scrapes = 0, decreases = 0;
    std::map<std::string, double> maps_peak;
    while (!cl.wait_exit(500ms)) {
        HttpAnswer a = per_pid.metrics();
        HttpAnswer b = by_comm.metrics();
        ASSERT_EQ(a.status, 200);
        ASSERT_EQ(b.status, 200);
        ++scrapes;
        peak_sets = std::max(peak_sets, samples(a.body)["iotrace_label_sets"]);
        for (const auto& [map, n] : by_map(samples(a.body), "iotrace_map_entries"))
            maps_peak[map] = std::max(maps_peak[map], n);
        peak_rss = std::max(peak_rss, rss_kb(per_pid.child.pid()));
        double recv = samples(b.body)["iotrace_receives_total{comm=\"forkstorm\"}"];
        if (recv < last_recv) ++decreases;
        last_recv = std::max(last_recv, recv);
    }
    ASSERT_EQ(cl.exit_code(), 0) << cl.err();
    long connections = var_in(cl.out(), "connections");
    ASSERT_GT(connections, 500);
    ASSERT_TRUE(srv.wait_out_line("var children " + std::to_string(connections))) << srv.out();
    // the last exits framed, then the grace period: 4 s, and on a busy
    // machine until both servers have caught up with the storm's exits
    // (the server alone traced and labelled); the next scrape trims
    const auto settled = Clock::now() + 4s, deadline = settled + 30s;
    for (;;) {
        std::this_thread::sleep_for(500ms);
        auto p = samples(per_pid.metrics().body), b = samples(by_comm.metrics().body);
        bool alone = p["iotrace_label_sets"] == 1 && p["iotrace_traced_processes"] == 1 &&
                     b["iotrace_traced_processes"] == 1;
        if ((alone && Clock::now() >= settled) || Clock::now() >= deadline) break;
    }

    HttpAnswer after = per_pid.metrics();
    HttpAnswer comm = by_comm.metrics();
    const long rss_after = rss_kb(per_pid.child.pid());
    auto a = samples(after.body), c = samples(comm.body);
    const uint64_t made = static_cast<uint64_t>(kExchanges) * static_cast<uint64_t>(connections);
    double lost = 0;
    for (const auto& [name, v] : c)
        if (name.rfind("iotrace_lost_events_total{", 0) == 0) lost += v;
    const double recv = c["iotrace_receives_total{comm=\"forkstorm\"}"];
    std::printf("fork storm under serve: %ld children, %zu scrapes; label sets %.0f before, %.0f at the peak, %.0f "
                "after; RSS %ld kB before, %ld kB at the peak, %ld kB after; receives %.0f of %lu, lost %.0f\n",
                connections, scrapes, sets_before, peak_sets, a["iotrace_label_sets"], rss_before, peak_rss, rss_after,
                recv, static_cast<unsigned long>(made), lost);
    EXPECT_GT(peak_sets, 50) << "the children were label sets while they lived";
    // the kernel maps: the children's entries came and went (counter and
    // thread slots freed, per-fd maps swept): what is left is the server's
    // (one process, one thread, its listening socket's few entries), however
    // many children there were
    const auto maps_after = by_map(a, "iotrace_map_entries");
    std::printf("map entries before / at the peak / after:");
    for (const auto& [map, n] : maps_after)
        std::printf(" %s %.0f/%.0f/%.0f", map.c_str(), maps_before.at(map), maps_peak[map], n);
    std::printf("\n");
    EXPECT_GT(maps_peak["proc_stats"], 1) << "the children took counter slots";
    EXPECT_EQ(maps_after.at("proc_stats"), 1);
    EXPECT_EQ(maps_after.at("thread_stats"), 1);
    for (const auto& [map, n] : maps_after) EXPECT_LE(n, 4) << map;
    EXPECT_EQ(others_than(after.body, srv.pid()), 0u) << "only the server's series are left";
    EXPECT_EQ(a["iotrace_label_sets"], 1);
    EXPECT_EQ(a["iotrace_traced_processes"], 1);
    EXPECT_LT(rss_after, rss_before + 8 * 1024) << "peak " << peak_rss;
    EXPECT_EQ(decreases, 0u) << "a counter went down";
    EXPECT_GE(recv, last_recv);
    EXPECT_LE(recv, static_cast<double>(made));
    EXPECT_GE(recv + lost, static_cast<double>(made));
    srv.signal(SIGTERM);
    ASSERT_TRUE(srv.wait_exit());
}

}  // namespace
}  // namespace itest
