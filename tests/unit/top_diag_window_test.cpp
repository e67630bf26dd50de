// iotrace top's diagnosis window (src/top/diag_window.h): the model over the
// last window_s to 2 * window_s seconds, so it follows what a process does
// now.
#include <gtest/gtest.h>

#include "top/diag_window.h"
#include "top_fixtures.h"

namespace iotrace {
namespace {

using testing::frame;
using testing::P;

// Edge-triggered epoll until t = 10 (100 waits a second), then select.
ProcessStats switcher(int t) {
    uint64_t e = 100 * static_cast<uint64_t>(std::min(t, 10));
    uint64_t s = t > 10 ? 100 * static_cast<uint64_t>(t - 10) : 0;
    return P(7, "switch").waits(e + s, e + s).as(IOT_SELECT, s).fd(5, "tcp", "et", e, e, e * 10, "10.0.0.1:40000");
}

TEST(TopDiagWindow, SpansWindowToTwiceTheWindow) {
    DiagWindows w(5);
    std::vector<double> spans;
    for (int t = 1; t <= 16; ++t) {
        w.advance(frame(t, {switcher(t)}), t - 1);
        spans.push_back(w.span_s(7));
    }
    std::vector<double> want = {1, 2, 3, 4, 5, 6, 7, 8, 9, 5, 6, 7, 8, 9, 5, 6};
    EXPECT_EQ(spans, want);
}

TEST(TopDiagWindow, ModelFollowsAChangeWithinTwoWindows) {
    DiagWindows w(5);
    for (int t = 1; t <= 10; ++t) w.advance(frame(t, {switcher(t)}), t - 1);
    ASSERT_NE(w.window_of(7), nullptr);
    EXPECT_EQ(w.window_of(7)->diagnosis.model.name, "epoll-et");
    EXPECT_EQ(w.window_of(7)->waits.calls, 500u);  // t 5 to 10
    for (int t = 11; t <= 15; ++t) w.advance(frame(t, {switcher(t)}), t - 1);
    EXPECT_EQ(w.window_of(7)->diagnosis.model.name, "select");
    EXPECT_EQ(w.window_of(7)->syscalls[IOT_SELECT].calls, 500u);
    EXPECT_EQ(w.window_of(7)->syscalls[IOT_EPOLL_WAIT].calls, 0u);
}

TEST(TopDiagWindow, NewProcessWindowStartsAtThePreviousFrame) {
    DiagWindows w(5);
    w.advance(frame(1, {switcher(1)}), 0);
    w.advance(frame(2, {switcher(2), P(9, "late").waits(40, 40)}), 1);
    EXPECT_DOUBLE_EQ(w.span_s(9), 1);
    EXPECT_EQ(w.window_of(9)->waits.calls, 40u);
    EXPECT_EQ(w.window_of(9)->diagnosis.model.name, "epoll");  // no fd reported: triggering unknown
}

TEST(TopDiagWindow, ExitedKeptForLingeringThenDropped) {
    DiagWindows w(5, 2);
    w.advance(frame(1, {switcher(1)}), 0);
    w.advance(frame(2, {P(switcher(2)).exited()}), 1);
    ASSERT_NE(w.window_of(7), nullptr);
    w.advance(frame(3, {}), 2);
    w.advance(frame(4, {}), 3);
    EXPECT_NE(w.window_of(7), nullptr);
    w.advance(frame(5, {}), 4);
    EXPECT_EQ(w.window_of(7), nullptr);
}

TEST(TopDiagWindow, ReusedPidStartsAfresh) {
    DiagWindows w(5);
    w.advance(frame(1, {switcher(3)}), 0);
    w.advance(frame(2, {P(switcher(3)).exited()}), 1);
    w.advance(frame(3, {P(7, "again").waits(10, 10)}), 2);
    EXPECT_EQ(w.window_of(7)->comm, "again");
    EXPECT_EQ(w.window_of(7)->waits.calls, 10u);
    EXPECT_DOUBLE_EQ(w.span_s(7), 1);
}

TEST(TopDiagWindow, LostEventsInTheWindowLowerConfidence) {
    DiagWindows w(5);
    w.advance(frame(1, {switcher(1)}, 4), 0);
    for (int t = 2; t <= 10; ++t) w.advance(frame(t, {switcher(t)}, 4), t - 1);
    EXPECT_EQ(w.window_of(7)->diagnosis.model.confidence, "high");  // the losses were before the window
    w.advance(frame(11, {switcher(10)}, 9), 10);
    EXPECT_EQ(w.window_of(7)->diagnosis.model.confidence, "medium");
}

}  // namespace
}  // namespace iotrace
