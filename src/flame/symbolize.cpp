#include "flame/symbolize.h"

#include <cxxabi.h>
#include <elfutils/libdwfl.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace iotrace::flame {
namespace {

const Dwfl_Callbacks kCallbacks = {
    .find_elf = dwfl_linux_proc_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .section_address = nullptr,
    .debuginfo_path = nullptr,
};

}  // namespace

bool is_thread_entry(const std::string& name) {
    static const char* const kEntries[] = {"_start", "__libc_start_main", "__libc_start_call_main", "start_thread",
                                           "clone", "clone3", "__clone", "__clone3", "thread_start"};
    for (const char* e : kEntries)
        if (name == e) return true;
    return false;
}

std::string demangle(const std::string& name) {
    if (name.rfind("_Z", 0) != 0) return name;
    int status = 0;
    char* out = abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status);
    if (status != 0 || !out) return name;
    std::string s(out);
    std::free(out);
    return s;
}

std::string perf_map_lookup(const std::string& perf_map, uint64_t addr) {
    std::istringstream in(perf_map);
    std::string line;
    while (std::getline(in, line)) {
        char* end = nullptr;
        uint64_t start = std::strtoull(line.c_str(), &end, 16);
        if (!end || *end != ' ') continue;
        char* end2 = nullptr;
        uint64_t size = std::strtoull(end + 1, &end2, 16);
        if (!end2 || *end2 != ' ') continue;
        if (addr >= start && addr - start < size) return std::string(end2 + 1);
    }
    return "";
}

struct Symbolizer::Process {
    Dwfl* dwfl = nullptr;
    std::string perf_map;
    ~Process() {
        if (dwfl) dwfl_end(dwfl);
    }
};

Symbolizer::Symbolizer(const Recording& rec) : rec_(rec) {}
Symbolizer::~Symbolizer() = default;

// Its modules as its maps listed them (the text the tracer kept).
Symbolizer::Process& Symbolizer::process(int pid) {
    auto& slot = processes_[pid];
    if (slot) return *slot;
    slot = std::make_unique<Process>();
    auto perf = rec_.perf_maps.find(pid);
    if (perf != rec_.perf_maps.end()) slot->perf_map = perf->second;
    auto maps = rec_.maps.find(pid);
    if (maps == rec_.maps.end()) return *slot;
    Dwfl* d = dwfl_begin(&kCallbacks);
    if (!d) return *slot;
    std::string text = maps->second;
    FILE* f = fmemopen(text.data(), text.size(), "r");
    if (!f) {
        dwfl_end(d);
        return *slot;
    }
    dwfl_report_begin(d);
    int rc = dwfl_linux_proc_maps_report(d, f);
    std::fclose(f);
    dwfl_report_end(d, nullptr, nullptr);
    if (rc != 0) {
        dwfl_end(d);
        return *slot;
    }
    slot->dwfl = d;
    return *slot;
}

SymbolFrame Symbolizer::symbolize(Process& p, uint64_t addr) {
    SymbolFrame out{"[unknown]", ""};
    if (p.dwfl) {
        if (Dwfl_Module* m = dwfl_addrmodule(p.dwfl, addr)) {
            const char* mainfile = nullptr;
            const char* modname = dwfl_module_info(m, nullptr, nullptr, nullptr, nullptr, nullptr, &mainfile, nullptr);
            out.module = modname ? modname : "";
            if (const char* sym = dwfl_module_addrname(m, addr)) {
                out.name = demangle(sym);
                return out;
            }
            if (!out.module.empty() && out.module[0] != '[') return out;  // a file without a symbol here
        }
    }
    if (!p.perf_map.empty()) {
        std::string sym = perf_map_lookup(p.perf_map, addr);
        if (!sym.empty()) return {demangle(sym), "[perf-map]"};
    }
    return out;
}

std::string Symbolizer::executable(int pid) const {
    auto maps = rec_.maps.find(pid);
    if (maps == rec_.maps.end()) return "";
    std::istringstream in(maps->second);
    std::string line;
    while (std::getline(in, line)) {
        auto slash = line.find(" /");
        if (slash != std::string::npos) return line.substr(slash + 1);
    }
    return "";
}

std::vector<SymbolFrame> Symbolizer::frames(int pid, int64_t stack_id) {
    auto key = std::make_pair(pid, stack_id);
    auto hit = cache_.find(key);
    if (hit != cache_.end()) return hit->second;
    std::vector<SymbolFrame> out;
    auto ips = rec_.stack_ips.find(stack_id);
    if (ips != rec_.stack_ips.end()) {
        Process& p = process(pid);
        // each address is where the frame goes on after a call (a return
        // address; the leaf's: after the syscall instruction): one byte back
        // is inside the call
        for (auto it = ips->second.rbegin(); it != ips->second.rend(); ++it)
            out.push_back(symbolize(p, *it > 0 ? *it - 1 : 0));
        // A thread's first function is its root: the C library's start
        // code has no frame pointers, so a walk that goes on past it reads
        // whatever its frame register held (garbage frames).
        for (size_t i = out.size(); i-- > 0;)
            if (is_thread_entry(out[i].name)) {
                out.erase(out.begin(), out.begin() + static_cast<long>(i));
                break;
            }
    }
    cache_[key] = out;
    return out;
}

}  // namespace iotrace::flame
