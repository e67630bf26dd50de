// TopState::render(): header, status line, then the table, the detail pane
// or the help, and a line of key hints at the bottom.
#include <algorithm>
#include <fmt/format.h>

#include "top/columns.h"
#include "top/header_text.h"
#include "top/render_parts.h"

namespace iotrace {
namespace {

void draw_lines(Grid& g, int top, int bottom, const std::vector<Line>& lines, int scroll) {
    int page = bottom - top;
    scroll = std::clamp(scroll, 0, std::max(0, static_cast<int>(lines.size()) - page));
    for (int y = top; y < bottom; ++y) {
        size_t i = static_cast<size_t>(scroll + y - top);
        if (i >= lines.size()) break;
        g.put(y, 0, lines[i].text, lines[i].attr);
    }
}

std::string hints(const TopState& s) {
    if (s.editing_filter()) return "type a part of the command  Enter: keep  Esc: clear  Backspace: erase";
    if (s.choosing_column()) return "Up/Down: column  Enter: sort by it  Esc: cancel";
    if (s.help_open()) return "any key: back  Up/Down/PgUp/PgDn: scroll  q: quit";
    if (s.detail_open()) return "Esc/Left: back  Up/Down/PgUp/PgDn: scroll  p: pause  ?: help  q: quit";
    return "q:quit ?:help Enter:detail /:filter < > F6:sort R:reverse p:pause H:threads";
}

}  // namespace

std::string TopRender::status(const TopState& s) {
    const ColumnInfo& c = column_info(s.sort_column());
    std::string out = fmt::format("sort: {} ({})", c.title, sort_direction(c.id, s.reversed()));
    if (s.editing_filter())
        out += fmt::format("   filter: {}_", s.filter());
    else if (!s.filter().empty())
        out += fmt::format("   filter: \"{}\" (Esc clears)", s.filter());
    if (s.threads()) out += "   threads (H)";
    if (s.paused()) out += "   PAUSED (p)";
    return out;
}

void TopRender::table(const TopState& s, Grid& g, int top, int bottom) {
    if (top >= bottom) return;
    auto cols = fit_columns(g.cols(), s.sort_);
    g.put(top, 0, std::string(static_cast<size_t>(g.cols()), ' '), kAttrReverse);
    g.put(top, 0, title_line(cols), kAttrReverse);
    for (const Placed& p : cols)
        if (p.id == s.sort_) g.set_attr(top, p.x, p.width, kAttrReverse | kAttrBold | kAttrUnderline);
    int page = bottom - top - 1;
    s.last_page_rows_ = std::max(1, page);
    if (s.shown_.empty()) {
        if (page > 0)
            g.put(top + 1, 0,
                  s.filter_.empty() ? "(no traced process yet)" : fmt::format("(no command matches \"{}\")", s.filter_));
        return;
    }
    size_t n = s.shown_.size();
    size_t pg = static_cast<size_t>(std::max(1, page));
    if (s.sel_ < s.scroll_) s.scroll_ = s.sel_;
    if (s.sel_ >= s.scroll_ + pg) s.scroll_ = s.sel_ - pg + 1;
    s.scroll_ = std::min(s.scroll_, n > pg ? n - pg : 0);
    for (int y = top + 1; y < bottom; ++y) {
        size_t i = s.scroll_ + static_cast<size_t>(y - top - 1);
        if (i >= n) break;
        const Row& r = s.shown_[i];
        uint8_t attr = r.exited ? kAttrDim : kAttrNormal;
        if (i == s.sel_) attr = kAttrReverse;
        g.put(y, 0, std::string(static_cast<size_t>(g.cols()), ' '), attr);
        g.put(y, 0, row_line(r, cols), attr);
    }
}

void TopRender::chooser(const TopState& s, Grid& g, int top, int bottom) {
    std::vector<Line> lines{{"Sort by:", kAttrBold}};
    for (const ColumnInfo& c : all_columns()) {
        bool on = static_cast<size_t>(c.id) == s.chooser_sel_;
        lines.push_back({fmt::format("{} {:<8} {}", on ? '>' : ' ', c.title, c.meaning), on ? kAttrReverse : kAttrNormal});
    }
    int page = bottom - top;
    int want = static_cast<int>(s.chooser_sel_) + 1;  // its line
    int scroll = want >= page ? want - page + 1 : 0;
    for (int y = top; y < bottom; ++y) g.put(y, 0, std::string(static_cast<size_t>(g.cols()), ' '));
    draw_lines(g, top, bottom, lines, scroll);
}

Grid TopState::render(int rows, int cols) const {
    Grid g(rows, cols);
    if (rows <= 0 || cols <= 0) return g;
    // From the top: header (as many of its 3 lines as leave room for 4
    // more), status line; at the bottom, the key hints.
    auto head = header_lines(header_);
    int y = 0;
    int room = std::max(0, std::min(static_cast<int>(head.size()), rows - 4));
    for (int i = 0; i < room; ++i) {
        bool alarm = i == 1 && header_.lost_interval > 0;
        g.put(y++, 0, head[static_cast<size_t>(i)], alarm ? kAttrBold : kAttrNormal);
    }
    if (y < rows) g.put(y++, 0, TopRender::status(*this), editing_filter_ ? kAttrBold : kAttrNormal);
    int bottom = rows;
    if (rows - y >= 2) {
        --bottom;
        g.put(bottom, 0, std::string(static_cast<size_t>(cols), ' '), kAttrReverse);
        g.put(bottom, 0, hints(*this), kAttrReverse);
    }
    if (help_ || detail_) {
        auto lines = help_ ? TopRender::help(*this, cols) : TopRender::detail(*this, cols);
        last_page_rows_ = std::max(1, bottom - y);
        last_pane_lines_ = static_cast<int>(lines.size());
        draw_lines(g, y, bottom, lines, detail_scroll_);
    } else if (choosing_) {
        TopRender::chooser(*this, g, y, bottom);
    } else {
        TopRender::table(*this, g, y, bottom);
    }
    return g;
}

}  // namespace iotrace
