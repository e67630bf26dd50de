// The weighted-stacks model (src/flame/stacks.h): frame names every format
// can carry, and the merge that sums identical stacks into a fixed order.
#include <gtest/gtest.h>

#include "flame/stacks.h"

namespace iotrace::flame {
namespace {

TEST(FlameSanitize, SeparatorsControlsAndSpaces) {
    EXPECT_EQ(sanitize_frame("a;b"), "a:b");
    EXPECT_EQ(sanitize_frame("  lead"), "lead");
    EXPECT_EQ(sanitize_frame("trail  "), "trail");
    EXPECT_EQ(sanitize_frame("two\nlines\r\tand tab"), "two lines  and tab");
    EXPECT_EQ(sanitize_frame("\n x"), "x");
    EXPECT_EQ(sanitize_frame(""), "[unknown]");
    EXPECT_EQ(sanitize_frame(" \n "), "[unknown]");
    EXPECT_EQ(sanitize_frame("std::vector<int>::push_back(int&&)"), "std::vector<int>::push_back(int&&)");
}

TEST(FlameSanitize, KeepsUtf8ReplacesWhatIsNot) {
    EXPECT_EQ(sanitize_frame("s\xc3\xa9rv \xe2\x98\x83 \xf0\x9f\x94\xa5"), "s\xc3\xa9rv \xe2\x98\x83 \xf0\x9f\x94\xa5");
    EXPECT_EQ(sanitize_frame("t\xff"), "t\xef\xbf\xbd");
    EXPECT_EQ(sanitize_frame("\xc3"), "\xef\xbf\xbd");                 // truncated sequence
    EXPECT_EQ(sanitize_frame("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd");  // overlong '/'
    EXPECT_EQ(sanitize_frame("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // a surrogate
}

TEST(FlameMerge, SumsIdenticalStacksAndSortsByFrames) {
    std::vector<Stack> in = {
        {{"p-1", "read"}, 5},
        {{"p-1", "epoll_wait"}, 7},
        {{"p-1", "read"}, 3},
        {{"p-1"}, 1},
        {{"p-1", "read", "tcp"}, 2},
        {{"p-1", "close"}, 0},
    };
    std::vector<Stack> out = merge_stacks(in);
    ASSERT_EQ(out.size(), 4u);
    EXPECT_EQ(out[0].frames, (std::vector<std::string>{"p-1"}));
    EXPECT_EQ(out[1].frames, (std::vector<std::string>{"p-1", "epoll_wait"}));
    EXPECT_EQ(out[1].weight, 7u);
    EXPECT_EQ(out[2].frames, (std::vector<std::string>{"p-1", "read"}));
    EXPECT_EQ(out[2].weight, 8u);
    EXPECT_EQ(out[3].frames, (std::vector<std::string>{"p-1", "read", "tcp"}));
    EXPECT_EQ(total_weight(out), 18u);

    std::vector<Stack> reversed(in.rbegin(), in.rend());
    std::vector<Stack> again = merge_stacks(reversed);
    ASSERT_EQ(again.size(), out.size());
    for (size_t i = 0; i < out.size(); ++i) {
        EXPECT_EQ(again[i].frames, out[i].frames);
        EXPECT_EQ(again[i].weight, out[i].weight);
    }
}

TEST(FlameWeight, NamesUnitsLabels) {
    Weight w{};
    EXPECT_TRUE(weight_from_name("cpu", w));
    EXPECT_EQ(w, Weight::Cpu);
    EXPECT_FALSE(weight_from_name("wall", w));
    EXPECT_EQ(weight_unit(Weight::Time), "nanoseconds");
    EXPECT_EQ(weight_unit(Weight::Cpu), "nanoseconds");
    EXPECT_EQ(weight_unit(Weight::Count), "none");
    EXPECT_EQ(weight_unit(Weight::Bytes), "bytes");
    EXPECT_EQ(weight_label(Weight::Time, 1234567), "1,234,567 ns");
    EXPECT_EQ(weight_label(Weight::Count, 1), "1 call");
    EXPECT_EQ(weight_label(Weight::Bytes, 2), "2 bytes");
}

}  // namespace
}  // namespace iotrace::flame
