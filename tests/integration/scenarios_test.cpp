// Every iowork scenario, traced both ways (-p on a waiting process and
// `-- CMD`), with every figure of the report checked against expected.cpp.
//
// The runs are independent, and iotrace spends most of its time waiting on
// the kernel (loading, then detaching its probes), so each suite starts all
// the runs its selected tests need side by side (run_parallel) before the
// first test, and each test checks its own run. ITEST_JOBS=1 runs them one
// at a time.
#include <gtest/gtest.h>

#include <map>
#include <ostream>
#include <string>
#include <tuple>

#include "expected.h"
#include "harness.h"

namespace itest {
namespace {

// The selected tests of the running suite: name -> job, from make_job(name).
template <typename MakeJob>
std::map<std::string, RunResult> run_selected_tests(MakeJob make_job) {
    const ::testing::TestSuite* suite = ::testing::UnitTest::GetInstance()->current_test_suite();
    std::vector<std::pair<std::string, RunJob>> jobs;
    for (int i = 0; i < suite->total_test_count(); ++i) {
        const ::testing::TestInfo* info = suite->GetTestInfo(i);
        if (info->should_run()) jobs.emplace_back(info->name(), make_job(std::string(info->name())));
    }
    return run_parallel(jobs);
}

const RunResult& result_of_current_test(const std::map<std::string, RunResult>& results) {
    static const RunResult missing{"no run for this test", {}};
    auto it = results.find(::testing::UnitTest::GetInstance()->current_test_info()->name());
    return it == results.end() ? missing : it->second;
}

// ---- the fixed scenarios ---------------------------------------------------------

enum class Path { Attach, Launch };

void PrintTo(Path p, std::ostream* os) { *os << (p == Path::Attach ? "-p" : "-- CMD"); }

std::string test_suffix(const std::string& scenario, Path path) {
    return scenario + (path == Path::Attach ? "_p" : "_cmd");
}

std::vector<std::string> all_scenarios() {
    auto v = fixed_scenarios();
    v.push_back("all");
    return v;
}

class Scenario : public ::testing::TestWithParam<std::tuple<std::string, Path>> {
protected:
    static void SetUpTestSuite() {
        results_ = new std::map<std::string, RunResult>(run_selected_tests([](const std::string& test) {
            // test: "ReportsExactFigures/<scenario>_p" or ".../<scenario>_cmd"
            for (const auto& name : all_scenarios())
                for (Path path : {Path::Attach, Path::Launch})
                    if (test.ends_with("/" + test_suffix(name, path)))
                        return RunJob([name, path](TracedRun& run) {
                            // A static binary launched by iotrace: nothing runs
                            // between exec and main that the probes see, so the
                            // figures are the same as with -p.
                            return path == Path::Attach ? run_attached({name}, {}, run)
                                                        : run_launched({name}, {}, run);
                        });
            return RunJob([](TracedRun&) { return std::string("unknown test"); });
        }));
    }
    static void TearDownTestSuite() {
        delete results_;
        results_ = nullptr;
    }
    static std::map<std::string, RunResult>* results_;
};

std::map<std::string, RunResult>* Scenario::results_ = nullptr;

TEST_P(Scenario, ReportsExactFigures) {
    const auto& [name, path] = GetParam();
    const RunResult& r = result_of_current_test(*results_);
    ASSERT_EQ(r.error, "");
    expect_single_process_report(r.run, "iowork", expected(name));
}

INSTANTIATE_TEST_SUITE_P(Iowork, Scenario,
                         ::testing::Combine(::testing::ValuesIn(all_scenarios()),
                                            ::testing::Values(Path::Attach, Path::Launch)),
                         [](const auto& info) { return test_suffix(std::get<0>(info.param), std::get<1>(info.param)); });

// ---- followed children (iowork fork) -----------------------------------------

class Fork : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        results_ = new std::map<std::string, RunResult>(run_selected_tests([](const std::string& test) {
            if (test == "FollowedWithF")
                return RunJob([](TracedRun& run) { return run_attached({"fork"}, {"-f"}, run); });
            // No free per-process slot: both processes are counted in the
            // procs hash; one slot: the parent in it, the child in the hash.
            if (test == "CountedWithoutFreeSlots")
                return RunJob([](TracedRun& run) { return run_attached({"fork"}, {"-f", "--proc-slots", "0"}, run); });
            if (test == "CountedWithOneSlot")
                return RunJob([](TracedRun& run) { return run_attached({"fork"}, {"-f", "--proc-slots", "1"}, run); });
            if (test == "LaunchedCommandIsAlwaysFollowed")
                return RunJob([](TracedRun& run) { return run_launched({"fork"}, {}, run); });
            return RunJob([](TracedRun& run) { return run_attached({"fork"}, {}, run); });
        }));
    }
    static void TearDownTestSuite() {
        delete results_;
        results_ = nullptr;
    }
    static std::map<std::string, RunResult>* results_;

    // The parent and the child, each exactly as expected (the run of the
    // current test).
    static void expect_fork_family_of_this_test() {
        const RunResult& r = result_of_current_test(*results_);
        ASSERT_EQ(r.error, "");
        expect_fork_family(r.run.report, r.run.target_pid);
    }

    static void expect_fork_family(const json& report, int parent_pid) {
        expect_envelope(report);
        ASSERT_EQ(report["processes"].size(), 2u) << report.dump(1);
        const json* parent = find_process(report, parent_pid);
        ASSERT_NE(parent, nullptr) << "no process " << parent_pid << " in " << report.dump(1);
        const json* child = nullptr;
        for (const auto& p : report["processes"])
            if (p.value("pid", -1) != parent_pid) child = &p;
        ASSERT_NE(child, nullptr);
        {
            SCOPED_TRACE("parent");
            EXPECT_EQ(parent->value("comm", ""), "iowork");
            EXPECT_TRUE(parent->value("exited", false));
            expect_figures(*parent, expected_fork_parent());
        }
        {
            SCOPED_TRACE("child");
            EXPECT_GT(child->value("pid", -1), 0);
            EXPECT_EQ(child->value("ppid", -1), parent_pid);
            EXPECT_EQ(child->value("comm", ""), "iowork");
            EXPECT_TRUE(child->value("exited", false));
            expect_figures(*child, expected_fork_child());
        }
    }
};

std::map<std::string, RunResult>* Fork::results_ = nullptr;

TEST_F(Fork, FollowedWithF) { expect_fork_family_of_this_test(); }

TEST_F(Fork, CountedWithoutFreeSlots) { expect_fork_family_of_this_test(); }

TEST_F(Fork, CountedWithOneSlot) { expect_fork_family_of_this_test(); }

TEST_F(Fork, LaunchedCommandIsAlwaysFollowed) { expect_fork_family_of_this_test(); }

TEST_F(Fork, NotFollowedWithoutF) {
    const RunResult& r = result_of_current_test(*results_);
    ASSERT_EQ(r.error, "");
    expect_envelope(r.run.report);
    ASSERT_EQ(r.run.report["processes"].size(), 1u) << r.run.report.dump(1);
    const json& p = r.run.report["processes"][0];
    EXPECT_EQ(p.value("pid", -1), r.run.target_pid);
    EXPECT_TRUE(p.value("exited", false));
    expect_figures(p, expected_fork_parent());
}

}  // namespace
}  // namespace itest
