// The exposition of `iotrace serve` (src/serve/exposition.h) on a fixed
// snapshot: the expected output in both formats, and the invariants every
// scrape must keep (unique series, histograms, the state set, escaping).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "analysis/model.h"
#include "serve/exposition.h"
#include "serve/render.h"
#include "serve_fixture.h"
#include "serve_golden.h"

namespace iotrace {
namespace {

using testing::exposition_fixture;
using testing::self_fixture;

std::string labels_key(const std::vector<Label>& labels, const std::string& skip = "") {
    std::string k;
    for (const auto& [n, v] : labels)
        if (n != skip) k += n + "=" + v + ",";
    return k;
}

const MetricFamily& family_named(const std::vector<MetricFamily>& fs, const std::string& name) {
    auto it = std::find_if(fs.begin(), fs.end(), [&](const MetricFamily& f) { return f.name == name; });
    if (it == fs.end()) throw std::runtime_error("no family " + name);
    return *it;
}

std::string label(const Sample& s, const std::string& name) {
    for (const auto& [n, v] : s.labels)
        if (n == name) return v;
    return "";
}

// The value of name{labels...}, or -1 when there is no such sample.
double value_of(const std::vector<MetricFamily>& fs, const std::string& name, const std::string& suffix,
                const std::vector<Label>& want) {
    for (const MetricFamily& f : fs)
        if (f.name == name)
            for (const Sample& s : f.samples)
                if (s.suffix == suffix && labels_key(s.labels) == labels_key(want))
                    return s.value.integer ? static_cast<double>(s.value.u) : s.value.d;
    return -1;
}

TEST(ServeExposition, ExpectedTextFormat) {
    testing::expect_golden("serve_exposition.prom",
                           render_metrics(exposition_fixture(), {}, self_fixture(), ExpositionFormat::PrometheusText));
}

TEST(ServeExposition, ExpectedOpenMetrics) {
    testing::expect_golden("serve_exposition.om",
                           render_metrics(exposition_fixture(), {}, self_fixture(), ExpositionFormat::OpenMetrics));
}

TEST(ServeExposition, ExpectedPerPid) {
    LabelSetOptions opt;
    opt.per_pid = true;
    testing::expect_golden("serve_exposition_per_pid.prom",
                           render_metrics(exposition_fixture(), opt, self_fixture(), ExpositionFormat::PrometheusText));
}

// Prometheus rejects a scrape that repeats a series: every (name, labels)
// must be unique, with per_pid or without.
TEST(ServeExposition, EverySeriesIsUnique) {
    for (bool per_pid : {false, true}) {
        LabelSetOptions opt;
        opt.per_pid = per_pid;
        std::set<std::string> seen;
        for (const MetricFamily& f : metric_families(exposition_fixture(), opt, self_fixture()))
            for (const Sample& s : f.samples)
                EXPECT_TRUE(seen.insert(f.name + s.suffix + "{" + labels_key(s.labels) + "}").second)
                    << f.name << s.suffix << " " << labels_key(s.labels) << " per_pid=" << per_pid;
    }
}

TEST(ServeExposition, SameCommIsSummedAndDiagnosedOnTheSums) {
    auto fs = metric_families(exposition_fixture(), {}, self_fixture());
    // Workers 101 (scale 1) and 102 (scale 2): 4000 + 8000 epoll_waits.
    EXPECT_EQ(value_of(fs, "iotrace_waits", "_total", {{"comm", "nginx"}, {"syscall", "epoll_wait"}}), 12000);
    EXPECT_EQ(value_of(fs, "iotrace_received_bytes", "_total", {{"comm", "nginx"}}), 3 * 4'096'000.0);
    EXPECT_EQ(value_of(fs, "iotrace_et_undrained", "_total", {{"comm", "nginx"}}), 21);
    EXPECT_EQ(value_of(fs, "iotrace_io_model", "", {{"comm", "nginx"}, {"iotrace_io_model", "epoll-et"}}), 1);
    EXPECT_EQ(value_of(fs, "iotrace_label_sets", "", {}), 4);

    LabelSetOptions opt;
    opt.per_pid = true;
    fs = metric_families(exposition_fixture(), opt, self_fixture());
    EXPECT_EQ(value_of(fs, "iotrace_waits", "_total", {{"comm", "nginx"}, {"pid", "102"}, {"syscall", "epoll_wait"}}),
              8000);
    EXPECT_EQ(value_of(fs, "iotrace_label_sets", "", {}), 5);
}

// Buckets cumulative, +Inf equal to _count, _count equal to the waits
// counter of the same labels, _sum the time in seconds.
TEST(ServeExposition, HistogramInvariants) {
    auto fs = metric_families(exposition_fixture(), {}, self_fixture());
    const MetricFamily& h = family_named(fs, "iotrace_wait_duration_seconds");
    EXPECT_EQ(h.type, MetricType::Histogram);
    EXPECT_EQ(h.unit, "seconds");
    std::map<std::string, std::vector<const Sample*>> buckets;
    std::map<std::string, const Sample*> count, sum;
    for (const Sample& s : h.samples) {
        std::string key = labels_key(s.labels, "le");
        if (s.suffix == "_bucket") buckets[key].push_back(&s);
        if (s.suffix == "_count") count[key] = &s;
        if (s.suffix == "_sum") sum[key] = &s;
    }
    ASSERT_EQ(buckets.size(), 4u);  // nginx epoll_wait, redis epoll_wait, the odd one's select and poll
    for (const auto& [key, bs] : buckets) {
        ASSERT_EQ(bs.size(), 40u) << key;  // 39 bounds and +Inf
        double prev_le = 0;
        uint64_t prev = 0;
        for (size_t i = 0; i < bs.size(); ++i) {
            std::string le = label(*bs[i], "le");
            double bound = le == "+Inf" ? INFINITY : std::stod(le);
            EXPECT_GT(bound, prev_le) << key;
            EXPECT_GE(bs[i]->value.u, prev) << key << " le=" << le;
            EXPECT_DOUBLE_EQ(bound, i + 1 < bs.size() ? std::ldexp(1.0, static_cast<int>(i) + 1) * 1e-9 : INFINITY);
            prev_le = bound;
            prev = bs[i]->value.u;
        }
        EXPECT_EQ(label(*bs.back(), "le"), "+Inf");
        ASSERT_TRUE(count.count(key) && sum.count(key)) << key;
        EXPECT_EQ(bs.back()->value.u, count[key]->value.u) << key;
        std::vector<Label> ls;
        for (const Label& l : bs.back()->labels)
            if (l.first != "le") ls.push_back(l);
        EXPECT_EQ(value_of(fs, "iotrace_waits", "_total", ls), static_cast<double>(count[key]->value.u)) << key;
    }
    std::vector<Label> redis{{"comm", "redis-server"}, {"syscall", "epoll_wait"}};
    EXPECT_DOUBLE_EQ(value_of(fs, "iotrace_wait_duration_seconds", "_sum", redis), 2.0);
}

// One state per model classify() can name, exactly one of them 1 for a
// diagnosed label set (none for a snapshot not diagnosed).
TEST(ServeExposition, StateSetInvariants) {
    auto fs = metric_families(exposition_fixture(), {}, self_fixture());
    const MetricFamily& m = family_named(fs, "iotrace_io_model");
    EXPECT_EQ(m.type, MetricType::StateSet);
    std::map<std::string, std::vector<std::string>> states;
    std::map<std::string, uint64_t> ones;
    for (const Sample& s : m.samples) {
        EXPECT_TRUE(s.value.integer && s.value.u <= 1);
        std::string key = labels_key(s.labels, "iotrace_io_model");
        states[key].push_back(label(s, "iotrace_io_model"));
        ones[key] += s.value.u;
    }
    ASSERT_EQ(states.size(), 4u);
    for (const auto& [key, st] : states) {
        EXPECT_EQ(st, std::vector<std::string>(kModelNames.begin(), kModelNames.end())) << key;
        EXPECT_EQ(ones[key], 1u) << key;
    }
}

// kModelNames must list every name the rules give: read them from the rules'
// source, where each is a string literal given to Verdict or m.name.
TEST(ServeExposition, ModelNamesListEveryModelTheRulesName) {
    std::string src = testing::read_file(testing::unit_test_file("../../src/analysis/model.cpp"));
    ASSERT_FALSE(src.empty());
    std::set<std::string> named;
    for (const char* marker : {"Verdict v(\"", "m.name = \""}) {
        for (size_t at = src.find(marker); at != std::string::npos; at = src.find(marker, at + 1)) {
            size_t from = at + std::string(marker).size();
            named.insert(src.substr(from, src.find('"', from) - from));
        }
    }
    // The wait families' names come from a table: {"epoll", ...}, {"poll", ...}, {"select", ...}.
    for (const char* fam : {"epoll", "poll", "select"})
        if (src.find("{\"" + std::string(fam) + "\", f.") != std::string::npos) named.insert(fam);
    std::set<std::string> listed(kModelNames.begin(), kModelNames.end());
    for (const std::string& n : named) EXPECT_TRUE(listed.count(n)) << n << " is not in kModelNames";
    EXPECT_EQ(named.size(), listed.size());
}

TEST(ServeExposition, FindingsAreGaugesByIdAndSeverity) {
    auto fs = metric_families(exposition_fixture(), {}, self_fixture());
    EXPECT_EQ(value_of(fs, "iotrace_finding", "",
                       {{"comm", "redis-server"}, {"id", "lt_rereports_partial"}, {"severity", "medium"}}),
              1);
    EXPECT_EQ(value_of(fs, "iotrace_finding", "",
                       {{"comm", "sel\"ect\\er\nx"}, {"id", "select_scan_cost"}, {"severity", "high"}}),
              1);
}

TEST(ServeExposition, LabelValuesAreEscaped) {
    EXPECT_EQ(escape_label_value("plain"), "plain");
    EXPECT_EQ(escape_label_value("a\"b"), "a\\\"b");
    EXPECT_EQ(escape_label_value("a\\b"), "a\\\\b");
    EXPECT_EQ(escape_label_value("a\nb"), "a\\nb");
    EXPECT_EQ(escape_label_value("\\n"), "\\\\n");  // a backslash then n: not a newline
    EXPECT_EQ(escape_label_value("caf\xC3\xA9\t"), "caf\xC3\xA9\t");
    for (auto f : {ExpositionFormat::PrometheusText, ExpositionFormat::OpenMetrics}) {
        std::string out = render_metrics(exposition_fixture(), {}, self_fixture(), f);
        EXPECT_NE(out.find("{comm=\"sel\\\"ect\\\\er\\nx\"}"), std::string::npos);
        EXPECT_NE(out.find("{comm=\"bad\xEF\xBF\xBDname\"}"), std::string::npos);  // U+FFFD
        EXPECT_EQ(out.find("bad\xff"), std::string::npos);
    }
}

TEST(ServeExposition, NumbersAsPrometheusWritesThem) {
    EXPECT_EQ(format_double(2e-9), "2e-09");
    EXPECT_EQ(format_double(0.5), "0.5");
    EXPECT_EQ(format_double(0.0001), "0.0001");
    EXPECT_EQ(format_double(0.00001), "1e-05");
    EXPECT_EQ(format_double(123456), "123456");
    EXPECT_EQ(format_double(1234567), "1.234567e+06");
    EXPECT_EQ(format_double(549.755813888), "549.755813888");
    EXPECT_EQ(format_double(0), "0");
    EXPECT_EQ(format_double(INFINITY), "+Inf");
    EXPECT_EQ(format_double(-INFINITY), "-Inf");
    EXPECT_EQ(format_double(NAN), "NaN");
    EXPECT_EQ(format_value(SampleValue::of(18446744073709551615ull)), "18446744073709551615");
}

TEST(ServeExposition, TextAndOpenMetricsDifferOnlyWhereTheFormatsDo) {
    std::string text = render_metrics(exposition_fixture(), {}, self_fixture(), ExpositionFormat::PrometheusText);
    std::string om = render_metrics(exposition_fixture(), {}, self_fixture(), ExpositionFormat::OpenMetrics);
    auto samples = [](const std::string& s) {
        std::vector<std::string> out;
        size_t from = 0;
        for (size_t nl; (nl = s.find('\n', from)) != std::string::npos; from = nl + 1)
            if (s[from] != '#') out.push_back(s.substr(from, nl - from));
        return out;
    };
    EXPECT_EQ(samples(text), samples(om));  // the same series and values
    EXPECT_EQ(om.substr(om.size() - 6), "# EOF\n");
    EXPECT_EQ(text.find("# EOF"), std::string::npos);
    EXPECT_NE(text.find("# TYPE iotrace_waits_total counter\n"), std::string::npos);
    EXPECT_NE(om.find("# TYPE iotrace_waits counter\n"), std::string::npos);
    EXPECT_NE(om.find("# TYPE iotrace_io_model stateset\n"), std::string::npos);
    EXPECT_NE(text.find("# TYPE iotrace_io_model gauge\n"), std::string::npos);
    EXPECT_NE(om.find("# TYPE iotrace_build info\n"), std::string::npos);
    EXPECT_NE(text.find("# TYPE iotrace_build_info gauge\n"), std::string::npos);
    EXPECT_NE(om.find("# UNIT iotrace_wait_cpu_seconds seconds\n"), std::string::npos);
    EXPECT_EQ(text.find("# UNIT"), std::string::npos);
}

// Past max_label_sets, the busiest label sets stay and the rest is counted.
TEST(ServeExposition, LabelSetsAreCapped) {
    LabelSetOptions opt;
    opt.max_label_sets = 2;
    auto fs = metric_families(exposition_fixture(), opt, self_fixture());
    EXPECT_EQ(value_of(fs, "iotrace_label_sets", "", {}), 2);
    EXPECT_EQ(value_of(fs, "iotrace_label_sets_dropped", "", {}), 2);
    std::set<std::string> comms;
    for (const Sample& s : family_named(fs, "iotrace_io_model").samples) comms.insert(label(s, "comm"));
    EXPECT_EQ(comms, (std::set<std::string>{"nginx", "redis-server"}));
}

// A figure the kernel did not let iotrace count has no sample (absent is
// unknown; 0 would be a lie), and the part says why.
TEST(ServeExposition, UnavailableFiguresAreAbsentNotZero) {
    Snapshot snap = exposition_fixture();
    snap.availability.missing[Part::EpollReadiness] = "exit_epoll_wait: refused";
    snap.availability.missing[Part::WaitCpuTime] = "on_switch: refused";
    snap.availability.missing[Part::SelectCounts] = "enter_select: refused";
    auto fs = metric_families(snap, {}, self_fixture());
    EXPECT_EQ(value_of(fs, "iotrace_et_undrained", "_total", {{"comm", "nginx"}}), -1);
    EXPECT_EQ(value_of(fs, "iotrace_wait_cpu_seconds", "_total", {{"comm", "redis-server"}}), -1);
    EXPECT_EQ(value_of(fs, "iotrace_waits_empty", "_total", {{"comm", "redis-server"}}), -1);  // waits.* need all seven
    EXPECT_EQ(value_of(fs, "iotrace_waits", "_total", {{"comm", "redis-server"}, {"syscall", "epoll_wait"}}), 1000);
    EXPECT_EQ(value_of(fs, "iotrace_waits", "_total", {{"comm", "sel\"ect\\er\nx"}, {"syscall", "select"}}), -1);
    EXPECT_EQ(value_of(fs, "iotrace_waits", "_total", {{"comm", "sel\"ect\\er\nx"}, {"syscall", "poll"}}), 20);
    EXPECT_EQ(value_of(fs, "iotrace_received_bytes", "_total", {{"comm", "nginx"}}), 3 * 4'096'000.0);
    EXPECT_EQ(value_of(fs, "iotrace_kernel_part_available", "", {{"part", "epoll_readiness"}}), 0);
    EXPECT_EQ(value_of(fs, "iotrace_kernel_part_available", "", {{"part", "recv"}}), 1);
}

TEST(ServeExposition, SelfMetrics) {
    auto fs = metric_families(exposition_fixture(), {}, self_fixture());
    EXPECT_EQ(value_of(fs, "iotrace_build", "_info", {{"version", "0.1.0"}}), 1);
    EXPECT_EQ(value_of(fs, "iotrace_lost_events", "_total", {{"reason", "user_read_failed"}}), 3);
    EXPECT_EQ(value_of(fs, "iotrace_lost_events", "_total", {{"reason", "ringbuf_full"}}), 0);  // every reason
    EXPECT_EQ(family_named(fs, "iotrace_lost_events").samples.size(), static_cast<size_t>(IOT_LOST_NR));
    EXPECT_EQ(value_of(fs, "iotrace_map_max_entries", "", {{"map", "proc_stats"}}), 1024);
    EXPECT_EQ(value_of(fs, "iotrace_traced_processes", "", {}), 5);
    EXPECT_EQ(value_of(fs, "iotrace_label_sets_expired_early", "_total", {}), 7);
    EXPECT_DOUBLE_EQ(value_of(fs, "iotrace_scrape_duration_seconds", "", {}), 0.00125);

    SelfMetrics bare;  // nothing read: no process_* families, no map families
    for (const MetricFamily& f : metric_families(exposition_fixture(), {}, bare)) {
        EXPECT_NE(f.name.rfind("process_", 0), 0u) << f.name;
        EXPECT_NE(f.name, "iotrace_map_entries");
    }
}

}  // namespace
}  // namespace iotrace
