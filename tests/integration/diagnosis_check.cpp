#include "diagnosis_check.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace itest {

std::vector<std::string> finding_ids(const json& entry) {
    std::vector<std::string> ids;
    if (entry.is_object() && entry.contains("findings") && entry["findings"].is_array())
        for (const auto& f : entry["findings"]) ids.push_back(f.value("id", "?"));
    return ids;
}

std::string model_line(const json& entry) {
    if (!entry.is_object() || !entry.contains("model") || !entry["model"].is_object()) return "<no model>";
    const json& m = entry["model"];
    std::string s = m.value("name", "?");
    if (!m.value("modifier", "").empty()) s += " " + m.value("modifier", "");
    s += " (" + m.value("confidence", "?") + ")";
    if (m.contains("evidence") && m["evidence"].is_array())
        for (size_t i = 0; i < m["evidence"].size(); ++i)
            s += (i ? "; " : ": ") + m["evidence"][i].get<std::string>();
    std::string ids;
    for (const auto& id : finding_ids(entry)) ids += (ids.empty() ? "" : ", ") + id;
    return s + " | findings: [" + ids + "]";
}

std::string brief(const json& entry) {
    json b = entry;
    if (b.is_object() && b.contains("syscalls") && b["syscalls"].is_object())
        for (auto& [k, v] : b["syscalls"].items()) v.erase("hist_log2_ns");
    return b.dump(1);
}

void expect_diagnosis(const json& entry, const DiagExp& e, const std::string& where) {
    ASSERT_TRUE(entry.is_object() && entry.contains("model") && entry["model"].is_object())
        << where << ": no model object";
    const json& m = entry["model"];
    const std::string line = where + ": " + model_line(entry);
    EXPECT_EQ(m.value("name", "?"), e.model) << line;
    EXPECT_EQ(m.value("modifier", "?"), e.modifier) << line;
    const std::string conf = m.value("confidence", "?");
    EXPECT_TRUE(conf == "high" || conf == "medium" || conf == "low") << line;
    if (e.not_low) {
        EXPECT_NE(conf, "low") << line;
    }
    EXPECT_TRUE(m.contains("evidence") && m["evidence"].is_array() && !m["evidence"].empty()) << line;

    ASSERT_TRUE(entry.contains("findings") && entry["findings"].is_array()) << where << ": no findings array";
    for (const auto& f : entry["findings"]) {
        const std::string sev = f.value("severity", "?");
        EXPECT_TRUE(sev == "high" || sev == "medium" || sev == "low" || sev == "info") << where << ": " << f.dump();
        EXPECT_FALSE(f.value("id", "").empty()) << where << ": " << f.dump();
        EXPECT_FALSE(f.value("text", "").empty()) << where << ": " << f.dump();
        EXPECT_TRUE(f.contains("figures") && f["figures"].is_object()) << where << ": " << f.dump();
    }
    const auto ids = finding_ids(entry);
    auto has = [&](const std::string& id) { return std::find(ids.begin(), ids.end(), id) != ids.end(); };
    for (const auto& id : e.must) EXPECT_TRUE(has(id)) << "finding " << id << " missing; " << line;
    for (const auto& id : e.never) EXPECT_FALSE(has(id)) << "finding " << id << " must not be there; " << line;
}

const json* find_thread(const json& proc, long tid) {
    if (!proc.is_object() || !proc.contains("threads") || !proc["threads"].is_array()) return nullptr;
    for (const auto& t : proc["threads"])
        if (t.value("tid", -1L) == tid) return &t;
    return nullptr;
}

}  // namespace itest
