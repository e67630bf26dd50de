// The JSON report: keys, order and values are a public contract (docs/json.md).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "report/json_report.h"

namespace iotrace {
namespace {

using nlohmann::ordered_json;

std::vector<std::string> keys(const ordered_json& obj) {
    std::vector<std::string> out;
    for (auto it = obj.begin(); it != obj.end(); ++it) out.push_back(it.key());
    return out;
}

Snapshot sample() {
    Snapshot snap;
    snap.version = "0.1.0";
    snap.duration_s = 2.5;
    snap.lost[IOT_LOST_USER_READ] = 3;
    snap.lost[IOT_LOST_RINGBUF] = 1;

    ProcessStats p;
    p.pid = 1234;
    p.ppid = 1;
    p.comm = "server";
    p.exited = false;
    SyscallStats& ew = p.syscalls[IOT_EPOLL_WAIT];
    ew.calls = 10;
    ew.errors = 1;
    ew.eagain = 0;
    ew.time_ns = 5'000'000;
    ew.hist_log2_ns[19] = 9;
    ew.hist_log2_ns[IOT_HIST_SLOTS - 1] = 1;
    SyscallStats& rd = p.syscalls[IOT_READ];
    rd.calls = 7;
    rd.errors = 2;
    rd.eagain = 2;
    rd.time_ns = 7000;
    rd.hist_log2_ns[0] = 7;
    SyscallStats& ctl = p.syscalls[IOT_EPOLL_CTL];  // before read in enum order
    ctl.calls = 2;
    ctl.time_ns = 400;
    p.syscalls[IOT_WRITE].errors = 5;  // calls 0: omitted whatever else it holds
    p.waits = {10, 4, 6, 30, 12, 5'000'000, 7, 41'000, 3};
    p.recv = {7, 4096, 2, 1, 3, 4};
    p.send = {0, 0, 0};
    p.accept = {9, 5, 2};
    p.copy = {120, 72, 4096, 0};
    snap.processes.push_back(p);

    ProcessStats child;
    child.pid = 1240;
    child.ppid = 1234;
    child.comm = "worker";
    child.exited = true;
    snap.processes.push_back(child);
    return snap;
}

TEST(JsonReport, TopLevelKeysInOrder) {
    ordered_json j = to_json(sample());
    EXPECT_EQ(keys(j), (std::vector<std::string>{"tool", "schema", "version", "duration_s", "lost_events", "lost",
                                                 "unavailable", "processes"}));
    EXPECT_EQ(j["tool"], "iotrace");
    EXPECT_EQ(j["schema"], 1);
    EXPECT_EQ(j["version"], "0.1.0");
    EXPECT_DOUBLE_EQ(j["duration_s"].get<double>(), 2.5);
    EXPECT_EQ(j["lost_events"], 4u);
}

TEST(JsonReport, LostHasEveryReasonZerosIncluded) {
    ordered_json j = to_json(sample());
    EXPECT_EQ(j["lost"], ordered_json::parse(R"({"proc_map_full":0,"target_map_full":0,"user_read_failed":3,
        "loop_bound":0,"task_storage_full":0,"ringbuf_full":1,"kernel_read_failed":0,
        "unknown_epoll_registration":0,"fd_map_full":0,"et_pending_overflow":0,"offcpu_slot_shared":0,
        "epoll_fd_slots_full":0})"));
    EXPECT_EQ(keys(j["lost"]).size(), static_cast<size_t>(IOT_LOST_NR));
}

TEST(JsonReport, ProcessKeysAndIdentityInSnapshotOrder) {
    ordered_json j = to_json(sample());
    ASSERT_EQ(j["processes"].size(), 2u);
    const ordered_json& p = j["processes"][0];
    EXPECT_EQ(keys(p), (std::vector<std::string>{"pid", "ppid", "comm", "exited", "unavailable", "model", "findings", "syscalls",
                                                 "waits", "recv",
                                                 "send", "accept", "copy", "readiness", "fds", "threads"}));
    EXPECT_EQ(p["pid"], 1234);
    EXPECT_EQ(p["ppid"], 1);
    EXPECT_EQ(p["comm"], "server");
    EXPECT_EQ(p["exited"], false);
    const ordered_json& c = j["processes"][1];
    EXPECT_EQ(c["pid"], 1240);
    EXPECT_EQ(c["ppid"], 1234);
    EXPECT_EQ(c["exited"], true);
}

TEST(JsonReport, SyscallsOnlyWithCallsInEnumOrder) {
    ordered_json j = to_json(sample());
    const ordered_json& sc = j["processes"][0]["syscalls"];
    // write has errors but no calls: omitted. epoll_ctl precedes read in enum iot_sys.
    EXPECT_EQ(keys(sc), (std::vector<std::string>{"epoll_wait", "epoll_ctl", "read"}));
    EXPECT_EQ(keys(sc["read"]), (std::vector<std::string>{"calls", "errors", "eagain", "time_ns", "hist_log2_ns"}));
    EXPECT_EQ(sc["read"]["calls"], 7u);
    EXPECT_EQ(sc["read"]["errors"], 2u);
    EXPECT_EQ(sc["read"]["eagain"], 2u);
    EXPECT_EQ(sc["read"]["time_ns"], 7000u);
    EXPECT_EQ(sc["epoll_wait"]["errors"], 1u);
    EXPECT_EQ(sc["epoll_wait"]["time_ns"], 5'000'000u);
    EXPECT_TRUE(j["processes"][1]["syscalls"].is_object());
    EXPECT_TRUE(j["processes"][1]["syscalls"].empty());
}

TEST(JsonReport, HistogramAlwaysHasEverySlot) {
    ordered_json j = to_json(sample());
    const ordered_json& sc = j["processes"][0]["syscalls"];
    const ordered_json& h = sc["epoll_wait"]["hist_log2_ns"];
    ASSERT_EQ(h.size(), 40u);
    ASSERT_EQ(h.size(), static_cast<size_t>(IOT_HIST_SLOTS));
    EXPECT_EQ(h[19], 9u);
    EXPECT_EQ(h[39], 1u);  // the open-ended last slot is not trimmed either
    EXPECT_EQ(h[0], 0u);
    // Trailing zero slots are kept.
    const ordered_json& r = sc["read"]["hist_log2_ns"];
    ASSERT_EQ(r.size(), 40u);
    EXPECT_EQ(r[0], 7u);
    EXPECT_EQ(r[39], 0u);
}

TEST(JsonReport, FamilyObjects) {
    ordered_json p = to_json(sample())["processes"][0];
    EXPECT_EQ(p["waits"], ordered_json::parse(R"({"calls":10,"empty":4,"ready":6,"watched":30,"scanned":12,
                                                  "time_ns":5000000,"wakeups":7,"cpu_ns":41000,
                                                  "zero_timeout":3,"zero_timeout_empty":0})"));
    EXPECT_EQ(p["recv"], ordered_json::parse(R"({"calls":7,"bytes":4096,"eagain":2,"eof":1,"short":3,"blocked":4})"));
    EXPECT_EQ(p["send"], ordered_json::parse(R"({"calls":0,"bytes":0,"eagain":0})"));
    EXPECT_EQ(p["accept"], ordered_json::parse(R"({"calls":9,"eagain":5,"blocked":2})"));
    EXPECT_EQ(p["copy"], ordered_json::parse(
                             R"({"wait_in_bytes":120,"wait_out_bytes":72,"recv_bytes":4096,"send_bytes":0})"));
    // ordered_json's == is order-sensitive, so the checks above already pin
    // the key order; spelled out here so a failure names the culprit.
    EXPECT_EQ(keys(p["waits"]), (std::vector<std::string>{"calls", "empty", "ready", "watched", "scanned", "time_ns",
                                                          "wakeups", "cpu_ns", "zero_timeout",
                                                          "zero_timeout_empty"}));
    EXPECT_EQ(keys(p["copy"]),
              (std::vector<std::string>{"wait_in_bytes", "wait_out_bytes", "recv_bytes", "send_bytes"}));
}

TEST(JsonReport, LargeCountersSurviveUnrounded) {
    Snapshot snap;
    ProcessStats p;
    p.syscalls[IOT_READ].calls = 1;
    p.recv.bytes = 18'446'744'073'709'551'615u;  // UINT64_MAX: not squeezed through a double
    snap.processes.push_back(p);
    std::string text = render_json(snap);
    EXPECT_NE(text.find("\"bytes\": 18446744073709551615"), std::string::npos);
}

TEST(JsonReport, RenderIsPrettyWithTrailingNewline) {
    Snapshot snap;
    snap.version = "0.1.0";
    snap.duration_s = 1.25;
    std::string text = render_json(snap);
    EXPECT_EQ(text,
              "{\n"
              "  \"tool\": \"iotrace\",\n"
              "  \"schema\": 1,\n"
              "  \"version\": \"0.1.0\",\n"
              "  \"duration_s\": 1.25,\n"
              "  \"lost_events\": 0,\n"
              "  \"lost\": {\n"
              "    \"proc_map_full\": 0,\n"
              "    \"target_map_full\": 0,\n"
              "    \"user_read_failed\": 0,\n"
              "    \"loop_bound\": 0,\n"
              "    \"task_storage_full\": 0,\n"
              "    \"ringbuf_full\": 0,\n"
              "    \"kernel_read_failed\": 0,\n"
              "    \"unknown_epoll_registration\": 0,\n"
              "    \"fd_map_full\": 0,\n"
              "    \"et_pending_overflow\": 0,\n"
              "    \"offcpu_slot_shared\": 0,\n"
              "    \"epoll_fd_slots_full\": 0\n"
              "  },\n"
              "  \"unavailable\": [],\n"
              "  \"processes\": []\n"
              "}\n");
}

TEST(JsonReport, RenderRoundTrips) {
    Snapshot snap = sample();
    EXPECT_EQ(ordered_json::parse(render_json(snap)), to_json(snap));
}

// A process may name itself with bytes that are not UTF-8; the report must
// still come out (with U+FFFD) rather than throw.
TEST(JsonReport, NonUtf8CommDoesNotThrow) {
    Snapshot snap;
    ProcessStats p;
    p.comm = std::string("a\xff" "b");
    snap.processes.push_back(p);
    std::string text;
    ASSERT_NO_THROW(text = render_json(snap));
    EXPECT_NE(text.find("\"comm\": \"a\xef\xbf\xbd" "b\""), std::string::npos);
}

}  // namespace
}  // namespace iotrace
