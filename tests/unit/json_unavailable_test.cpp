// The JSON report of a degraded load: unavailable figures are null, never 0,
// and the document says which parts are missing and why (docs/json.md).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "report/json_report.h"
#include "wait_loop_fixture.h"

namespace iotrace {
namespace {

using nlohmann::ordered_json;

Snapshot degraded(std::initializer_list<Part> missing) {
    Snapshot snap;
    snap.version = "0.1.0";
    snap.duration_s = 1;
    for (Part p : missing) snap.availability.missing[p] = std::string("prog of ") + part_name(p) + ": refused";
    snap.processes.push_back(testing::wait_loop(IOT_POLL, "poll", {42}));
    return snap;
}

TEST(JsonUnavailable, CompleteLoadHasEmptyListsAndNoNull) {
    ordered_json j = to_json(degraded({}));
    EXPECT_EQ(j["unavailable"], ordered_json::array());
    const ordered_json& p = j["processes"][0];
    EXPECT_EQ(p["unavailable"], ordered_json::array());
    EXPECT_EQ(p["waits"]["cpu_ns"], 300000u);
    EXPECT_TRUE(p["fds"].is_array());
    EXPECT_EQ(j.dump().find("null"), std::string::npos) << j.dump(1);
}

TEST(JsonUnavailable, TopLevelNamesPartsAndWhy) {
    ordered_json j = to_json(degraded({Part::WaitCpuTime, Part::PollReadiness}));
    // enum order, whatever order they were found in
    EXPECT_EQ(j["unavailable"], ordered_json::parse(R"([
        {"part": "poll_readiness", "why": "prog of poll_readiness: refused"},
        {"part": "wait_cpu_time", "why": "prog of wait_cpu_time: refused"}])"));
}

// exit_poll failed: the poll loop's readiness is null, fds too, and the
// counts are all there.
TEST(JsonUnavailable, ReadinessNullCountsExact) {
    ordered_json p = to_json(degraded({Part::PollReadiness}))["processes"][0];
    EXPECT_EQ(p["unavailable"], ordered_json::parse(R"(["readiness", "fds"])"));
    for (const auto& [k, v] : p["readiness"].items()) EXPECT_TRUE(v.is_null()) << k;
    EXPECT_EQ(p["readiness"].size(), 8u);  // the keys stay
    EXPECT_TRUE(p["fds"].is_null());
    EXPECT_EQ(p["syscalls"]["poll"]["calls"], 10u);
    EXPECT_EQ(p["waits"]["ready"], 12u);
    EXPECT_EQ(p["recv"]["calls"], 8u);
    EXPECT_EQ(p["threads"][0]["waits"], 10u);
}

TEST(JsonUnavailable, CpuNsNullRestExact) {
    ordered_json p = to_json(degraded({Part::WaitCpuTime}))["processes"][0];
    EXPECT_EQ(p["unavailable"], ordered_json::parse(R"(["waits.cpu_ns"])"));
    EXPECT_TRUE(p["waits"]["cpu_ns"].is_null());
    EXPECT_EQ(p["waits"]["time_ns"], 2000000u);
    EXPECT_EQ(p["waits"]["calls"], 10u);
    EXPECT_EQ(p["readiness"]["lt_rereports"], 2u);
}

// enter_select failed: the select rows appear (null) though the process made
// no select call that anyone saw; every waits figure is null.
TEST(JsonUnavailable, CountsNullRowsPresent) {
    ordered_json p = to_json(degraded({Part::SelectCounts, Part::SelectReadiness}))["processes"][0];
    std::vector<std::string> rows;
    for (const auto& [k, v] : p["syscalls"].items()) rows.push_back(k);
    EXPECT_EQ(rows, (std::vector<std::string>{"select", "pselect6", "poll", "read", "write"}));
    EXPECT_EQ(p["syscalls"]["select"], ordered_json::parse(
                                           R"({"calls":null,"errors":null,"eagain":null,"time_ns":null,
                                               "hist_log2_ns":null})"));
    for (const auto& [k, v] : p["waits"].items()) EXPECT_TRUE(v.is_null()) << k;
    EXPECT_TRUE(p["copy"]["wait_in_bytes"].is_null());
    EXPECT_TRUE(p["copy"]["wait_out_bytes"].is_null());
    EXPECT_EQ(p["copy"]["recv_bytes"], 800u);
    EXPECT_TRUE(p["threads"][0]["waits"].is_null());
    EXPECT_TRUE(p["threads"][0]["poll_waits"].is_null());
    EXPECT_EQ(p["threads"][0]["recv"], 8u);
    EXPECT_EQ(p["syscalls"]["poll"]["calls"], 10u);
}

TEST(JsonUnavailable, RecvNull) {
    ordered_json p = to_json(degraded({Part::Recv}))["processes"][0];
    for (const auto& [k, v] : p["recv"].items()) EXPECT_TRUE(v.is_null()) << k;
    EXPECT_TRUE(p["syscalls"]["recvfrom"]["calls"].is_null());
    EXPECT_TRUE(p["syscalls"]["read"]["calls"].is_null());
    EXPECT_TRUE(p["copy"]["recv_bytes"].is_null());
    EXPECT_TRUE(p["threads"][0]["recv"].is_null());
    EXPECT_TRUE(p["readiness"]["lt_rereports"].is_null());  // it waited: drains unknown
    EXPECT_EQ(p["send"]["calls"], 8u);
}

}  // namespace
}  // namespace iotrace
