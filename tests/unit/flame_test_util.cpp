#include "flame_test_util.h"

#include <gtest/gtest.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace iotrace::testing {

std::string unit_test_dir() { return std::filesystem::path(__FILE__).parent_path().string(); }

std::string read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_text_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    ASSERT_TRUE(out.good()) << "cannot write " << path;
}

std::string make_temp_dir() {
    const char* base = getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/iotrace-flame-XXXXXX";
    if (!mkdtemp(pattern.data())) return {};
    return pattern;
}

std::string run_command(const std::string& command, int& status) {
    std::string out;
    FILE* p = popen(command.c_str(), "r");
    if (!p) {
        status = -1;
        return out;
    }
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    int st = pclose(p);
    status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return out;
}

void expect_same_as_recorded(const std::string& name, const std::string& actual) {
    std::string path = unit_test_dir() + "/flame_expected/" + name;
    const char* record = getenv("IOTRACE_RECORD");
    if (record && std::string(record) == "1") {
        write_text_file(path, actual);
        std::cout << "recorded " << path << "\n";
        return;
    }
    std::ifstream probe(path);
    ASSERT_TRUE(probe.good()) << path << " is missing: run the unit tests from the repository root, or record it "
                              << "with IOTRACE_RECORD=1 build/unit_tests --gtest_filter='FlameExpected*'";
    std::string expected = read_text_file(path);
    if (expected == actual) return;
    std::istringstream e(expected), a(actual);
    std::string el, al;
    for (int line = 1;; ++line) {
        bool more_e = static_cast<bool>(std::getline(e, el)), more_a = static_cast<bool>(std::getline(a, al));
        if (!more_e && !more_a) break;
        if (el != al || more_e != more_a) {
            ADD_FAILURE() << name << " differs from the recording at line " << line << ":\n  expected: "
                          << (more_e ? el : "(end)") << "\n  actual:   " << (more_a ? al : "(end)")
                          << "\n(if the change is intended: IOTRACE_RECORD=1 build/unit_tests "
                          << "--gtest_filter='FlameExpected*', then review the diff)";
            return;
        }
    }
    ADD_FAILURE() << name << " differs from the recording (line endings?)";
}

}  // namespace iotrace::testing
