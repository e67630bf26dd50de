// Content negotiation (src/serve/negotiate.h) on the Accept headers real
// scrapers send.
#include <gtest/gtest.h>

#include "serve/negotiate.h"

namespace iotrace {
namespace {

constexpr auto kText = ExpositionFormat::PrometheusText;
constexpr auto kOm = ExpositionFormat::OpenMetrics;

// Prometheus 2.42 (Debian 12's), as found in /usr/bin/prometheus: its
// default scrape, and with protobuf negotiation (native histograms) on.
constexpr const char* kPrometheus242 =
    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
    "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
constexpr const char* kPrometheus242Protobuf =
    "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,"
    "application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,"
    "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

TEST(ServeNegotiate, Prometheus242GetsOpenMetrics) {
    EXPECT_EQ(negotiate(kPrometheus242), kOm);
    EXPECT_EQ(negotiate(kPrometheus242Protobuf), kOm);  // protobuf passed over: not served here
}

TEST(ServeNegotiate, OthersGetTheTextFormat) {
    EXPECT_EQ(negotiate(""), kText);     // no Accept header
    EXPECT_EQ(negotiate("*/*"), kText);  // curl
    EXPECT_EQ(negotiate("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"), kText);  // a browser
    EXPECT_EQ(negotiate("text/plain;version=0.0.4"), kText);
    EXPECT_EQ(negotiate("application/json"), kText);  // nothing served asked for: the default
}

TEST(ServeNegotiate, QualityDecidesThenOrder) {
    EXPECT_EQ(negotiate("text/plain;version=0.0.4;q=0.5,application/openmetrics-text;version=1.0.0"), kOm);
    EXPECT_EQ(negotiate("application/openmetrics-text;version=1.0.0;q=0.4,text/plain;version=0.0.4;q=0.5"), kText);
    EXPECT_EQ(negotiate("text/plain,application/openmetrics-text"), kText);  // equal q: header order
    EXPECT_EQ(negotiate("application/openmetrics-text;q=0,*/*"), kText);    // q=0 refuses
}

TEST(ServeNegotiate, VersionsAndSpelling) {
    EXPECT_EQ(negotiate("application/openmetrics-text; version=0.0.1"), kOm);
    EXPECT_EQ(negotiate("application/openmetrics-text"), kOm);
    EXPECT_EQ(negotiate("Application/OpenMetrics-Text; Version=\"1.0.0\"; charset=utf-8"), kOm);
    EXPECT_EQ(negotiate("application/openmetrics-text;version=2.0.0,text/plain;q=0.1"), kText);  // unknown version
    EXPECT_EQ(negotiate("text/plain;version=0.0.5,application/openmetrics-text;q=0.2"), kOm);
    EXPECT_EQ(negotiate(" , ,application/openmetrics-text;version=1.0.0 ,"), kOm);
    EXPECT_EQ(negotiate("application/openmetrics-text;q=abc,text/plain;q=0.1"), kText);  // malformed q: refused
}

TEST(ServeNegotiate, ContentTypesCarryTheVersion) {
    EXPECT_EQ(content_type(kText), "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_EQ(content_type(kOm), "application/openmetrics-text; version=1.0.0; charset=utf-8");
}

}  // namespace
}  // namespace iotrace
