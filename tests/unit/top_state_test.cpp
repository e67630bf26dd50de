// TopState driven without a terminal: sorting, deferred re-sort, filter,
// selection, lingering rows, pause, threads, keys.
#include <gtest/gtest.h>

#include "top/keys.h"
#include "top/top_state.h"
#include "top_fixtures.h"

namespace iotrace {
namespace {

using testing::frame;
using testing::kWall;
using testing::P;
using testing::pids;
using testing::test_options;
using testing::waiter;

// Three processes waiting 10, 30 and 20 times a second, at t.
TopFrame three(double t, double a = 10, double b = 30, double c = 20) {
    return frame(t, {waiter(1, "alpha", a, t), waiter(2, "nginx", b, t), waiter(3, "nginx-worker", c, t)});
}

TEST(TopState, SortsByWaitsBiggestFirst) {
    TopState s(test_options());
    s.update(three(1), kWall);
    EXPECT_EQ(pids(s.shown_rows()), (std::vector<int>{2, 3, 1}));
    EXPECT_EQ(s.key('R'), Action::Redraw);
    EXPECT_EQ(pids(s.shown_rows()), (std::vector<int>{1, 3, 2}));
    EXPECT_TRUE(s.reversed());
}

TEST(TopState, SortColumnKeys) {
    TopState s(test_options());
    s.update(three(1), kWall);
    EXPECT_EQ(s.sort_column(), Col::Waits);
    s.key('<');
    EXPECT_EQ(s.sort_column(), Col::Model);
    s.key('<');
    s.key('<');
    EXPECT_EQ(s.sort_column(), Col::User);
    s.key('<');
    EXPECT_EQ(s.sort_column(), Col::Pid);
    EXPECT_EQ(pids(s.shown_rows()), (std::vector<int>{1, 2, 3}));
    s.key('<');
    EXPECT_EQ(s.sort_column(), Col::Worst);  // wraps around
    s.key('>');
    s.key('>');
    EXPECT_EQ(s.sort_column(), Col::User);
    s.key('>');
    EXPECT_EQ(s.sort_column(), Col::Command);
    EXPECT_EQ(pids(s.shown_rows()), (std::vector<int>{1, 2, 3}));  // alpha, nginx, nginx-worker
}

TEST(TopState, F6ChoosesTheColumnFromAList) {
    TopState s(test_options());
    s.update(three(1), kWall);
    EXPECT_EQ(s.key(keys::kF6), Action::Redraw);
    EXPECT_TRUE(s.choosing_column());
    s.key(keys::kHome);
    s.key(keys::kDown);
    s.key(keys::kDown);
    s.key('\n');
    EXPECT_FALSE(s.choosing_column());
    EXPECT_EQ(s.sort_column(), Col::Command);
    // Esc leaves it as it was.
    s.key(keys::kF6);
    s.key(keys::kDown);
    s.key(keys::kEscape);
    EXPECT_EQ(s.sort_column(), Col::Command);
}

TEST(TopState, DashesSortLastEitherWay) {
    TopState s(test_options());
    s.update(frame(1, {waiter(1, "a", 10, 1), P(2, "quiet").recv(5), waiter(3, "b", 20, 1)}), kWall);
    s.key('>');  // RDY/W: "-" for the process without waits
    EXPECT_EQ(s.sort_column(), Col::ReadyPerWait);
    EXPECT_EQ(s.shown_rows().back().pid, 2);
    s.key('R');
    EXPECT_EQ(s.shown_rows().back().pid, 2);
}

TEST(TopState, ResortWaitsWhileTheUserMoves) {
    TopOptions o = test_options();
    o.resort_hold_refreshes = 2;
    TopState s(o);
    s.update(three(1), kWall);
    ASSERT_EQ(pids(s.shown_rows()), (std::vector<int>{2, 3, 1}));
    s.key(keys::kDown);  // on pid 3
    EXPECT_EQ(s.selected_pid(), 3);
    // Now alpha is the busiest, and a new process comes.
    auto busier = [](double t) {
        TopFrame f = three(t, 10 + 100 * (t - 1), 30, 20);
        f.snap.processes.push_back(waiter(4, "late", 1000, 0.5));
        return f;
    };
    s.update(busier(2), kWall + 1);
    EXPECT_EQ(pids(s.shown_rows()), (std::vector<int>{2, 3, 1, 4}));  // in their places; the new one below
    EXPECT_EQ(s.selected_pid(), 3);
    s.update(busier(3), kWall + 2);
    EXPECT_EQ(pids(s.shown_rows()), (std::vector<int>{2, 3, 1, 4}));
    s.update(busier(4), kWall + 3);
    EXPECT_EQ(pids(s.shown_rows()), (std::vector<int>{1, 2, 3, 4}));  // re-sorted: 100/s, 30, 20, 0
    EXPECT_EQ(s.selected_pid(), 3);  // the selection followed its process
    EXPECT_EQ(s.selected_index(), 2u);
}

TEST(TopState, SelectionFollowsItsProcessAcrossRefreshes) {
    TopState s(test_options());
    s.update(three(1), kWall);
    s.key(keys::kEnd);
    EXPECT_EQ(s.selected_pid(), 1);
    EXPECT_EQ(s.selected_index(), 2u);
    s.update(three(2), kWall + 1);  // held: same places
    s.update(three(3), kWall + 2);
    // Rates change so that pid 1 is first once re-sorted.
    s.update(three(4, 90, 30, 20), kWall + 3);
    s.update(frame(5, {waiter(1, "alpha", 90, 5), waiter(2, "nginx", 30, 5), waiter(3, "nginx-worker", 20, 5)}),
             kWall + 4);
    EXPECT_EQ(s.selected_pid(), 1);
    EXPECT_EQ(s.selected_index(), 0u);
}

TEST(TopState, SelectionMovesToItsPlaceWhenItsProcessIsGone) {
    TopOptions o = test_options();
    o.linger_refreshes = 0;
    o.resort_hold_refreshes = 0;
    TopState s(o);
    s.update(three(1), kWall);
    s.key(keys::kDown);  // pid 3, index 1
    s.update(frame(2, {waiter(1, "alpha", 10, 2), waiter(2, "nginx", 30, 2)}), kWall + 1);
    EXPECT_EQ(s.selected_index(), 1u);
    EXPECT_EQ(s.selected_pid(), 1);
}

TEST(TopState, MovementKeysStayInBounds) {
    TopState s(test_options());
    s.update(three(1), kWall);
    s.key(keys::kUp);
    EXPECT_EQ(s.selected_index(), 0u);
    s.key(keys::kPageDown);
    EXPECT_EQ(s.selected_index(), 2u);
    s.key(keys::kDown);
    EXPECT_EQ(s.selected_index(), 2u);
    s.key(keys::kPageUp);
    EXPECT_EQ(s.selected_index(), 0u);
}

TEST(TopState, FilterByCommandSubstring) {
    TopState s(test_options());
    s.update(three(1), kWall);
    EXPECT_EQ(s.key('/'), Action::Redraw);
    EXPECT_TRUE(s.editing_filter());
    s.key('N');  // case does not matter
    s.key('g');
    EXPECT_EQ(s.filter(), "Ng");
    EXPECT_EQ(pids(s.shown_rows()), (std::vector<int>{2, 3}));
    s.key('x');
    EXPECT_TRUE(s.shown_rows().empty());
    s.key(keys::kBackspace);
    s.key('\n');
    EXPECT_FALSE(s.editing_filter());
    EXPECT_EQ(pids(s.shown_rows()), (std::vector<int>{2, 3}));
    // The filter holds across refreshes, and q typed outside the prompt quits.
    s.update(three(2), kWall + 1);
    EXPECT_EQ(pids(s.shown_rows()), (std::vector<int>{2, 3}));
    EXPECT_EQ(s.key(keys::kEscape), Action::Redraw);
    EXPECT_EQ(s.filter(), "");
    EXPECT_EQ(s.shown_rows().size(), 3u);
    EXPECT_EQ(s.key(keys::kEscape), Action::None);
}

TEST(TopState, EscWhileTypingClearsTheFilter) {
    TopState s(test_options());
    s.update(three(1), kWall);
    s.key('/');
    s.key('q');  // a character here, not quit
    EXPECT_EQ(s.filter(), "q");
    s.key(keys::kEscape);
    EXPECT_FALSE(s.editing_filter());
    EXPECT_EQ(s.filter(), "");
    EXPECT_EQ(s.shown_rows().size(), 3u);
}

TEST(TopState, ExitedProcessLingersMarkedThenGoes) {
    TopOptions o = test_options();
    o.linger_refreshes = 2;
    TopState s(o);
    s.update(three(1), kWall);
    TopFrame f = frame(2, {waiter(1, "alpha", 10, 2), P(waiter(2, "nginx", 30, 2)).exited(),
                           waiter(3, "nginx-worker", 20, 2)});
    s.update(f, kWall + 1);
    auto find = [&](int pid) -> const Row* {
        for (const Row& r : s.shown_rows())
            if (r.pid == pid) return &r;
        return nullptr;
    };
    ASSERT_NE(find(2), nullptr);
    EXPECT_TRUE(find(2)->exited);
    EXPECT_EQ(find(2)->gone_for, 0);
    EXPECT_DOUBLE_EQ((*find(2))[Col::Waits].v, 30);
    EXPECT_EQ(s.header().exited, 1u);
    TopFrame later = frame(3, {waiter(1, "alpha", 10, 3), waiter(3, "nginx-worker", 20, 3)});
    s.update(later, kWall + 2);
    ASSERT_NE(find(2), nullptr);
    EXPECT_EQ(find(2)->gone_for, 1);
    EXPECT_EQ(s.frame_rows().size(), 2u);  // not a row of this frame
    later.t_s = 4;
    s.update(later, kWall + 3);
    ASSERT_NE(find(2), nullptr);
    EXPECT_EQ(find(2)->gone_for, 2);
    later.t_s = 5;
    s.update(later, kWall + 4);
    EXPECT_EQ(find(2), nullptr);
    EXPECT_EQ(s.shown_rows().size(), 2u);
}

TEST(TopState, LingeringRowGivesWayToAReusedPid) {
    TopState s(test_options());
    s.update(frame(1, {waiter(5, "old", 10, 1)}), kWall);
    s.update(frame(2, {P(waiter(5, "old", 10, 2)).exited()}), kWall + 1);
    s.update(frame(3, {waiter(5, "new", 10, 0.5)}), kWall + 2);
    ASSERT_EQ(s.shown_rows().size(), 1u);
    EXPECT_EQ(s.shown_rows()[0].comm, "new");
}

TEST(TopState, PauseKeepsTheRowsWhileFramesArrive) {
    TopState s(test_options());
    s.update(three(1), kWall);
    EXPECT_EQ(s.key('p'), Action::Redraw);
    EXPECT_TRUE(s.paused());
    TopFrame next = three(2);
    next.snap.processes.push_back(waiter(9, "newcomer", 5, 1));
    s.update(next, kWall + 1);
    EXPECT_EQ(pids(s.shown_rows()), (std::vector<int>{2, 3, 1}));
    EXPECT_EQ(s.frame_rows().size(), 4u);  // the frames went on
    // Sorting and filtering act on the paused rows.
    s.key('R');
    EXPECT_EQ(pids(s.shown_rows()), (std::vector<int>{1, 3, 2}));
    s.key(' ');
    EXPECT_FALSE(s.paused());
    EXPECT_EQ(pids(s.shown_rows()), (std::vector<int>{9, 1, 3, 2}));  // still reversed
}

TEST(TopState, ThreadsKey) {
    TopState s(test_options());
    s.update(frame(1, {P(10, "srv").waits(30).thread(10, "srv", 10).thread(11, "worker", 20), waiter(20, "other", 5, 1)}),
             kWall);
    EXPECT_EQ(s.shown_rows().size(), 2u);
    s.key('H');
    EXPECT_TRUE(s.threads());
    EXPECT_EQ(pids(s.shown_rows()), (std::vector<int>{11, 10}));  // pid 20 made no thread figures
    EXPECT_TRUE(s.shown_rows()[0].is_thread());
    EXPECT_EQ(s.shown_rows()[0].comm, "worker");
    EXPECT_EQ(s.shown_rows()[0].user, "u1000");
    s.update(frame(2, {P(10, "srv").waits(60).thread(10, "srv", 40).thread(11, "worker", 20), waiter(20, "other", 5, 2)}),
             kWall + 1);
    EXPECT_EQ(pids(s.shown_rows()), (std::vector<int>{10, 11}));
    EXPECT_DOUBLE_EQ(s.shown_rows()[0][Col::Waits].v, 30);
    s.key('H');
    EXPECT_EQ(pids(s.shown_rows()), (std::vector<int>{10, 20}));
}

TEST(TopState, EnterOpensTheDetailEscAndLeftClose) {
    TopState s(test_options());
    s.update(three(1), kWall);
    s.key(keys::kDown);
    EXPECT_EQ(s.key('\n'), Action::Redraw);
    EXPECT_TRUE(s.detail_open());
    EXPECT_EQ(s.selected_pid(), 3);
    EXPECT_EQ(s.key(keys::kEscape), Action::Redraw);
    EXPECT_FALSE(s.detail_open());
    s.key(keys::kEnter);
    EXPECT_TRUE(s.detail_open());
    s.key(keys::kLeft);
    EXPECT_FALSE(s.detail_open());
    // Nothing to open without rows.
    TopState empty(test_options());
    empty.update(frame(1, {}), kWall);
    EXPECT_EQ(empty.key('\n'), Action::None);
    EXPECT_FALSE(empty.detail_open());
}

TEST(TopState, HelpQuitResizeAndUnknownKeys) {
    TopState s(test_options());
    s.update(three(1), kWall);
    EXPECT_EQ(s.key('?'), Action::Redraw);
    EXPECT_TRUE(s.help_open());
    EXPECT_EQ(s.key('x'), Action::Redraw);  // any key closes it
    EXPECT_FALSE(s.help_open());
    EXPECT_EQ(s.key(keys::kResize), Action::Redraw);
    EXPECT_EQ(s.key('x'), Action::None);
    EXPECT_EQ(s.key('q'), Action::Quit);
    EXPECT_EQ(s.key(keys::kCtrlC), Action::Quit);
    s.key('/');
    EXPECT_EQ(s.key(keys::kCtrlC), Action::Quit);
}

TEST(TopState, HeaderFigures) {
    TopState s(test_options());
    s.update(frame(1, {waiter(1, "a", 10, 1)}, 3), kWall);
    s.update(frame(3, {waiter(1, "a", 10, 3), waiter(2, "b", 40, 2)}, 5), kWall + 2);
    const TopHeader& h = s.header();
    EXPECT_DOUBLE_EQ(h.interval_s, 2);
    EXPECT_EQ(h.lost_interval, 2u);
    EXPECT_EQ(h.lost_total, 5u);
    EXPECT_EQ(h.processes, 2u);
    EXPECT_DOUBLE_EQ(h.waits_per_s, 10 + 40);  // b's 80 waits since it appeared, over the 2 s
    EXPECT_EQ(h.refreshes, 2u);
    EXPECT_DOUBLE_EQ(h.wall_time, kWall + 2);
}

}  // namespace
}  // namespace iotrace
