#include "flame/svg.h"

#include <fmt/format.h>

#include "flame/colour.h"
#include "flame/layout.h"
#include "flame/svg_script.h"
#include "util/markup_escape.h"

namespace iotrace::flame {
namespace {

constexpr int kPad = 10;  // px left and right of the frames

std::string share(uint64_t part, uint64_t whole) {
    return fmt::format("{:.2f}%", whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

// "epoll_wait (1,234 ns, 12.50%; self 1,000 ns)": the hover text.
std::string frame_details(const FrameBox& b, const Profile& p, uint64_t total) {
    std::string s = fmt::format("{} ({}, {}", b.name, weight_label(p.weight, b.weight), share(b.weight, total));
    if (b.self != 0 && b.self != b.weight) s += "; self " + weight_label(p.weight, b.self);
    return s + ")";
}

const char* kStyle = R"CSS(
text { font-family: Verdana, sans-serif; fill: rgb(0,0,0); }
#title { text-anchor: middle; }
#subtitle { text-anchor: middle; fill: rgb(90,90,90); }
#search, #unzoom { cursor: pointer; }
#search.on { fill: rgb(160,0,160); }
#frames g { cursor: pointer; }
#frames g:hover rect { stroke: rgb(0,0,0); stroke-width: 0.5; }
#frames text { pointer-events: none; }
.hide { display: none; }
.parent { opacity: 0.5; }
)CSS";

}  // namespace

std::string fit_label(const std::string& name, double width_px, int font_size) {
    double fits = (width_px - 6) / (font_size * 0.59);
    if (fits < 3) return "";
    size_t chars = static_cast<size_t>(fits);
    // Byte offsets of the UTF-8 characters (continuation bytes are 10xxxxxx).
    std::vector<size_t> starts;
    for (size_t i = 0; i < name.size(); ++i)
        if ((static_cast<unsigned char>(name[i]) & 0xC0) != 0x80) starts.push_back(i);
    if (starts.size() <= chars) return name;
    return name.substr(0, starts[chars - 2]) + "..";
}

std::string render_svg(const Profile& profile, const SvgOptions& o) {
    Layout layout = layout_flame(profile);
    const int title_h = o.font_size * 4;       // title, subtitle, notes
    const int footer_h = o.font_size * 2 + 6;  // details, matched
    const int rows = layout.boxes.empty() ? 1 : layout.max_depth + 1;
    const int height = title_h + rows * o.frame_height + footer_h;
    const double scale =
        layout.total == 0 ? 0 : static_cast<double>(o.width - 2 * kPad) / static_cast<double>(layout.total);

    std::string subtitle = fmt::format("weight: {}; total {}", weight_description(profile.weight),
                                       weight_label(profile.weight, layout.total));
    for (const std::string& note : profile.notes) subtitle += "; " + note;

    std::string out;
    out += "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n";
    out += fmt::format(
        "<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
        "viewBox=\"0 0 {0} {1}\" data-width=\"{0}\" data-pad=\"{2}\" data-font=\"{3}\" onload=\"init()\">\n",
        o.width, height, kPad, o.font_size);
    out += "<!-- Flame graph by iotrace: hover for details, click a frame to zoom, Ctrl-F to search. -->\n";
    out += fmt::format("<style>{}text {{ font-size: {}px; }}\n#title {{ font-size: {}px; }}\n</style>\n", kStyle,
                       o.font_size, o.font_size + 5);
    out += "<script><![CDATA[";
    out += kSvgScript;
    out += "]]></script>\n";
    out += fmt::format("<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"rgb(248,248,248)\"/>\n", o.width,
                       height);
    out += fmt::format("<text id=\"title\" x=\"{}\" y=\"{}\">{}</text>\n", o.width / 2, o.font_size * 2,
                       markup_escape(profile.title));
    out += fmt::format("<text id=\"subtitle\" x=\"{}\" y=\"{}\">{}</text>\n", o.width / 2,
                       o.font_size * 2 + o.font_size + 4, markup_escape(subtitle));
    out += fmt::format("<text id=\"unzoom\" class=\"hide\" x=\"{}\" y=\"{}\">Reset Zoom</text>\n", kPad,
                       o.font_size * 2);
    out += fmt::format("<text id=\"search\" x=\"{}\" y=\"{}\">Search</text>\n", o.width - kPad - 100, o.font_size * 2);
    out += fmt::format("<text id=\"details\" x=\"{}\" y=\"{}\"> </text>\n", kPad, height - o.font_size / 2 - 4);
    out += fmt::format("<text id=\"matched\" x=\"{}\" y=\"{}\"> </text>\n", o.width - kPad - 160,
                       height - o.font_size / 2 - 4);
    if (layout.boxes.empty()) {
        out += fmt::format("<text x=\"{}\" y=\"{}\">no calls to show</text>\n", kPad, title_h + o.frame_height - 4);
    }
    out += "<g id=\"frames\">\n";
    for (const FrameBox& b : layout.boxes) {
        double w = static_cast<double>(b.weight) * scale;
        if (w < o.min_width) continue;
        double x = kPad + static_cast<double>(b.start) * scale;
        int y = title_h + (layout.max_depth - b.depth) * o.frame_height;
        out += fmt::format(
            "<g data-s=\"{}\" data-w=\"{}\" data-d=\"{}\"><title>{}</title>"
            "<rect x=\"{:.2f}\" y=\"{}\" width=\"{:.2f}\" height=\"{}\" rx=\"2\" fill=\"{}\"/>"
            "<text x=\"{:.2f}\" y=\"{}\">{}</text></g>\n",
            b.start, b.weight, b.depth, markup_escape(frame_details(b, profile, layout.total)), x, y, w,
            o.frame_height - 1, css_rgb(frame_colour(b.name)), x + 3, y + o.frame_height - 4,
            markup_escape(fit_label(b.name, w, o.font_size)));
    }
    out += "</g>\n</svg>\n";
    return out;
}

}  // namespace iotrace::flame
