// The JSON report's readiness keys: waits.wakeups/cpu_ns, readiness, fds,
// threads (docs/json.md). Keys, order and values are the contract.
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

FdStats fd(int n, const char* kind, const char* trigger, const char* local, const char* peer, uint64_t base,
           bool oneshot = false) {
    FdStats f;
    f.fd = n;
    f.kind = kind;
    f.trigger = trigger;
    f.oneshot = oneshot;
    f.local = local;
    f.peer = peer;
    // distinct values per field, so a swapped pair shows
    f.reported = base + 1;
    f.reads = base + 2;
    f.bytes = base + 3;
    f.eagain = base + 4;
    f.drains = base + 5;
    f.writes = base + 6;
    f.lt_rereports_unread = base + 7;
    f.lt_rereports_partial = base + 8;
    f.lt_rereports = f.lt_rereports_unread + f.lt_rereports_partial;
    f.write_rereports = base + 9;
    f.et_notifications = base + 10;
    f.et_undrained = base + 11;
    f.herd_rereports = base + 12;
    f.et_stalls = base + 13;
    return f;
}

Snapshot sample() {
    Snapshot snap;
    snap.version = "0.1.0";
    snap.duration_s = 3;
    snap.lost[IOT_LOST_UNKNOWN_REG] = 2;
    snap.lost[IOT_LOST_FD_MAP_FULL] = 3;
    snap.lost[IOT_LOST_ET_PENDING] = 5;
    snap.lost[IOT_LOST_OFFCPU_SLOT] = 7;
    snap.lost[IOT_LOST_EPFD_SLOTS] = 11;

    ProcessStats p;
    p.pid = 300;
    p.comm = "srv";
    p.syscalls[IOT_EPOLL_WAIT].calls = 50;
    p.waits = {50, 5, 60, 200, 60, 9'000'000, 40, 120'000, 11, 4};
    p.readiness = {27, 20, 7, 4, 33, 2, 13, 1};
    p.fds = {fd(3, "tcp", "lt", "0.0.0.0:8080", "", 100), fd(9, "tcp6", "et", "[::1]:8080", "[::1]:40000", 200, true),
             fd(12, "eventfd", "oneshot", "", "", 300, true)};
    p.threads = {{300, "srv", 30, 25, 70, 1, 2, 27, 3, 4, 5, 6, 7, 8, 41},
                 {301, "srv-worker", 20, 15, 0, 0, 20, 0, 0, 0, 0, 0, 0, 9, 19}};
    p.threads[0].zero_timeout_empty = 2;
    snap.processes.push_back(p);

    ProcessStats idle;
    idle.pid = 301;
    idle.comm = "idle";
    snap.processes.push_back(idle);
    return snap;
}

TEST(JsonReadiness, LostHasTheNewReasonsInEnumOrder) {
    ordered_json j = to_json(sample());
    EXPECT_EQ(j["lost_events"], 28u);
    EXPECT_EQ(keys(j["lost"]),
              (std::vector<std::string>{"proc_map_full", "target_map_full", "user_read_failed", "loop_bound",
                                        "task_storage_full", "ringbuf_full", "kernel_read_failed",
                                        "unknown_epoll_registration", "fd_map_full", "et_pending_overflow",
                                        "offcpu_slot_shared", "epoll_fd_slots_full"}));
    EXPECT_EQ(j["lost"]["unknown_epoll_registration"], 2u);
    EXPECT_EQ(j["lost"]["fd_map_full"], 3u);
    EXPECT_EQ(j["lost"]["et_pending_overflow"], 5u);
    EXPECT_EQ(j["lost"]["offcpu_slot_shared"], 7u);
    EXPECT_EQ(j["lost"]["epoll_fd_slots_full"], 11u);
    EXPECT_EQ(j["lost"]["proc_map_full"], 0u);
}

TEST(JsonReadiness, WaitsEndWithWakeupsCpuNsAndZeroTimeouts) {
    ordered_json w = to_json(sample())["processes"][0]["waits"];
    EXPECT_EQ(w, ordered_json::parse(R"({"calls":50,"empty":5,"ready":60,"watched":200,"scanned":60,
                                         "time_ns":9000000,"wakeups":40,"cpu_ns":120000,
                                         "zero_timeout":11,"zero_timeout_empty":4})"));
}

TEST(JsonReadiness, ReadinessObject) {
    ordered_json p = to_json(sample())["processes"][0];
    EXPECT_EQ(keys(p["readiness"]),
              (std::vector<std::string>{"lt_rereports", "lt_rereports_unread", "lt_rereports_partial",
                                        "write_rereports_unwritten", "et_notifications", "et_undrained",
                                        "et_stalls", "herd_rereports"}));
    EXPECT_EQ(p["readiness"], ordered_json::parse(R"({"lt_rereports":27,"lt_rereports_unread":20,
        "lt_rereports_partial":7,"write_rereports_unwritten":4,"et_notifications":33,"et_undrained":2,
        "et_stalls":1,"herd_rereports":13})"));
}

TEST(JsonReadiness, FdsInSnapshotOrderWithEveryKey) {
    ordered_json fds = to_json(sample())["processes"][0]["fds"];
    ASSERT_TRUE(fds.is_array());
    ASSERT_EQ(fds.size(), 3u);
    EXPECT_EQ(keys(fds[0]),
              (std::vector<std::string>{"fd", "kind", "trigger", "oneshot", "local", "peer", "reported", "reads", "bytes",
                                        "eagain", "drains", "writes", "lt_rereports", "lt_rereports_unread",
                                        "lt_rereports_partial", "write_rereports", "et_notifications",
                                        "et_undrained", "et_stalls", "herd_rereports"}));
    EXPECT_EQ(fds[0], ordered_json::parse(R"({"fd":3,"kind":"tcp","trigger":"lt","oneshot":false,"local":"0.0.0.0:8080",
        "peer":"","reported":101,"reads":102,"bytes":103,"eagain":104,"drains":105,"writes":106,
        "lt_rereports":215,"lt_rereports_unread":107,"lt_rereports_partial":108,"write_rereports":109,
        "et_notifications":110,"et_undrained":111,"et_stalls":113,"herd_rereports":112})"));
    EXPECT_EQ(fds[1], ordered_json::parse(R"({"fd":9,"kind":"tcp6","trigger":"et","oneshot":true,"local":"[::1]:8080",
        "peer":"[::1]:40000","reported":201,"reads":202,"bytes":203,"eagain":204,"drains":205,"writes":206,
        "lt_rereports":415,"lt_rereports_unread":207,"lt_rereports_partial":208,"write_rereports":209,
        "et_notifications":210,"et_undrained":211,"et_stalls":213,"herd_rereports":212})"));
    // Non-sockets: local and peer are present, as empty strings.
    EXPECT_EQ(fds[2], ordered_json::parse(R"({"fd":12,"kind":"eventfd","trigger":"oneshot","oneshot":true,"local":"",
        "peer":"","reported":301,"reads":302,"bytes":303,"eagain":304,"drains":305,"writes":306,
        "lt_rereports":615,"lt_rereports_unread":307,"lt_rereports_partial":308,"write_rereports":309,
        "et_notifications":310,"et_undrained":311,"et_stalls":313,"herd_rereports":312})"));
}

TEST(JsonReadiness, ThreadsInSnapshotOrder) {
    ordered_json th = to_json(sample())["processes"][0]["threads"];
    ASSERT_EQ(th.size(), 2u);
    EXPECT_EQ(keys(th[0]), (std::vector<std::string>{"tid", "comm", "model", "findings", "waits", "wakeups", "ready",
                                                     "recv", "select_waits", "poll_waits", "epoll_waits",
                                                     "zero_timeout", "zero_timeout_empty", "recv_eagain",
                                                     "recv_blocked", "accepts",
                                                     "accept_blocked", "uring_enters"}));
    // No diagnosis was made (diagnose() not called): the keys are there, empty.
    EXPECT_EQ(th, ordered_json::parse(R"([{"tid":300,"comm":"srv",
        "model":{"name":"","modifier":"","confidence":"","evidence":[]},"findings":[],"waits":30,"wakeups":25,"ready":41,"recv":70,
        "select_waits":1,"poll_waits":2,"epoll_waits":27,"zero_timeout":3,"zero_timeout_empty":2,"recv_eagain":4,"recv_blocked":5,
        "accepts":6,"accept_blocked":7,"uring_enters":8},
        {"tid":301,"comm":"srv-worker",
        "model":{"name":"","modifier":"","confidence":"","evidence":[]},"findings":[],"waits":20,"wakeups":15,"ready":19,"recv":0,"select_waits":0,"poll_waits":20,
        "epoll_waits":0,"zero_timeout":0,"zero_timeout_empty":0,"recv_eagain":0,"recv_blocked":0,"accepts":0,"accept_blocked":0,
        "uring_enters":9}])"));
}

// A process with nothing to say still has every key: zeros and empty arrays.
TEST(JsonReadiness, EmptyProcessHasZerosAndEmptyArrays) {
    ordered_json p = to_json(sample())["processes"][1];
    EXPECT_EQ(p["waits"]["wakeups"], 0u);
    EXPECT_EQ(p["waits"]["cpu_ns"], 0u);
    EXPECT_EQ(p["readiness"], ordered_json::parse(R"({"lt_rereports":0,"lt_rereports_unread":0,
        "lt_rereports_partial":0,"write_rereports_unwritten":0,"et_notifications":0,"et_undrained":0,
        "et_stalls":0,"herd_rereports":0})"));
    EXPECT_TRUE(p["fds"].is_array());
    EXPECT_TRUE(p["fds"].empty());
    EXPECT_TRUE(p["threads"].is_array());
    EXPECT_TRUE(p["threads"].empty());
}

TEST(JsonReadiness, RenderedTail) {
    Snapshot snap;
    ProcessStats p;
    p.pid = 5;
    p.fds = {fd(4, "pipe", "poll", "", "", 0)};
    p.threads = {{5, "a", 1, 1, 2, 0, 1, 0, 3, 4, 5, 6, 7, 8, 9}};
    snap.processes.push_back(p);
    std::string text = render_json(snap);
    const std::string tail =
        "      \"readiness\": {\n"
        "        \"lt_rereports\": 0,\n"
        "        \"lt_rereports_unread\": 0,\n"
        "        \"lt_rereports_partial\": 0,\n"
        "        \"write_rereports_unwritten\": 0,\n"
        "        \"et_notifications\": 0,\n"
        "        \"et_undrained\": 0,\n"
        "        \"et_stalls\": 0,\n"
        "        \"herd_rereports\": 0\n"
        "      },\n"
        "      \"fds\": [\n"
        "        {\n"
        "          \"fd\": 4,\n"
        "          \"kind\": \"pipe\",\n"
        "          \"trigger\": \"poll\",\n"
        "          \"oneshot\": false,\n"
        "          \"local\": \"\",\n"
        "          \"peer\": \"\",\n"
        "          \"reported\": 1,\n"
        "          \"reads\": 2,\n"
        "          \"bytes\": 3,\n"
        "          \"eagain\": 4,\n"
        "          \"drains\": 5,\n"
        "          \"writes\": 6,\n"
        "          \"lt_rereports\": 15,\n"
        "          \"lt_rereports_unread\": 7,\n"
        "          \"lt_rereports_partial\": 8,\n"
        "          \"write_rereports\": 9,\n"
        "          \"et_notifications\": 10,\n"
        "          \"et_undrained\": 11,\n"
        "          \"et_stalls\": 13,\n"
        "          \"herd_rereports\": 12\n"
        "        }\n"
        "      ],\n"
        "      \"threads\": [\n"
        "        {\n"
        "          \"tid\": 5,\n"
        "          \"comm\": \"a\",\n"
        "          \"model\": {\n"
        "            \"name\": \"\",\n"
        "            \"modifier\": \"\",\n"
        "            \"confidence\": \"\",\n"
        "            \"evidence\": []\n"
        "          },\n"
        "          \"findings\": [],\n"
        "          \"waits\": 1,\n"
        "          \"wakeups\": 1,\n"
        "          \"ready\": 9,\n"
        "          \"recv\": 2,\n"
        "          \"select_waits\": 0,\n"
        "          \"poll_waits\": 1,\n"
        "          \"epoll_waits\": 0,\n"
        "          \"zero_timeout\": 3,\n"
        "          \"zero_timeout_empty\": 0,\n"
        "          \"recv_eagain\": 4,\n"
        "          \"recv_blocked\": 5,\n"
        "          \"accepts\": 6,\n"
        "          \"accept_blocked\": 7,\n"
        "          \"uring_enters\": 8\n"
        "        }\n"
        "      ]\n"
        "    }\n"
        "  ]\n"
        "}\n";
    ASSERT_GE(text.size(), tail.size());
    EXPECT_EQ(text.substr(text.size() - tail.size()), tail);
}

TEST(JsonReadiness, RoundTrips) {
    Snapshot snap = sample();
    EXPECT_EQ(ordered_json::parse(render_json(snap)), to_json(snap));
}

}  // namespace
}  // namespace iotrace
