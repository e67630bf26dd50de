// Expected-output files for the exposition tests: compared byte for byte,
// rewritten instead when IOTRACE_RECORD=1 (then check the diff in git).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace iotrace::testing {

// tests/unit/NAME, found from this header's own path (the tests run from
// the repository's top directory, as `make unit` does).
inline std::filesystem::path unit_test_file(const std::string& name) {
    return std::filesystem::path(__FILE__).parent_path() / name;
}

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline void expect_golden(const std::string& name, const std::string& actual) {
    std::filesystem::path p = unit_test_file(name);
    const char* record = std::getenv("IOTRACE_RECORD");
    if (record && std::string(record) == "1") {
        std::ofstream(p, std::ios::binary) << actual;
        std::cout << "recorded " << p << "\n";
        return;
    }
    ASSERT_TRUE(std::filesystem::exists(p)) << p << " is missing: run the test with IOTRACE_RECORD=1 to write it";
    EXPECT_EQ(read_file(p), actual) << "differs from " << p
                                    << "; if the change is intended, run with IOTRACE_RECORD=1 and review the diff";
}

}  // namespace iotrace::testing
