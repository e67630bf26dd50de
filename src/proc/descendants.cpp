#include "proc/descendants.h"

#include <dirent.h>

#include <charconv>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "proc/proc_file.h"
#include "proc/text_scan.h"

namespace iotrace {
namespace {

// The numeric entries of a /proc directory (processes, or a process's threads).
std::vector<int> numeric_entries(const std::string& dir_path) {
    std::vector<int> out;
    std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(dir_path.c_str()), ::closedir);
    if (!dir) return out;
    while (const dirent* e = ::readdir(dir.get()))
        if (auto n = parse_number<int>(e->d_name)) out.push_back(*n);
    return out;
}

// A process's children are listed per thread (the thread that forked them).
std::vector<int> children_of(int pid) {
    std::vector<int> out;
    for (int tid : numeric_entries(proc_path(pid, "task"))) {
        auto text = read_text_file(proc_path(pid, "task/" + std::to_string(tid) + "/children"));
        if (!text) continue;
        for (int c : parse_children(*text)) out.push_back(c);
    }
    return out;
}

std::vector<ProcParent> through_children_files(int root) {
    std::vector<ProcParent> out;
    std::set<int> seen{root};
    std::deque<int> todo{root};
    while (!todo.empty()) {
        int pid = todo.front();
        todo.pop_front();
        for (int c : children_of(pid))
            if (seen.insert(c).second) {
                out.push_back({c, pid});
                todo.push_back(c);
            }
    }
    return out;
}

std::vector<ProcParent> through_stat_scan(int root) {
    std::vector<ProcParent> all;
    for (int pid : numeric_entries("/proc")) {
        auto stat = read_text_file(proc_path(pid, "stat"));
        if (!stat) continue;  // exited since the listing
        if (auto ppid = parse_stat_ppid(*stat)) all.push_back({pid, *ppid});
    }
    return descendants_of(root, all);
}

}  // namespace

std::vector<int> parse_children(std::string_view text) {
    std::vector<int> out;
    for (std::string_view line : split_lines(text))
        for (std::string_view f : split_fields(line))
            if (auto n = parse_number<int>(f)) out.push_back(*n);
    return out;
}

std::optional<int> parse_stat_ppid(std::string_view stat) {
    size_t close = stat.rfind(')');
    if (close == std::string_view::npos) return std::nullopt;
    auto fields = split_fields(stat.substr(close + 1));
    if (fields.size() < 2) return std::nullopt;  // state, ppid
    return parse_number<int>(fields[1]);
}

std::vector<ProcParent> descendants_of(int root, const std::vector<ProcParent>& all) {
    std::multimap<int, int> kids;  // ppid -> pid
    for (const auto& p : all)
        if (p.pid != p.ppid) kids.emplace(p.ppid, p.pid);
    std::vector<ProcParent> out;
    std::set<int> seen{root};
    std::deque<int> todo{root};
    while (!todo.empty() && out.size() < all.size()) {
        int pid = todo.front();
        todo.pop_front();
        auto [lo, hi] = kids.equal_range(pid);
        for (auto it = lo; it != hi; ++it)
            if (seen.insert(it->second).second) {
                out.push_back({it->second, pid});
                todo.push_back(it->second);
            }
    }
    return out;
}

std::vector<ProcParent> read_descendants(int root) {
    // The file exists for every task when the kernel has it: probe the root's.
    if (read_text_file(proc_path(root, "task/" + std::to_string(root) + "/children")))
        return through_children_files(root);
    return through_stat_scan(root);
}

}  // namespace iotrace
