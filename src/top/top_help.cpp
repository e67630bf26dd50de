// The help screen (`?`): the keys, then what each column means.
#include <fmt/format.h>

#include "top/columns.h"
#include "top/render_parts.h"

namespace iotrace {

std::vector<Line> TopRender::help(const TopState& s, int cols) {
    static const std::pair<const char*, const char*> kKeys[] = {
        {"Up Down PgUp PgDn Home End", "move the selection (rows keep their places for a couple of refreshes)"},
        {"< >", "sort by the previous / next column"},
        {"F6", "choose the sort column from a list"},
        {"R", "reverse the sort order"},
        {"/", "filter by a part of the command (Enter keeps it, Esc clears it)"},
        {"Esc", "clear the filter; close the detail pane"},
        {"p, Space", "pause: the rows stay as they are while tracing goes on"},
        {"H", "one row per thread / per process"},
        {"Enter", "detail of the selected process: model and evidence, findings, threads, fds, wait latency"},
        {"Esc, Left", "close the detail pane"},
        {"?", "this help"},
        {"q, Ctrl-C", "quit"},
    };
    std::vector<Line> out{{"iotrace top: keys", kAttrBold}};
    for (const auto& [k, what] : kKeys)
        for (auto& l : wrap(what, cols, fmt::format("  {:<27} ", k), std::string(30, ' '))) out.push_back({l});
    out.push_back({""});
    out.push_back({"columns (rates per second over the last interval; \"-\": nothing to divide by, or a figure a", kAttrBold});
    out.push_back({"thread does not have; \"n/a\": not counted on this kernel):", kAttrBold});
    for (const ColumnInfo& c : all_columns()) {
        std::string mark = c.id == s.sort_column() ? " (sort)" : "";
        for (auto& l : wrap(c.meaning + mark, cols, fmt::format("  {:<9} ", c.title), std::string(12, ' ')))
            out.push_back({l});
    }
    out.push_back({""});
    double w = s.windows().window_s();
    std::string about = fmt::format(
        "Exited processes stay listed for a few refreshes, dimmed and marked \"(exited)\". MODEL and FINDING come "
        "from the diagnosis of the last {:g} to {:g} seconds (docs/top.md).",
        w, 2 * w);
    for (auto& l : wrap(about, cols, "", ""))
        out.push_back({l});
    return out;
}

}  // namespace iotrace
