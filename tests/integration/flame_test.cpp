// iotrace flame on real processes: tests/workloads/flamepaths.c has two
// code paths with known call counts (main -> write_path: 300 writes of a
// byte into a pipe; main -> read_stage -> read_path: 200 reads of a byte),
// and each path is found with its weight in the folded, SVG and speedscope
// outputs; the weights of each syscall equal the JSON report of the same run
// (--report); a binary without frame pointers is named; files belong to the
// sudo user and are never written through a symlink; the viewers
// (tests/flame/viewers) open real recordings.
#include <gtest/gtest.h>

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "harness.h"

namespace itest {
namespace {

constexpr uint64_t kWrites = 300, kReads = 200;
const std::string kWritePath = ";__libc_start_call_main;main;write_path;write;pipe";
const std::string kReadPath = ";__libc_start_call_main;main;read_stage;read_path;read;pipe";

using Stacks = std::map<std::string, uint64_t>;  // frames joined with ';' -> weight

Stacks folded_stacks(const std::string& text) {
    Stacks out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        auto sp = line.rfind(' ');
        if (sp == std::string::npos) continue;
        out[line.substr(0, sp)] += std::stoull(line.substr(sp + 1));
    }
    return out;
}

Stacks speedscope_stacks(const json& doc) {
    Stacks out;
    const json& frames = doc["shared"]["frames"];
    for (const json& p : doc["profiles"]) {
        const json& samples = p["samples"];
        const json& weights = p["weights"];
        for (size_t i = 0; i < samples.size(); ++i) {
            std::string key;
            for (const json& f : samples[i]) key += (key.empty() ? "" : ";") + frames[f.get<size_t>()]["name"].get<std::string>();
            out[key] += weights[i].get<uint64_t>();
        }
    }
    return out;
}

// The SVG's frames: each box's path (its ancestors' names, the root "all"
// left out) -> its weight (data-w).
Stacks svg_boxes(const std::string& svg) {
    struct Box {
        uint64_t s, w;
        int d;
        std::string name;
    };
    std::vector<Box> boxes;
    std::regex re("<g data-s=\"([0-9]+)\" data-w=\"([0-9]+)\" data-d=\"([0-9]+)\"><title>([^<]*)</title>");
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re); it != std::sregex_iterator(); ++it) {
        std::string title = (*it)[4];
        boxes.push_back({std::stoull((*it)[1]), std::stoull((*it)[2]), std::stoi((*it)[3]),
                         title.substr(0, title.rfind(" ("))});
    }
    Stacks out;
    for (const Box& b : boxes) {
        std::string path = b.name;
        int depth = b.d;
        uint64_t at = b.s;
        while (depth > 1) {
            --depth;
            for (const Box& p : boxes)
                if (p.d == depth && p.s <= at && at < p.s + p.w) {
                    path = p.name + ";" + path;
                    break;
                }
        }
        if (b.d >= 1) out[path] = b.w;
    }
    return out;
}

// The weight of the stack of process pid ending in `tail`, or 0.
uint64_t weight_of(const Stacks& stacks, int pid, const std::string& tail) {
    std::string head = "flamepaths-" + std::to_string(pid) + ";flamepaths-" + std::to_string(pid) + ";";
    uint64_t w = 0;
    for (const auto& [k, v] : stacks)
        if (k.rfind(head, 0) == 0 && k.size() >= tail.size() && k.compare(k.size() - tail.size(), tail.size(), tail) == 0)
            w += v;
    return w;
}

struct FlameRun {
    int exit_code = -1;
    int pid = -1;
    std::string out, err;
};

// `iotrace flame ARGS... -- WORKLOAD` until it ends by itself.
FlameRun run_flame(const std::vector<std::string>& args, const std::string& wl) {
    std::vector<std::string> argv{iotrace_path(), "flame"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back("--");
    argv.push_back(workload(wl));
    Child it(argv);
    FlameRun r;
    auto line = it.wait_err_prefix(kTracingPrefix);
    if (line) r.pid = pid_in_tracing_line(*line);
    if (!it.wait_exit()) return r;
    r.exit_code = it.exit_code();
    r.out = it.out();
    r.err = it.err();
    return r;
}

// Each path in each format, weighed in calls (--stacks).
class FlamePaths : public ::testing::TestWithParam<std::string> {};

TEST_P(FlamePaths, EachPathWithItsCallCount) {
    TempDir tmp;
    std::string ext = GetParam();
    std::string file = tmp.path("paths" + ext);
    FlameRun r = run_flame({"--stacks", "--weight", "count", "-o", file}, "flamepaths");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_GT(r.pid, 0) << r.err;
    EXPECT_EQ(r.err.find("truncated"), std::string::npos) << r.err;
    std::string text = read_file(file);
    Stacks stacks = ext == ".svg" ? svg_boxes(text)
                    : ext == ".folded" ? folded_stacks(text)
                                       : speedscope_stacks(json::parse(text));
    std::string all;
    for (const auto& [k, v] : stacks) all += k + " " + std::to_string(v) + "\n";
    EXPECT_EQ(weight_of(stacks, r.pid, kWritePath), kWrites) << all;
    EXPECT_EQ(weight_of(stacks, r.pid, kReadPath), kReads) << all;
    if (ext == ".svg") {
        EXPECT_NE(text.find("calls"), std::string::npos);
    } else if (ext == ".folded") {
        EXPECT_EQ(stacks.size(), 2u) << all;  // nothing else was called
    }
}

INSTANTIATE_TEST_SUITE_P(Formats, FlamePaths, ::testing::Values(".folded", ".svg", ".speedscope.json"),
                         [](const auto& info) {
                             std::string n = info.param.substr(1);
                             return n.substr(0, n.find('.'));
                         });

// Time and bytes of each path equal the JSON report of the same run.
TEST(Flame, TimeAndBytesEqualTheReport) {
    TempDir tmp;
    for (std::string weight : {"time", "bytes"}) {
        std::string file = tmp.path(weight + ".folded"), report = tmp.path(weight + ".json");
        FlameRun r = run_flame({"--stacks", "--weight", weight, "-o", file, "--report", report}, "flamepaths");
        ASSERT_EQ(r.exit_code, 0) << r.err;
        Stacks stacks = folded_stacks(read_file(file));
        json rep = read_json(report);
        const json* p = find_process(rep, r.pid);
        ASSERT_TRUE(p) << rep.dump(1);
        EXPECT_EQ(rep.value("lost_events", 1), 0) << rep.dump(1);
        uint64_t w = weight_of(stacks, r.pid, kWritePath), rd = weight_of(stacks, r.pid, kReadPath);
        if (weight == "time") {
            EXPECT_EQ(w, (*p)["syscalls"]["write"]["time_ns"].get<uint64_t>());
            EXPECT_EQ(rd, (*p)["syscalls"]["read"]["time_ns"].get<uint64_t>());
            EXPECT_GT(w, 0u);
        } else {
            EXPECT_EQ(w, (*p)["send"]["bytes"].get<uint64_t>());
            EXPECT_EQ(rd, (*p)["recv"]["bytes"].get<uint64_t>());
            EXPECT_EQ(w, kWrites);
            EXPECT_EQ(rd, kReads);
        }
    }
}

// Every syscall of iowork's scenarios: calls, time, bytes and the waits'
// on-CPU time summed over the syscall's frames equal the report's rows.
TEST(Flame, EverySyscallEqualsTheReport) {
    TempDir tmp;
    int pid = -1;
    for (std::string weight : {"count", "time", "bytes", "cpu"}) {
        std::string file = tmp.path(weight + ".folded"), report = tmp.path(weight + ".json");
        std::vector<std::string> argv{iotrace_path(), "flame", "--weight", weight, "-o", file, "--report", report, "--",
                                      workload("iowork"), "all"};
        Child it(argv);
        auto line = it.wait_err_prefix(kTracingPrefix);
        ASSERT_TRUE(line) << it.err();
        pid = pid_in_tracing_line(*line);
        ASSERT_TRUE(it.wait_exit()) << it.err();
        ASSERT_EQ(it.exit_code(), 0) << it.err();
        json r = read_json(report);
        const json* p = find_process(r, pid);
        ASSERT_TRUE(p) << r.dump(1);
        EXPECT_EQ(r.value("lost_events", 1), 0);
        // per syscall (frame 3: process, thread, model, syscall[, fd kind])
        std::map<std::string, uint64_t> per_sys;
        for (const auto& [stack, w] : folded_stacks(read_file(file))) {
            std::vector<std::string> frames;
            std::stringstream ss(stack);
            for (std::string f; std::getline(ss, f, ';');) frames.push_back(f);
            ASSERT_GE(frames.size(), 4u) << stack;
            EXPECT_EQ(frames[0], "iowork-" + std::to_string(pid));
            EXPECT_EQ(frames[2].rfind("model: ", 0), 0u) << stack;
            per_sys[frames[3]] += w;
        }
        uint64_t recv = 0, send = 0, waits_cpu = 0;
        for (const auto& [name, row] : (*p)["syscalls"].items()) {
            uint64_t calls = row["calls"].get<uint64_t>();
            if (weight == "count") {
                EXPECT_EQ(per_sys[name], calls) << name;
            } else if (weight == "time") {
                EXPECT_EQ(per_sys[name], row["time_ns"].get<uint64_t>()) << name;
            }
            if (name.rfind("recv", 0) == 0 || name == "read" || name == "readv") recv += per_sys[name];
            if (name.rfind("send", 0) == 0 || name == "write" || name == "writev") send += per_sys[name];
            if (name != "epoll_ctl" &&
                (name.find("select") != std::string::npos || name.find("poll") != std::string::npos))
                waits_cpu += per_sys[name];
        }
        if (weight == "bytes") {
            EXPECT_EQ(recv, (*p)["recv"]["bytes"].get<uint64_t>());
            EXPECT_EQ(send, (*p)["send"]["bytes"].get<uint64_t>());
            EXPECT_GT(recv, 0u);
        }
        if (weight == "cpu") {
            EXPECT_EQ(waits_cpu, (*p)["waits"]["cpu_ns"].get<uint64_t>());
            EXPECT_GT(waits_cpu, 0u);
        }
        if (weight == "count") {
            EXPECT_GT(per_sys["epoll_wait"], 0u);
        }
    }
}

// A binary built without frame pointers: named on stderr and in the output.
TEST(Flame, TruncatedStacksNameTheBinary) {
    TempDir tmp;
    std::string file = tmp.path("nofp.svg");
    FlameRun r = run_flame({"--stacks", "-o", file}, "flamepaths-nofp");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string note = "stacks of " + workload("flamepaths-nofp") + " are truncated: built without frame pointers";
    char real[PATH_MAX];
    if (realpath(workload("flamepaths-nofp").c_str(), real))
        note = "stacks of " + std::string(real) + " are truncated: built without frame pointers";
    EXPECT_NE(r.err.find("iotrace: " + note), std::string::npos) << r.err;
    EXPECT_NE(read_file(file).find(note), std::string::npos);
    // with frame pointers: no such note
    FlameRun fp = run_flame({"--stacks", "-o", tmp.path("fp.svg")}, "flamepaths");
    ASSERT_EQ(fp.exit_code, 0) << fp.err;
    EXPECT_EQ(fp.err.find("truncated"), std::string::npos) << fp.err;
}

// Under sudo the file is the invoking user's; a symlink at -o is refused
// and its target left alone; -o is required.
TEST(Flame, OwnershipSymlinkAndMissingOutput) {
    TempDir tmp;
    chmod(tmp.path("").c_str(), 0755);
    std::string file = tmp.path("owned.svg");
    setenv("SUDO_UID", "65534", 1);
    setenv("SUDO_GID", "65533", 1);
    FlameRun r = run_flame({"-o", file}, "flamepaths");
    unsetenv("SUDO_UID");
    unsetenv("SUDO_GID");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    struct stat st {};
    ASSERT_EQ(stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, 65534u);
    EXPECT_EQ(st.st_gid, 65533u);

    std::string target = tmp.path("precious"), link = tmp.path("link.folded");
    { std::FILE* f = std::fopen(target.c_str(), "w"); std::fputs("keep\n", f); std::fclose(f); }
    ASSERT_EQ(symlink(target.c_str(), link.c_str()), 0);
    FlameRun s = run_flame({"-o", link}, "flamepaths");
    EXPECT_EQ(s.exit_code, 1) << s.err;
    EXPECT_NE(s.err.find("symbolic link"), std::string::npos) << s.err;
    EXPECT_EQ(read_file(target), "keep\n");

    Child none({iotrace_path(), "flame", "--", workload("flamepaths")});
    ASSERT_TRUE(none.wait_exit());
    EXPECT_EQ(none.exit_code(), 2);
    EXPECT_NE(none.err().find("-o FILE is required"), std::string::npos) << none.err();
}

// The report's lifecycle: -d on a process that goes on, and SIGINT or
// SIGTERM on a launched one, end tracing and still write the file.
TEST(Flame, EndsOnDurationAndSignals) {
    TempDir tmp;
    Child wl({workload("iowork"), "spin", "--wait"});
    ASSERT_TRUE(wl.wait_out_line("ready")) << wl.err();
    std::string file = tmp.path("d.folded");
    Child it({iotrace_path(), "flame", "--weight", "count", "-d", "1", "-p", std::to_string(wl.pid()), "-o", file});
    ASSERT_TRUE(it.wait_err_prefix(kTracingPrefix)) << it.err();
    wl.signal(SIGUSR1);
    ASSERT_TRUE(it.wait_exit()) << it.err();
    EXPECT_EQ(it.exit_code(), 0) << it.err();
    Stacks d = folded_stacks(read_file(file));
    uint64_t spins = 0;
    for (const auto& [k, v] : d)
        if (k.find(";recvfrom;") != std::string::npos) spins += v;
    EXPECT_GT(spins, 0u) << read_file(file);
    wl.signal(SIGTERM);
    ASSERT_TRUE(wl.wait_exit());

    for (int sig : {SIGINT, SIGTERM}) {
        std::string f = tmp.path("sig" + std::to_string(sig) + ".folded");
        Child run({iotrace_path(), "flame", "--weight", "count", "-o", f, "--", workload("iowork"), "spin"});
        auto line = run.wait_err_prefix(kTracingPrefix);
        ASSERT_TRUE(line) << run.err();
        int pid = pid_in_tracing_line(*line);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let it make some calls
        run.signal(sig);
        ASSERT_TRUE(run.wait_exit()) << run.err();
        EXPECT_EQ(run.exit_code(), 0) << run.err();
        EXPECT_NE(read_file(f).find("iowork-" + std::to_string(pid) + ";"), std::string::npos) << read_file(f);
        kill_and_reap(pid);
    }
}

// -o - writes folded text on stdout.
TEST(Flame, DashIsFoldedOnStdout) {
    FlameRun r = run_flame({"--weight", "count", "-o", "-"}, "flamepaths");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    Stacks stacks = folded_stacks(r.out);
    std::string head = "flamepaths-" + std::to_string(r.pid);
    EXPECT_EQ(stacks[head + ";" + head + ";model: blocking;write;pipe"], kWrites) << r.out;
    EXPECT_EQ(stacks[head + ";" + head + ";model: blocking;read;pipe"], kReads) << r.out;
}

// The viewers open a real recording of two processes (-p A,B): speedscope
// imports the folded and speedscope files, Chromium drives the SVG.
TEST(Flame, ViewersOpenARecording) {
    TempDir tmp;
    std::vector<std::string> files{tmp.path("two.folded"), tmp.path("two.speedscope.json"), tmp.path("two.svg")};
    for (const std::string& file : files) {
        Child a({workload("flamepaths"), "--wait"}), b({workload("flamepaths"), "--wait"});
        ASSERT_TRUE(a.wait_out_line("ready")) << a.err();
        ASSERT_TRUE(b.wait_out_line("ready")) << b.err();
        Child it({iotrace_path(), "flame", "--stacks", "-p", std::to_string(a.pid()) + "," + std::to_string(b.pid()),
                  "-o", file});
        ASSERT_TRUE(it.wait_err_prefix(kTracingPrefix)) << it.err();
        a.signal(SIGUSR1);
        b.signal(SIGUSR1);
        ASSERT_TRUE(it.wait_exit()) << it.err();
        ASSERT_EQ(it.exit_code(), 0) << it.err();
    }
    const char* viewers = getenv("FLAME_VIEWERS");
    Child v({viewers ? viewers : "tests/flame/viewers", files[0], files[1], files[2], tmp.path("shots")});
    ASSERT_TRUE(v.wait_exit(std::chrono::seconds(300))) << v.out() << v.err();
    EXPECT_EQ(v.exit_code(), 0) << v.out() << v.err();
    EXPECT_EQ(v.out().find("FAIL"), std::string::npos) << v.out();
}

}  // namespace
}  // namespace itest
