// The exposition as real Prometheus tooling reads it: `promtool check
// metrics` lints the text format; OpenMetrics goes through the strict
// parser of Debian's python3-prometheus-client and through Prometheus' own
// OpenMetrics parser (promtool's backfill); the example rules pass `promtool
// check rules` and `promtool test rules`. A missing tool fails the test:
// `make deps` installs them (packages prometheus, python3-prometheus-client).
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "serve/exposition.h"
#include "serve_fixture.h"
#include "serve_golden.h"

namespace iotrace {
namespace {

namespace fs = std::filesystem;

// Debian's python, where python3-prometheus-client installs (a python3
// earlier on PATH, a virtualenv's, may not have it).
constexpr const char* kPython = "/usr/bin/python3";

struct Ran {
    int rc = -1;
    std::string out;  // stdout and stderr
};

// A scratch directory, removed at the end of the test.
struct TempDir {
    fs::path path;
    TempDir() {
        char tmpl[] = "/tmp/iotrace-serve-XXXXXX";
        path = mkdtemp(tmpl);
    }
    ~TempDir() { fs::remove_all(path); }
};

Ran run(const std::string& cmd) {
    Ran r;
    FILE* p = popen((cmd + " 2>&1").c_str(), "r");
    if (!p) return r;
    char buf[4096];
    for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) r.out.append(buf, n);
    int st = pclose(p);
    r.rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

std::string write(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
}

std::string promtool() {
    Ran r = run("command -v promtool");
    std::string path = r.out.substr(0, r.out.find('\n'));
    return r.rc == 0 ? path : "";
}

#define REQUIRE_PROMTOOL(var)                                                                             \
    std::string var = promtool();                                                                         \
    ASSERT_FALSE(var.empty()) << "promtool is missing: run `make deps` (Debian package prometheus)";

std::string openmetrics() {
    return render_metrics(testing::exposition_fixture(), {}, testing::self_fixture(), ExpositionFormat::OpenMetrics);
}

TEST(ServePromtool, TextFormatLintsClean) {
    REQUIRE_PROMTOOL(tool);
    TempDir d;
    for (bool per_pid : {false, true}) {
        LabelSetOptions opt;
        opt.per_pid = per_pid;
        std::string body =
            render_metrics(testing::exposition_fixture(), opt, testing::self_fixture(), ExpositionFormat::PrometheusText);
        Ran r = run(tool + " check metrics < " + write(d.path / "m.prom", body));
        EXPECT_EQ(r.rc, 0) << "per_pid=" << per_pid << ":\n" << r.out;
        EXPECT_EQ(r.out, "");  // no lint problem either
    }
}

TEST(ServePromtool, OpenMetricsPassesTheStrictParser) {
    ASSERT_TRUE(fs::exists(kPython)) << kPython << " is missing: run `make deps`";
    Ran has = run(std::string(kPython) + " -c 'import prometheus_client.openmetrics.parser'");
    ASSERT_EQ(has.rc, 0) << "python3-prometheus-client is missing: run `make deps`\n" << has.out;
    TempDir d;
    std::string check = write(d.path / "check.py",
                              "import sys\n"
                              "from prometheus_client.openmetrics.parser import text_string_to_metric_families\n"
                              "fams = list(text_string_to_metric_families(sys.stdin.read()))\n"
                              "print(len(fams), sum(len(f.samples) for f in fams))\n");
    Ran r = run(std::string(kPython) + " " + check + " < " + write(d.path / "m.om", openmetrics()));
    EXPECT_EQ(r.rc, 0) << r.out;
    // It must be checking: a state set valued 2 and a missing # EOF are refused.
    std::string bad = openmetrics();
    bad.replace(bad.find("iotrace_io_model=\"idle\"} 1"), 26, "iotrace_io_model=\"idle\"} 2");
    EXPECT_NE(run(std::string(kPython) + " " + check + " < " + write(d.path / "bad.om", bad)).rc, 0);
    std::string no_eof = openmetrics();
    no_eof.resize(no_eof.size() - 6);
    EXPECT_NE(run(std::string(kPython) + " " + check + " < " + write(d.path / "noeof.om", no_eof)).rc, 0);
}

// promtool's backfill parses OpenMetrics with Prometheus' own parser (the
// scraper's); it wants a timestamp on every sample, which a scrape never has,
// so the test adds one.
TEST(ServePromtool, OpenMetricsPassesPrometheusParser) {
    REQUIRE_PROMTOOL(tool);
    std::string stamped, om = openmetrics();
    size_t samples = 0;
    for (size_t from = 0, nl; (nl = om.find('\n', from)) != std::string::npos; from = nl + 1) {
        std::string line = om.substr(from, nl - from);
        if (line[0] != '#') {
            line += " 1700000000";
            ++samples;
        }
        stamped += line + "\n";
    }
    TempDir d;
    Ran r = run(tool + " tsdb create-blocks-from openmetrics " + write(d.path / "m.om", stamped) + " " +
                (d.path / "blocks").string());
    ASSERT_EQ(r.rc, 0) << r.out;
    EXPECT_NE(r.out.find(" " + std::to_string(samples) + " "), std::string::npos)
        << "expected " << samples << " series:\n" << r.out;
}

TEST(ServePromtool, ExampleRulesCheckAndPassTheirTests) {
    REQUIRE_PROMTOOL(tool);
    fs::path rules = testing::unit_test_file("../../docs/prometheus-rules.yml");
    Ran r = run(tool + " check rules " + rules.string());
    EXPECT_EQ(r.rc, 0) << r.out;
    r = run(tool + " test rules " + testing::unit_test_file("prometheus_rules_test.yml").string());
    EXPECT_EQ(r.rc, 0) << r.out;
}

}  // namespace
}  // namespace iotrace
