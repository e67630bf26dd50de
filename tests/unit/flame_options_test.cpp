// `iotrace flame`'s options (src/cli/flame_options.h).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/options.h"

namespace iotrace {
namespace {

std::variant<Options, ParseExit> parse_flame(std::vector<std::string> args) {
    args.insert(args.begin(), {"iotrace", "flame"});
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    return parse_options(static_cast<int>(argv.size()), argv.data());
}

std::string usage_error(std::vector<std::string> args) {
    auto r = parse_flame(std::move(args));
    if (!std::holds_alternative<ParseExit>(r)) return "(parsed)";
    EXPECT_EQ(std::get<ParseExit>(r).exit_code, 2);
    return std::get<ParseExit>(r).text;
}

TEST(FlameOptions, Everything) {
    auto r = parse_flame({"-p", "7,8", "-f", "-d", "3", "-o", "x.svg", "--weight", "cpu", "--stacks", "--per-process",
                          "--report", "r.json"});
    ASSERT_TRUE(std::holds_alternative<Options>(r)) << std::get<ParseExit>(r).text;
    const Options& o = std::get<Options>(r);
    EXPECT_TRUE(o.flame.on);
    EXPECT_EQ(o.pids, (std::vector<int>{7, 8}));
    EXPECT_TRUE(o.follow);
    EXPECT_EQ(o.duration_s, 3);
    EXPECT_EQ(o.output, "x.svg");
    EXPECT_EQ(o.flame.weight, "cpu");
    EXPECT_TRUE(o.flame.stacks);
    EXPECT_TRUE(o.per_process);
    EXPECT_EQ(o.flame.report, "r.json");
    EXPECT_FALSE(o.json);
}

TEST(FlameOptions, LaunchedCommandAndDefaults) {
    auto r = parse_flame({"-o", "-", "--", "./server", "--port", "0"});
    ASSERT_TRUE(std::holds_alternative<Options>(r)) << std::get<ParseExit>(r).text;
    const Options& o = std::get<Options>(r);
    EXPECT_EQ(o.command, (std::vector<std::string>{"./server", "--port", "0"}));
    EXPECT_EQ(o.flame.weight, "time");
    EXPECT_FALSE(o.flame.stacks);
    EXPECT_EQ(o.flame.format, "");
}

TEST(FlameOptions, UsageErrors) {
    EXPECT_NE(usage_error({"-p", "7"}).find("-o FILE is required"), std::string::npos);
    EXPECT_NE(usage_error({"-o", "x.svg"}).find("nothing to trace"), std::string::npos);
    EXPECT_NE(usage_error({"-p", "7", "-o", "x.txt"}).find("cannot tell the format"), std::string::npos);
    EXPECT_NE(usage_error({"-p", "7", "-o", "x.svg", "--weight", "wall"}).find("--weight"), std::string::npos);
    EXPECT_NE(usage_error({"-p", "7", "-o", "x.svg", "--format", "png"}).find("--format"), std::string::npos);
    EXPECT_NE(usage_error({"-p", "7", "-o", "x.folded", "--report", "x.folded"}).find("same file"), std::string::npos);
    EXPECT_NE(usage_error({"-p", "7", "-o", "x.svg", "-u", "nobody"}).find("-u USER"), std::string::npos);
    // --format overrides the name
    auto r = parse_flame({"-p", "7", "-o", "x.txt", "--format", "folded"});
    EXPECT_TRUE(std::holds_alternative<Options>(r));
}

}  // namespace
}  // namespace iotrace
