// The /proc parsing behind `-f`'s walk of the processes that exist at attach.
#include <gtest/gtest.h>
#include <unistd.h>

#include "proc/descendants.h"

namespace iotrace {
namespace {

TEST(Descendants, ParsesChildrenFile) {
    // the kernel's format: each pid followed by a space, no newline
    EXPECT_EQ(parse_children("1235 1236 "), (std::vector<int>{1235, 1236}));
    EXPECT_EQ(parse_children(""), std::vector<int>{});
    EXPECT_EQ(parse_children("42\n"), std::vector<int>{42});
}

TEST(Descendants, ParsesPpidFromStat) {
    EXPECT_EQ(parse_stat_ppid("1234 (nginx) S 1 1234 1234 0 -1 4194560 154 0 0 0"), 1);
    // a comm with spaces and parentheses: fields start after the last ')'
    EXPECT_EQ(parse_stat_ppid("77 (a) b) (c) R 76 77 77 0 -1"), 76);
    EXPECT_EQ(parse_stat_ppid("99 (x"), std::nullopt);
    EXPECT_EQ(parse_stat_ppid("99 (x) S"), std::nullopt);
    EXPECT_EQ(parse_stat_ppid("99 (x) S notanumber 1"), std::nullopt);
}

TEST(Descendants, WalksTheTreeParentsFirst) {
    std::vector<ProcParent> all = {{1, 0}, {10, 1}, {12, 11}, {11, 10}, {13, 10}, {20, 1}, {30, 12}};
    std::vector<ProcParent> want = {{11, 10}, {13, 10}, {12, 11}, {30, 12}};
    EXPECT_EQ(descendants_of(10, all), want);
    EXPECT_EQ(descendants_of(30, all), std::vector<ProcParent>{});
    EXPECT_EQ(descendants_of(99, all), std::vector<ProcParent>{});
}

TEST(Descendants, ACycleFromPidReuseEnds) {
    // read while pids were reused: 5's parent is 6 and 6's is 5
    std::vector<ProcParent> all = {{5, 6}, {6, 5}, {7, 7}};
    auto got = descendants_of(5, all);
    EXPECT_EQ(got, (std::vector<ProcParent>{{6, 5}}));
    EXPECT_EQ(descendants_of(7, all), std::vector<ProcParent>{});
}

TEST(Descendants, ReadsThisProcessTree) {
    // the test binary has no children: an empty answer, not a failure
    EXPECT_EQ(read_descendants(::getpid()), std::vector<ProcParent>{});
    EXPECT_EQ(read_descendants(1 << 30), std::vector<ProcParent>{});
}

}  // namespace
}  // namespace iotrace
