// Each flame format on fixed fixtures, byte for byte against the recordings
// in tests/unit/flame_expected/. After an intended change of an output:
//   IOTRACE_RECORD=1 build/unit_tests --gtest_filter='FlameExpected*'
// then review `git diff tests/unit/flame_expected` and commit it.
#include <gtest/gtest.h>

#include "flame/build.h"
#include "flame/folded.h"
#include "flame/speedscope.h"
#include "flame/svg.h"
#include "flame_fixtures.h"
#include "flame_test_util.h"

namespace iotrace::flame {
namespace {

using testing::expect_same_as_recorded;

// A fixed version, so a release does not change the recordings.
constexpr const char* kVersion = "0.0.0-test";

// Records (or compares) STEM.folded, STEM.speedscope.json and, with svg,
// STEM.svg.
void expect_formats(const std::string& stem, const Profile& p, bool svg = true) {
    expect_same_as_recorded(stem + ".folded", render_folded(p));
    expect_same_as_recorded(stem + ".speedscope.json", render_speedscope(p, kVersion));
    if (svg) expect_same_as_recorded(stem + ".svg", render_svg(p));
}

TEST(FlameExpected, ServersByTime) {
    expect_formats("servers_time", build_profile(testing::server_cells(), Weight::Time));
}

TEST(FlameExpected, ServersByCpuWithAStackLeftOut) {
    expect_formats("servers_cpu", build_profile(testing::server_cells(), Weight::Cpu));
}

TEST(FlameExpected, ServersByCount) {
    expect_formats("servers_count", build_profile(testing::server_cells(), Weight::Count), false);
}

TEST(FlameExpected, OddNamesByBytes) {
    expect_formats("odd_names_bytes", build_profile(testing::odd_name_cells(), Weight::Bytes));
}

}  // namespace
}  // namespace iotrace::flame
