// The text report's number formatting helpers.
#include <gtest/gtest.h>

#include <cstdint>

#include "report/format.h"

namespace iotrace {
namespace {

TEST(Format, GroupDigits) {
    EXPECT_EQ(group_digits(0), "0");
    EXPECT_EQ(group_digits(7), "7");
    EXPECT_EQ(group_digits(10), "10");
    EXPECT_EQ(group_digits(999), "999");
    EXPECT_EQ(group_digits(1000), "1,000");
    EXPECT_EQ(group_digits(12345), "12,345");
    EXPECT_EQ(group_digits(123456), "123,456");
    EXPECT_EQ(group_digits(1234567), "1,234,567");
    EXPECT_EQ(group_digits(UINT64_MAX), "18,446,744,073,709,551,615");
}

TEST(Format, FixedGrouped) {
    EXPECT_EQ(fixed_grouped(0.0, 2), "0.00");
    EXPECT_EQ(fixed_grouped(1234.5, 1), "1,234.5");
    EXPECT_EQ(fixed_grouped(999.996, 2), "1,000.00");  // rounding carries into a new group
    EXPECT_EQ(fixed_grouped(-1234567.25, 2), "-1,234,567.25");
    EXPECT_EQ(fixed_grouped(42.4, 0), "42");
    EXPECT_EQ(fixed_grouped(12.5, 3), "12.500");
}

TEST(Format, RatioZeroDenominatorIsDash) {
    EXPECT_EQ(ratio(5, 0), "-");
    EXPECT_EQ(ratio(0, 0), "-");
    EXPECT_EQ(ratio(0, 3), "0.00");
    EXPECT_EQ(ratio(10, 4), "2.50");
    EXPECT_EQ(ratio(1, 3, 3), "0.333");
    EXPECT_EQ(ratio(1234567, 1, 1), "1,234,567.0");
}

TEST(Format, Percent) {
    EXPECT_EQ(percent(1, 0), "-");
    EXPECT_EQ(percent(0, 0), "-");
    EXPECT_EQ(percent(1, 8), "12.5%");
    EXPECT_EQ(percent(2, 3, 2), "66.67%");
    EXPECT_EQ(percent(5, 5), "100.0%");
}

TEST(Format, HumanDuration) {
    EXPECT_EQ(human_duration_ns(0), "0 ns");
    EXPECT_EQ(human_duration_ns(850), "850 ns");
    EXPECT_EQ(human_duration_ns(999.4), "999 ns");
    EXPECT_EQ(human_duration_ns(999.6), "1.0 us");  // not "1000 ns"
    EXPECT_EQ(human_duration_ns(12'345), "12.3 us");
    EXPECT_EQ(human_duration_ns(999'970), "1.00 ms");  // not "1000.0 us"
    EXPECT_EQ(human_duration_ns(4'560'000), "4.56 ms");
    EXPECT_EQ(human_duration_ns(999'999'000), "1.00 s");
    EXPECT_EQ(human_duration_ns(2.5e9), "2.50 s");
    EXPECT_EQ(human_duration_ns(1234.5e9), "1,234.50 s");
    EXPECT_EQ(human_duration_ns(-1), "-");
}

TEST(Format, Seconds6) {
    EXPECT_EQ(seconds_6(0), "0.000000");
    EXPECT_EQ(seconds_6(1'543'000), "0.001543");
    EXPECT_EQ(seconds_6(999), "0.000000");  // below a microsecond: truncated
    EXPECT_EQ(seconds_6(12'000'345'678), "12.000345");
    EXPECT_EQ(seconds_6(UINT64_MAX), "18446744073.709551");
}

}  // namespace
}  // namespace iotrace
