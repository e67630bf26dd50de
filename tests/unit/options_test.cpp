#include "cli/options.h"
#include "util/failure.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace iotrace {
namespace {

std::variant<Options, ParseExit> parse(std::vector<std::string> args) {
    args.insert(args.begin(), "iotrace");
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    return parse_options(static_cast<int>(argv.size()), argv.data());
}

Options ok(std::vector<std::string> args) {
    auto r = parse(std::move(args));
    EXPECT_TRUE(std::holds_alternative<Options>(r)) << std::get<ParseExit>(r).text;
    return std::holds_alternative<Options>(r) ? std::get<Options>(r) : Options{};
}

ParseExit fails(std::vector<std::string> args) {
    auto r = parse(std::move(args));
    EXPECT_TRUE(std::holds_alternative<ParseExit>(r));
    return std::holds_alternative<ParseExit>(r) ? std::get<ParseExit>(r) : ParseExit{-1, ""};
}

TEST(Options, ServeDefaultsAndOptions) {
    Options d = ok({"serve"});
    EXPECT_TRUE(d.serve.on);
    EXPECT_EQ(d.serve.listen, "127.0.0.1:19435");
    EXPECT_EQ(d.serve.path, "/metrics");
    EXPECT_FALSE(d.serve.per_pid);
    EXPECT_EQ(d.serve.max_label_sets, 2000u);
    EXPECT_EQ(d.serve.grace_s, 300);
    Options o = ok({"serve", "--listen", "[::1]:9100", "--path", "/m", "-U", "nobody", "--per-pid",
                    "--max-label-sets", "50", "-d", "3", "--series-grace", "2"});
    EXPECT_EQ(o.serve.listen, "[::1]:9100");
    EXPECT_EQ(o.serve.path, "/m");
    EXPECT_EQ(o.only_user, "nobody");
    EXPECT_TRUE(o.serve.per_pid);
    EXPECT_EQ(o.serve.max_label_sets, 50u);
    EXPECT_EQ(o.duration_s, 3);
    EXPECT_EQ(o.serve.grace_s, 2);
    Options p = ok({"serve", "-f", "-p", "4,5"});
    EXPECT_EQ(p.pids, (std::vector<int>{4, 5}));
    EXPECT_TRUE(p.follow);
}

TEST(Options, ServeUsageErrors) {
    for (std::vector<std::string> args : {std::vector<std::string>{"serve", "--listen", "19435"},
                                          {"serve", "--listen", "::1:80"},
                                          {"serve", "--path", "metrics"},
                                          {"serve", "--path", "/"},
                                          {"serve", "-f"},
                                          {"serve", "-p", "4", "-U", "nobody"},
                                          {"serve", "--max-label-sets", "0"},
                                          {"serve", "--", "sleep", "1"}}) {
        ParseExit e = fails(args);
        EXPECT_EQ(e.exit_code, kExitUsage) << args.back();
        EXPECT_NE(e.text.find("iotrace serve --help"), std::string::npos) << e.text;
    }
}

TEST(Options, PidListsAreSplitAndRepeatable) {
    Options o = ok({"-p", "10,11", "-p", "12"});
    EXPECT_EQ(o.pids, (std::vector<int>{10, 11, 12}));
    EXPECT_FALSE(o.follow);
    EXPECT_FALSE(o.json);
    EXPECT_EQ(o.duration_s, 0);
}

TEST(Options, AllFlags) {
    Options o = ok({"-f", "-p", "7", "-d", "2.5", "--json", "-o", "out.json", "-v"});
    EXPECT_TRUE(o.follow);
    EXPECT_TRUE(o.json);
    EXPECT_TRUE(o.verbose);
    EXPECT_DOUBLE_EQ(o.duration_s, 2.5);
    EXPECT_EQ(o.output, "out.json");
}

TEST(Options, CommandAfterDoubleDashIsKeptVerbatim) {
    Options o = ok({"-u", "nobody", "--", "python3", "-p", "--json", "x"});
    EXPECT_EQ(o.user, "nobody");
    EXPECT_TRUE(o.pids.empty());
    EXPECT_FALSE(o.json);  // belongs to the command
    EXPECT_EQ(o.command, (std::vector<std::string>{"python3", "-p", "--json", "x"}));
}

TEST(Options, NoTargetIsAUsageError) {
    ParseExit e = fails({"--json"});
    EXPECT_EQ(e.exit_code, 2);
    EXPECT_NE(e.text.find("nothing to trace"), std::string::npos);
}

TEST(Options, BadValuesAreUsageErrors) {
    EXPECT_EQ(fails({"-p", "abc"}).exit_code, 2);
    EXPECT_EQ(fails({"-p", "0"}).exit_code, 2);
    EXPECT_EQ(fails({"-p", "5", "-d", "-1"}).exit_code, 2);
    EXPECT_EQ(fails({"--bogus"}).exit_code, 2);
    EXPECT_EQ(fails({"-p", "5", "-u", "root"}).exit_code, 2);  // -u needs a command
}

TEST(Options, CheckNeedsNoTarget) {
    Options o = ok({"--check"});
    EXPECT_TRUE(o.check);
    EXPECT_FALSE(o.json);
    o = ok({"--check", "--json", "-o", "check.json", "-v"});
    EXPECT_TRUE(o.check);
    EXPECT_TRUE(o.json);
    EXPECT_TRUE(o.verbose);
    EXPECT_EQ(o.output, "check.json");
    EXPECT_FALSE(ok({"-p", "5"}).check);
}

TEST(Options, CheckWithATargetIsAUsageError) {
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {"--check", "-p", "1"}, {"--check", "--", "true"}, {"--check", "-f"}, {"--check", "-d", "1"}}) {
        ParseExit e = fails(args);
        EXPECT_EQ(e.exit_code, 2) << ::testing::PrintToString(args);
        EXPECT_NE(e.text.find("--check traces nothing"), std::string::npos) << e.text;
    }
}

TEST(Options, FailProgIsAHiddenList) {
    Options o = ok({"-p", "5", "--fail-prog", "exit_select,on_switch", "--fail-prog", "enter_recv"});
    EXPECT_EQ(o.fail_progs, (std::vector<std::string>{"exit_select", "on_switch", "enter_recv"}));
    EXPECT_TRUE(ok({"--check", "--fail-prog", "sys_exit"}).check);
    EXPECT_TRUE(ok({"-p", "5"}).fail_progs.empty());
    ParseExit h = fails({"--help"});
    EXPECT_EQ(h.text.find("--fail-prog"), std::string::npos) << h.text;
    EXPECT_NE(h.text.find("--check"), std::string::npos) << h.text;
    EXPECT_NE(h.text.find("iotrace --check [--json] [-o FILE]"), std::string::npos) << h.text;
}

TEST(Options, HelpAndVersionExitZero) {
    ParseExit h = fails({"--help"});
    EXPECT_EQ(h.exit_code, 0);
    EXPECT_NE(h.text.find("Examples:"), std::string::npos);
    ParseExit v = fails({"--version"});
    EXPECT_EQ(v.exit_code, 0);
    EXPECT_NE(v.text.find(IOTRACE_VERSION), std::string::npos);
}

// ---- iotrace top ------------------------------------------------------

TEST(TopOptions, SystemWideByDefault) {
    Options o = ok({"top"});
    EXPECT_TRUE(o.top);
    EXPECT_TRUE(o.pids.empty());
    EXPECT_TRUE(o.command.empty());
    EXPECT_DOUBLE_EQ(o.interval_s, 1);
    EXPECT_EQ(o.refreshes, 0);
    EXPECT_EQ(o.duration_s, 0);
    EXPECT_FALSE(o.batch);
    EXPECT_FALSE(o.json);
    EXPECT_TRUE(o.only_user.empty());
    EXPECT_FALSE(ok({"-p", "5"}).top);
}

TEST(TopOptions, AllOptions) {
    Options o = ok({"top", "-p", "10,11", "-f", "-U", "www-data", "-i", "0.5", "-n", "7", "-d", "30", "-b", "--json"});
    EXPECT_TRUE(o.top);
    EXPECT_EQ(o.pids, (std::vector<int>{10, 11}));
    EXPECT_TRUE(o.follow);
    EXPECT_EQ(o.only_user, "www-data");
    EXPECT_DOUBLE_EQ(o.interval_s, 0.5);
    EXPECT_EQ(o.refreshes, 7);
    EXPECT_DOUBLE_EQ(o.duration_s, 30);
    EXPECT_TRUE(o.batch);
    EXPECT_TRUE(o.json);
}

TEST(TopOptions, LaunchedCommandAndItsUser) {
    Options o = ok({"top", "-u", "nobody", "-U", "0", "--", "sleep", "-i", "3"});
    EXPECT_TRUE(o.top);
    EXPECT_EQ(o.user, "nobody");
    EXPECT_EQ(o.only_user, "0");
    EXPECT_DOUBLE_EQ(o.interval_s, 1);  // -i belongs to the command
    EXPECT_EQ(o.command, (std::vector<std::string>{"sleep", "-i", "3"}));
}

TEST(TopOptions, BadValuesAreUsageErrors) {
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {"top", "-i", "0"},
             {"top", "-i", "-1"},
             {"top", "-i", "x"},
             {"top", "-n", "0"},
             {"top", "-n", "2.5"},
             {"top", "-d", "0"},
             {"top", "-p", "0"},
             {"top", "-U"},
             {"top", "-u", "nobody"},  // -u runs CMD as USER: no CMD
             {"top", "-f"},            // -f follows -p's descendants
             {"top", "-o", "x"},
             {"top", "--per-process"},
             {"top", "--check"},
             {"top", "--bogus"},
             {"top", "extra"}}) {
        ParseExit e = fails(args);
        EXPECT_EQ(e.exit_code, 2) << ::testing::PrintToString(args) << e.text;
        EXPECT_NE(e.text.find("iotrace top --help"), std::string::npos) << e.text;
    }
}

TEST(TopOptions, HelpAnswersTopsDelay) {
    ParseExit h = fails({"top", "--help"});
    EXPECT_EQ(h.exit_code, 0);
    EXPECT_NE(h.text.find("-i,--interval"), std::string::npos) << h.text;
    EXPECT_NE(h.text.find("-U,--only-user"), std::string::npos) << h.text;
    EXPECT_NE(h.text.find("top's -d DELAY is -i here"), std::string::npos) << h.text;
    EXPECT_EQ(h.text.find("--proc-slots"), std::string::npos) << h.text;
    ParseExit main_help = fails({"--help"});
    EXPECT_NE(main_help.text.find("iotrace top [-p PID[,PID...]]"), std::string::npos) << main_help.text;
}

}  // namespace
}  // namespace iotrace
