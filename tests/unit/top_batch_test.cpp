// iotrace top's batch outputs: -b text per refresh and --json lines
// (docs/json.md "iotrace top --json").
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "top/batch.h"
#include "top/keys.h"
#include "top_fixtures.h"

namespace iotrace {
namespace {

using nlohmann::json;
using testing::frame;
using testing::kWall;
using testing::P;
using testing::test_options;
using testing::waiter;

std::vector<std::string> keys_of(const nlohmann::ordered_json& j) {
    std::vector<std::string> out;
    for (auto it = j.begin(); it != j.end(); ++it) out.push_back(it.key());
    return out;
}

ProcessStats srv(uint64_t k) {
    return P(10, "srv", 0).waits(100 * k, 200 * k, 400 * k, 10 * k, 50 * k, 1000 * k, 250 * k).recv(30 * k, 3000 * k, 3 * k)
        .rereports(2 * k, k);
}

TEST(TopJson, OneLineWithTheDocumentedKeys) {
    TopState s(test_options());
    s.update(frame(1, {srv(1)}, 2), kWall);
    TopFrame f = frame(2, {srv(3), P(20, "quiet", -1).recv(4, 40)}, 5);
    f.self_cpu_pct = 1.5;
    f.traced_processes = 7;
    s.update(f, kWall + 1.25);
    std::string line = json_line(s);
    ASSERT_EQ(line.back(), '\n');
    EXPECT_EQ(line.find('\n'), line.size() - 1);  // one line
    auto j = nlohmann::ordered_json::parse(line);
    EXPECT_EQ(keys_of(j), (std::vector<std::string>{"tool", "command", "schema", "time", "unix_time", "t_s", "interval_s",
                                                    "traced_processes", "self_cpu_pct", "lost_events",
                                                    "lost_events_total", "totals", "processes"}));
    EXPECT_EQ(j["tool"], "iotrace");
    EXPECT_EQ(j["command"], "top");
    EXPECT_EQ(j["schema"], 1);
    EXPECT_EQ(j["time"], "2023-11-14T22:13:21Z");
    EXPECT_DOUBLE_EQ(j["unix_time"].get<double>(), kWall + 1.25);
    EXPECT_DOUBLE_EQ(j["t_s"].get<double>(), 2);
    EXPECT_DOUBLE_EQ(j["interval_s"].get<double>(), 1);
    EXPECT_EQ(j["traced_processes"], 7);
    EXPECT_DOUBLE_EQ(j["self_cpu_pct"].get<double>(), 1.5);
    EXPECT_EQ(j["lost_events"], 3);
    EXPECT_EQ(j["lost_events_total"], 5);
    EXPECT_EQ(keys_of(j["totals"]), (std::vector<std::string>{"waits_per_s", "wakeups_per_s", "recv_per_s", "recv_mb_per_s"}));
    EXPECT_DOUBLE_EQ(j["totals"]["waits_per_s"].get<double>(), 200);
    EXPECT_DOUBLE_EQ(j["totals"]["recv_per_s"].get<double>(), 64);

    ASSERT_EQ(j["processes"].size(), 2u);
    const auto& p = j["processes"][0];
    EXPECT_EQ(keys_of(p), (std::vector<std::string>{
                              "pid", "uid", "user", "comm", "exited", "new", "model", "confidence", "worst_finding",
                              "waits_per_s", "ready_per_wait", "watched_per_wait", "empty_pct", "wakeups_per_s",
                              "lt_rereports_per_s", "et_undrained_per_s", "recv_per_s", "recv_mb_per_s", "eagain_pct",
                              "wait_cpu_pct", "counts"}));
    EXPECT_EQ(p["pid"], 10);
    EXPECT_EQ(p["uid"], 0);
    EXPECT_EQ(p["user"], "u0");
    EXPECT_EQ(p["comm"], "srv");
    EXPECT_EQ(p["exited"], false);
    EXPECT_EQ(p["new"], false);
    EXPECT_EQ(p["model"], "epoll");
    EXPECT_EQ(p["confidence"], "low");
    EXPECT_DOUBLE_EQ(p["waits_per_s"].get<double>(), 200);
    EXPECT_DOUBLE_EQ(p["ready_per_wait"].get<double>(), 2);
    EXPECT_DOUBLE_EQ(p["watched_per_wait"].get<double>(), 4);
    EXPECT_DOUBLE_EQ(p["empty_pct"].get<double>(), 10);
    EXPECT_DOUBLE_EQ(p["wakeups_per_s"].get<double>(), 100);
    EXPECT_DOUBLE_EQ(p["lt_rereports_per_s"].get<double>(), 4);
    EXPECT_DOUBLE_EQ(p["et_undrained_per_s"].get<double>(), 2);
    EXPECT_DOUBLE_EQ(p["recv_per_s"].get<double>(), 60);
    EXPECT_DOUBLE_EQ(p["recv_mb_per_s"].get<double>(), 0.006);
    EXPECT_DOUBLE_EQ(p["eagain_pct"].get<double>(), 10);
    EXPECT_DOUBLE_EQ(p["wait_cpu_pct"].get<double>(), 25);
    EXPECT_EQ(keys_of(p["counts"]),
              (std::vector<std::string>{"waits", "ready", "watched", "empty", "wakeups", "lt_rereports", "et_undrained",
                                        "recv", "recv_bytes", "recv_eagain", "wait_ns", "wait_cpu_ns"}));
    EXPECT_EQ(p["counts"]["waits"], 200);
    EXPECT_EQ(p["counts"]["recv_bytes"], 6000);
    EXPECT_EQ(p["counts"]["wait_cpu_ns"], 500);

    const auto& q = j["processes"][1];  // no waits: per-wait figures are null
    EXPECT_EQ(q["uid"], -1);
    EXPECT_EQ(q["user"], "");
    EXPECT_EQ(q["new"], true);
    EXPECT_TRUE(q["ready_per_wait"].is_null());
    EXPECT_TRUE(q["empty_pct"].is_null());
    EXPECT_TRUE(q["wait_cpu_pct"].is_null());
    EXPECT_DOUBLE_EQ(q["waits_per_s"].get<double>(), 0);
    EXPECT_DOUBLE_EQ(q["eagain_pct"].get<double>(), 0);
    EXPECT_TRUE(q["worst_finding"].is_null() || q["worst_finding"].is_string());
}

TEST(TopJson, CountsSumExactlyOverLinesAndAnExitedProcessIsInOneLine) {
    TopState s(test_options());
    uint64_t waits = 0, recv_bytes = 0;
    int exited_lines = 0;
    std::vector<uint64_t> cum = {7, 19, 20, 58, 58};
    for (size_t i = 0; i < cum.size(); ++i) {
        ProcessStats p = P(3, "w").waits(cum[i]).recv(cum[i] * 2, cum[i] * 100);
        if (i == 3) p.exited = true;
        std::vector<ProcessStats> procs;
        if (i <= 3) procs.push_back(p);
        s.update(frame(static_cast<double>(i + 1) * 0.5, procs), kWall);
        auto j = json::parse(json_line(s));
        for (const auto& r : j["processes"]) {
            waits += r["counts"]["waits"].get<uint64_t>();
            recv_bytes += r["counts"]["recv_bytes"].get<uint64_t>();
            exited_lines += r["exited"].get<bool>() ? 1 : 0;
        }
        EXPECT_DOUBLE_EQ(j["interval_s"].get<double>(), 0.5);
    }
    EXPECT_EQ(waits, 58u);
    EXPECT_EQ(recv_bytes, 5800u);
    EXPECT_EQ(exited_lines, 1);  // lingering is the screen's, not the log's
}

TEST(TopJson, UnavailableFiguresAreNull) {
    TopFrame f = frame(1, {srv(1)});
    f.snap.availability.missing[Part::WaitCpuTime] = "on_switch: refused";
    TopState s(test_options());
    s.update(f, kWall);
    auto p = json::parse(json_line(s))["processes"][0];
    EXPECT_TRUE(p["wait_cpu_pct"].is_null());
    EXPECT_TRUE(p["counts"]["wait_cpu_ns"].is_null());
    EXPECT_FALSE(p["waits_per_s"].is_null());
}

TEST(TopJson, ThreadRowsInThreadMode) {
    TopOptions o = test_options();
    o.threads = true;
    TopState s(o);
    s.update(frame(1, {P(10, "srv").waits(30).thread(10, "srv", 10).thread(11, "worker", 20, 0, 4, 1)}), kWall);
    auto j = json::parse(json_line(s));
    ASSERT_TRUE(j.contains("threads"));
    EXPECT_FALSE(j.contains("processes"));
    ASSERT_EQ(j["threads"].size(), 2u);
    const auto& t = j["threads"][0];
    EXPECT_EQ(t["pid"], 10);
    EXPECT_EQ(t["tid"], 11);
    EXPECT_EQ(t["comm"], "worker");
    EXPECT_DOUBLE_EQ(t["waits_per_s"].get<double>(), 20);
    EXPECT_DOUBLE_EQ(t["eagain_pct"].get<double>(), 25);
    EXPECT_TRUE(t["watched_per_wait"].is_null());
    EXPECT_TRUE(t["counts"]["recv_bytes"].is_null());
    EXPECT_EQ(t["counts"]["recv"], 4);
}

TEST(TopJson, CommThatIsNotUtf8StillMakesALine) {
    TopState s(test_options());
    s.update(frame(1, {P(5, std::string("bad\xff")).waits(1)}), kWall);
    EXPECT_NO_THROW(json::parse(json_line(s)));
}

TEST(TopBatch, PlainTextPerRefresh) {
    setenv("TZ", "UTC", 1);
    tzset();
    TopState s(test_options());
    s.update(frame(1, {srv(1), waiter(2, "b", 5, 1)}), kWall);
    s.update(frame(2, {srv(2), P(waiter(2, "b", 5, 2)).exited()}), kWall + 1);
    std::string text = batch_text(s);
    EXPECT_EQ(text.find('\x1b'), std::string::npos);
    std::string want =
        "iotrace top - 22:13:21  up 2.0 s  interval 1.00 s  iotrace CPU 0.0%\n"
        "processes: 2 traced, 2 listed, 1 exited   lost events: 0 (0 in all)\n"
        "totals: waits 105.0/s  wakeups 55.0/s  recv 30.0/s  0.00 MB/s\n"
        "\n"
        "    PID USER      COMMAND                  MODEL        WAITS/s  RDY/W WATCH/W EMPTY% WAKE/s LTRE/s ETUN/s "
        "RECV/s  RMB/s EAGN% CPU%W FINDING\n"
        "     10 u0        srv                      epoll*         100.0   2.00    4.00   10.0   50.0   2.00   1.00  "
        " 30.0   0.00  10.0  25.0 -\n"
        "      2 u1000     b (exited)               epoll*          5.00   1.00    0.00    0.0   5.00   0.00   0.00  "
        " 0.00   0.00     -  10.0 -\n"
        "\n";
    EXPECT_EQ(text, want);
    // The next refresh: the exited process is not listed again.
    s.update(frame(3, {srv(3)}), kWall + 2);
    EXPECT_EQ(batch_text(s).find("(exited)"), std::string::npos);
}

TEST(TopBatch, FollowsTheStateSortOrder) {
    TopState s(test_options());
    s.update(frame(1, {waiter(1, "a", 5, 1), waiter(2, "b", 50, 1)}), kWall);
    std::string text = batch_text(s);
    EXPECT_LT(text.find("      2 "), text.find("      1 "));
    s.key('R');
    text = batch_text(s);
    EXPECT_GT(text.find("      2 "), text.find("      1 "));
}

}  // namespace
}  // namespace iotrace
