// valid_utf8 (src/util/utf8.h): well-formed text passes as is, each maximal
// ill-formed subpart becomes one U+FFFD.
#include <gtest/gtest.h>

#include "util/utf8.h"

namespace iotrace {
namespace {

const std::string R = "\xEF\xBF\xBD";  // U+FFFD

TEST(Utf8, WellFormedPassesAsIs) {
    for (std::string s : {"", "nginx", "caf\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "a\nb\"c\\"})
        EXPECT_EQ(valid_utf8(s), s);
}

TEST(Utf8, IllFormedBytesAreReplaced) {
    EXPECT_EQ(valid_utf8("bad\xFFname"), "bad" + R + "name");
    EXPECT_EQ(valid_utf8("\x80"), R);                       // a lone continuation byte
    EXPECT_EQ(valid_utf8("\xC0\xAF"), R + R);               // overlong: C0 is never a lead
    EXPECT_EQ(valid_utf8("\xE0\x80\x80"), R + R + R);       // overlong 3-byte: E0 needs A0..BF next
    EXPECT_EQ(valid_utf8("\xED\xA0\x80"), R + R + R);       // a surrogate
    EXPECT_EQ(valid_utf8("\xF4\x90\x80\x80"), R + R + R + R);  // above U+10FFFF
    EXPECT_EQ(valid_utf8("\xE2\x82"), R);                   // truncated: one subpart
    EXPECT_EQ(valid_utf8("\xE2\x82x"), R + "x");
    EXPECT_EQ(valid_utf8("\xF0\x9F\x98"), R);
}

}  // namespace
}  // namespace iotrace
