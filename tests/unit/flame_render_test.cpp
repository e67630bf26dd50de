// The renderers on fixed stacks (src/flame/layout.h, folded.h, speedscope.h,
// svg.h, colour.h): each output read back the way its viewers read it.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "flame/build.h"
#include "flame/colour.h"
#include "flame/folded.h"
#include "flame/layout.h"
#include "flame/speedscope.h"
#include "flame/svg.h"
#include "flame_fixtures.h"
#include "flame_test_util.h"

namespace iotrace::flame {
namespace {

using testing::odd_name_cells;
using testing::server_cells;

Profile servers(Weight w = Weight::Time) { return build_profile(server_cells(), w); }
Profile odd_names() { return build_profile(odd_name_cells(), Weight::Bytes); }

// --- layout ---

TEST(FlameLayout, SharedPrefixesShareBoxes) {
    Profile p;
    p.processes.push_back({1, "a-1", {{{"a-1", "x", "read"}, 3}, {{"a-1", "x", "write"}, 5}, {{"a-1", "y"}, 2}}});
    p.processes.push_back({2, "b-2", {{{"b-2", "x"}, 10}}});
    Layout l = layout_flame(p);
    EXPECT_EQ(l.total, 20u);
    EXPECT_EQ(l.max_depth, 3);
    std::vector<std::tuple<std::string, int, uint64_t, uint64_t, uint64_t>> got;
    for (const FrameBox& b : l.boxes) got.emplace_back(b.name, b.depth, b.start, b.weight, b.self);
    EXPECT_EQ(got, (std::vector<std::tuple<std::string, int, uint64_t, uint64_t, uint64_t>>{
                       {"all", 0, 0, 20, 0},
                       {"a-1", 1, 0, 10, 0},
                       {"x", 2, 0, 8, 0},
                       {"read", 3, 0, 3, 3},
                       {"write", 3, 3, 5, 5},
                       {"y", 2, 8, 2, 2},
                       {"b-2", 1, 10, 10, 0},
                       {"x", 2, 10, 10, 10},  // another process's x: its own box
                   }));
}

TEST(FlameLayout, AStackThatEndsAboveAnother) {
    Profile p;
    p.processes.push_back({1, "a-1", {{{"a-1", "x"}, 4}, {{"a-1", "x", "read"}, 6}}});
    Layout l = layout_flame(p);
    ASSERT_EQ(l.boxes.size(), 4u);
    EXPECT_EQ(l.boxes[2].name, "x");
    EXPECT_EQ(l.boxes[2].weight, 10u);
    EXPECT_EQ(l.boxes[2].self, 4u);
    EXPECT_EQ(l.boxes[3].start, 4u);
}

TEST(FlameLayout, EmptyProfileHasNoBoxes) {
    Layout l = layout_flame(Profile{});
    EXPECT_TRUE(l.boxes.empty());
    EXPECT_EQ(l.total, 0u);
}

// --- folded ---

// flamegraph.pl's rule for a folded line (its input loop), as std::regex
// (ECMAScript) spells it.
const std::regex kFlamegraphLine(R"(^(.*)\s+?(\d+(?:\.\d*)?)$)");

std::map<std::string, uint64_t> parse_folded(const std::string& text) {
    std::map<std::string, uint64_t> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::smatch m;
        EXPECT_TRUE(std::regex_match(line, m, kFlamegraphLine)) << "flamegraph.pl would skip: " << line;
        if (m.size() == 3) out[m[1].str()] += std::stoull(m[2].str());
    }
    return out;
}

TEST(FlameFolded, EveryLineMatchesFlamegraphPlsRule) {
    for (const Profile& p : {servers(), servers(Weight::Count), odd_names()}) {
        std::string text = render_folded(p);
        ASSERT_FALSE(text.empty());
        EXPECT_EQ(text.back(), '\n');
        EXPECT_EQ(text.find("\n\n"), std::string::npos) << "a blank line";
        std::map<std::string, uint64_t> stacks = parse_folded(text);
        size_t n = 0;
        for (const ProcessStacks& ps : p.processes) n += ps.stacks.size();
        EXPECT_EQ(stacks.size(), n);
        uint64_t sum = 0;
        for (auto& [frames, w] : stacks) {
            sum += w;
            EXPECT_NE(frames.front(), ' ');
            EXPECT_EQ(frames.find(";;"), std::string::npos);
            EXPECT_EQ(frames.find("; "), std::string::npos) << "a frame with a leading space: " << frames;
        }
        EXPECT_EQ(sum, total_weight(p));
    }
}

TEST(FlameFolded, WeightsAsTheBuilderMadeThem) {
    std::map<std::string, uint64_t> stacks = parse_folded(render_folded(servers()));
    EXPECT_EQ(stacks["nginx-101;nginx-101;model: epoll-et;recvfrom;tcp"], 2'000'000u);
    EXPECT_EQ(stacks["httpd \u00d73 (children of PID 1);model: poll;poll"], 3'000'000u);
    EXPECT_EQ(stacks["python3-300;worker-301;model: blocking;recvfrom;tcp"], 7'000'000u);
}

TEST(FlameFolded, OddNamesStayOneFramePerName) {
    std::map<std::string, uint64_t> stacks = parse_folded(render_folded(odd_names()));
    EXPECT_EQ(stacks["a:b<c>&\"d' -7;t\xef\xbf\xbd\xef\xbf\xbd-8;read;pipe"], 5u);
}

// --- speedscope ---

// What https://www.speedscope.app/file-format-schema.json requires of a file
// of sampled profiles (speedscope 1.25's schema).
void expect_valid_speedscope(const nlohmann::json& j) {
    for (const char* key : {"$schema", "shared", "profiles"}) ASSERT_TRUE(j.contains(key)) << key;
    EXPECT_EQ(j["$schema"], "https://www.speedscope.app/file-format-schema.json");
    ASSERT_TRUE(j["shared"].contains("frames"));
    const nlohmann::json& frames = j["shared"]["frames"];
    ASSERT_TRUE(frames.is_array());
    for (const auto& f : frames) {
        ASSERT_TRUE(f.contains("name"));
        EXPECT_TRUE(f["name"].is_string());
    }
    ASSERT_TRUE(j["profiles"].is_array());
    EXPECT_FALSE(j["profiles"].empty());
    const std::set<std::string> units = {"none", "nanoseconds", "microseconds", "milliseconds", "seconds", "bytes"};
    for (const auto& p : j["profiles"]) {
        for (const char* key : {"type", "name", "unit", "startValue", "endValue", "samples", "weights"})
            ASSERT_TRUE(p.contains(key)) << key;
        EXPECT_EQ(p["type"], "sampled");
        EXPECT_TRUE(p["name"].is_string());
        EXPECT_TRUE(units.count(p["unit"].get<std::string>())) << p["unit"];
        EXPECT_TRUE(p["startValue"].is_number());
        EXPECT_TRUE(p["endValue"].is_number());
        ASSERT_EQ(p["samples"].size(), p["weights"].size());
        uint64_t sum = 0;
        for (const auto& w : p["weights"]) sum += w.get<uint64_t>();
        EXPECT_EQ(p["endValue"].get<uint64_t>() - p["startValue"].get<uint64_t>(), sum);
        for (const auto& s : p["samples"])
            for (const auto& i : s) EXPECT_LT(i.get<size_t>(), frames.size());
    }
    if (j.contains("activeProfileIndex")) {
        EXPECT_LT(j["activeProfileIndex"].get<size_t>(), j["profiles"].size());
    }
}

TEST(FlameSpeedscope, SchemaRequiredFieldsOneProfilePerProcess) {
    for (const Profile& p : {servers(), servers(Weight::Count), servers(Weight::Bytes), odd_names()}) {
        nlohmann::json j = nlohmann::json::parse(render_speedscope(p, "0.1.0"));
        expect_valid_speedscope(j);
        EXPECT_EQ(j["exporter"], "iotrace@0.1.0");
        EXPECT_EQ(j["name"], p.title);
        ASSERT_EQ(j["profiles"].size(), p.processes.size());
        for (size_t i = 0; i < p.processes.size(); ++i) {
            EXPECT_EQ(j["profiles"][i]["name"], p.processes[i].name);
            EXPECT_EQ(j["profiles"][i]["unit"], std::string(weight_unit(p.weight)));
        }
    }
}

TEST(FlameSpeedscope, SamplesNameTheStacksFrames) {
    Profile p = servers();
    nlohmann::json j = nlohmann::json::parse(render_speedscope(p, "0.1.0"));
    const auto& frames = j["shared"]["frames"];
    std::set<std::string> names;
    for (const auto& f : frames) EXPECT_TRUE(names.insert(f["name"].get<std::string>()).second) << "twice: " << f;
    for (size_t i = 0; i < p.processes.size(); ++i) {
        const auto& prof = j["profiles"][i];
        ASSERT_EQ(prof["samples"].size(), p.processes[i].stacks.size());
        for (size_t k = 0; k < prof["samples"].size(); ++k) {
            std::vector<std::string> got;
            for (const auto& idx : prof["samples"][k]) got.push_back(frames[idx.get<size_t>()]["name"]);
            EXPECT_EQ(got, p.processes[i].stacks[k].frames);
            EXPECT_EQ(prof["weights"][k].get<uint64_t>(), p.processes[i].stacks[k].weight);
        }
    }
}

// --- SVG ---

struct SvgCheck {
    int status = -1;
    nlohmann::json summary;
    std::string script_path;
};

SvgCheck check_svg(const std::string& svg, const std::string& dir) {
    SvgCheck c;
    std::string path = dir + "/graph.svg";
    c.script_path = dir + "/script.js";
    testing::write_text_file(path, svg);
    std::string out = testing::run_command(
        "python3 " + testing::unit_test_dir() + "/flame_svg_check.py " + path + " " + c.script_path, c.status);
    if (c.status == 0) c.summary = nlohmann::json::parse(out);
    return c;
}

class FlameSvg : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = testing::make_temp_dir();
        ASSERT_FALSE(dir_.empty());
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::string dir_;
};

TEST_F(FlameSvg, WellFormedXmlWithTitleUnitAndFrames) {
    Profile p = servers();
    SvgCheck c = check_svg(render_svg(p), dir_);
    ASSERT_EQ(c.status, 0) << "python3 could not parse the SVG as XML";
    EXPECT_EQ(c.summary["root"], "{http://www.w3.org/2000/svg}svg");
    EXPECT_EQ(c.summary["title"], "iotrace: time inside syscalls (ns)");
    EXPECT_EQ(c.summary["subtitle"], "weight: ns inside syscalls, blocked or not; total 32,750,000 ns");
    for (const char* id : {"details", "frames", "matched", "search", "subtitle", "title", "unzoom"})
        EXPECT_NE(std::find(c.summary["ids"].begin(), c.summary["ids"].end(), id), c.summary["ids"].end()) << id;
    const auto& frames = c.summary["frames"];
    ASSERT_FALSE(frames.empty());
    EXPECT_EQ(frames[0], "all (32,750,000 ns, 100.00%)");
    EXPECT_NE(std::find(frames.begin(), frames.end(), "python3-300 (12,100,000 ns, 36.95%)"), frames.end());
    EXPECT_NE(std::find(frames.begin(), frames.end(), "recvfrom (7,000,000 ns, 21.37%)"), frames.end());
}

TEST_F(FlameSvg, OddNamesEscaped) {
    SvgCheck c = check_svg(render_svg(odd_names()), dir_);
    ASSERT_EQ(c.status, 0) << "python3 could not parse the SVG as XML";
    const auto& frames = c.summary["frames"];
    EXPECT_NE(std::find(frames.begin(), frames.end(), "a:b<c>&\"d' -7 (5 bytes, 0.33%)"), frames.end()) << frames;
    EXPECT_NE(std::find(frames.begin(), frames.end(), "s\u00e9rv\u00e9r \u2603-9 (1,500 bytes, 99.67%)"),
              frames.end())
        << frames;
}

TEST_F(FlameSvg, ScriptIsValidJavaScript) {
    SvgCheck c = check_svg(render_svg(servers()), dir_);
    ASSERT_EQ(c.status, 0);
    int status = -1;
    std::string out = testing::run_command("node --check " + c.script_path + " 2>&1", status);
    EXPECT_EQ(status, 0) << out;
}

TEST_F(FlameSvg, EmptyProfileStillAGraph) {
    Profile p;
    p.title = "nothing";
    SvgCheck c = check_svg(render_svg(p), dir_);
    ASSERT_EQ(c.status, 0);
    EXPECT_TRUE(c.summary["frames"].empty());
}

TEST(FlameSvgRender, SameInputSameBytes) {
    EXPECT_EQ(render_svg(servers()), render_svg(build_profile(server_cells(), Weight::Time)));
    std::vector<FlameCell> shuffled = server_cells();
    std::reverse(shuffled.begin(), shuffled.end());
    EXPECT_EQ(render_svg(servers()), render_svg(build_profile(shuffled, Weight::Time)));
    EXPECT_EQ(render_speedscope(servers(), "1"), render_speedscope(build_profile(shuffled, Weight::Time), "1"));
    EXPECT_EQ(render_folded(servers()), render_folded(build_profile(shuffled, Weight::Time)));
}

TEST(FlameSvgRender, NarrowFramesAreNotDrawn) {
    Profile p;
    p.processes.push_back({1, "a-1", {{{"a-1", "big"}, 1'000'000}, {{"a-1", "tiny"}, 1}}});
    std::string svg = render_svg(p);
    EXPECT_NE(svg.find("<title>big ("), std::string::npos);
    EXPECT_EQ(svg.find("<title>tiny ("), std::string::npos);
}

TEST(FlameSvgRender, FitLabel) {
    EXPECT_EQ(fit_label("epoll_wait", 200, 12), "epoll_wait");
    EXPECT_EQ(fit_label("epoll_wait", 6 + 12 * 0.59 * 6, 12), "epol..");
    EXPECT_EQ(fit_label("epoll_wait", 20, 12), "");
    EXPECT_EQ(fit_label("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 6 + 12 * 0.59 * 4, 12), "\xc3\xa9\xc3\xa9..");
}

// --- colour ---

TEST(FlameColour, ByKindOfFrameAndStable) {
    EXPECT_EQ(frame_colour("epoll_wait"), frame_colour("epoll_wait"));
    EXPECT_EQ(frame_colour("all"), (Rgb{200, 200, 200}));
    auto bluish = [](Rgb c) { return c.b > c.r && c.b > c.g; };
    auto greenish = [](Rgb c) { return c.g > c.r && c.g > c.b; };
    EXPECT_TRUE(bluish(frame_colour("epoll_wait")));
    EXPECT_TRUE(bluish(frame_colour("select")));
    EXPECT_TRUE(greenish(frame_colour("recvfrom")));
    EXPECT_LT(frame_colour("select").r, 130);
    EXPECT_GT(frame_colour("model: select").r, 150) << "a model is not coloured as its wait syscall";
    Rgb warm = frame_colour("nginx-101");
    EXPECT_GE(warm.r, 205);
    EXPECT_NE(frame_colour("nginx-101"), frame_colour("nginx-102"));
    EXPECT_EQ(css_rgb({1, 22, 255}), "rgb(1,22,255)");
}

}  // namespace
}  // namespace iotrace::flame
