// Number formatting for the text report. Written by hand rather than with
// fmt's "{:L}" because that depends on the process locale: the report must
// read the same whatever LANG the user runs iotrace under.
#pragma once

#include <cstdint>
#include <string>

namespace iotrace {

// 1234567 -> "1,234,567".
std::string group_digits(uint64_t n);

// value with `decimals` digits after the point and a grouped integer part:
// (1234.5, 1) -> "1,234.5". Negative values keep their sign.
std::string fixed_grouped(double value, int decimals);

// num / den with `decimals` digits; "-" when den is 0, so a report never
// prints NaN or inf.
std::string ratio(uint64_t num, uint64_t den, int decimals = 2);

// part / whole as a percentage, "12.5%"; "-" when whole is 0.
std::string percent(uint64_t part, uint64_t whole, int decimals = 1);

// A duration in the largest unit that keeps it >= 1: "850 ns", "12.3 us",
// "4.56 ms", "2.50 s". Takes a double so means (total / calls) keep their
// fraction.
std::string human_duration_ns(double ns);

// "n/a" for a figure the kernel side could not count on this machine
// (src/model/unavailable.h), else the formatted figure.
inline std::string or_na(bool unavailable, std::string formatted) {
    return unavailable ? "n/a" : std::move(formatted);
}

// ns as seconds with six decimals, "0.001543", the way strace -c prints its
// seconds column. Integer arithmetic: exact for any uint64_t.
std::string seconds_6(uint64_t ns);

}  // namespace iotrace
