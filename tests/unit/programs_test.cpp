// Which figures are available, from which programs loaded: the rules the
// degraded paths rely on (src/tracer/programs.cpp).
#include <gtest/gtest.h>

#include "iotrace.h"
#include "tracer/programs.h"

using namespace iotrace;

namespace {

std::set<std::string> all_loaded() {
    std::set<std::string> s;
    for (const Family& f : families()) {
        s.insert(f.enter);
        s.insert(f.exit);
    }
    for (const Hook& h : hooks()) s.insert(h.name);
    return s;
}

}  // namespace

TEST(Programs, EverythingLoadedIsComplete) {
    Availability a = availability_of(all_loaded(), {});
    EXPECT_TRUE(a.complete());
}

TEST(Programs, FallbackExitCostsOnlyReadiness) {
    auto loaded = all_loaded();
    loaded.erase("exit_poll");
    loaded.insert("exit_poll_basic");
    Availability a = availability_of(loaded, {{"exit_poll", "BPF program is too large"}});
    EXPECT_FALSE(a.has(Part::PollReadiness));
    EXPECT_TRUE(a.has(Part::PollCounts));
    EXPECT_EQ(a.missing.size(), 1u);
    EXPECT_EQ(a.missing[Part::PollReadiness], "exit_poll: BPF program is too large");
    const Family& poll = families()[1];
    EXPECT_EQ(family_exit(poll, loaded), "exit_poll_basic");
}

TEST(Programs, NoExitAtAllCostsTheFamily) {
    auto loaded = all_loaded();
    loaded.erase("exit_select");
    Availability a = availability_of(loaded, {{"exit_select", "R4 unbounded memory access"}});
    EXPECT_FALSE(a.has(Part::SelectCounts));
    EXPECT_FALSE(a.has(Part::SelectReadiness));
    EXPECT_EQ(family_exit(families()[0], loaded), "");
}

TEST(Programs, MissingEnterCostsTheFamily) {
    auto loaded = all_loaded();
    loaded.erase("enter_recv");
    Availability a = availability_of(loaded, {});
    EXPECT_FALSE(a.has(Part::Recv));
    EXPECT_EQ(a.missing[Part::Recv], "enter_recv: not loaded");
    EXPECT_TRUE(a.has(Part::Send));
}

TEST(Programs, HooksMapToTheirParts) {
    auto loaded = all_loaded();
    loaded.erase("on_switch");
    loaded.erase("on_fork");
    loaded.erase("on_exec");  // no part: a warning only
    Availability a = availability_of(loaded, {});
    EXPECT_FALSE(a.has(Part::WaitCpuTime));
    EXPECT_FALSE(a.has(Part::Follow));
    EXPECT_EQ(a.missing.size(), 2u);
}

TEST(Programs, RolesOfPrograms) {
    EXPECT_TRUE(is_core("sys_enter"));
    EXPECT_TRUE(is_core("sys_exit"));
    EXPECT_FALSE(is_core("exit_select"));
    EXPECT_TRUE(is_fallback("exit_epoll_wait_basic"));
    EXPECT_FALSE(is_fallback("exit_epoll_wait"));
    EXPECT_EQ(fallback_of("exit_select"), "exit_select_basic");
    EXPECT_EQ(fallback_of("exit_recv"), "");
}

TEST(Programs, EveryProbedSyscallHasOneFamily) {
    std::vector<int> seen(IOT_NR_SYS, 0);
    for (const Family& f : families())
        for (int sys : syscalls_of(f.counts)) seen.at(static_cast<size_t>(sys))++;
    for (int sys = 0; sys < IOT_NR_SYS; ++sys) EXPECT_EQ(seen[static_cast<size_t>(sys)], 1) << "sys " << sys;
}
