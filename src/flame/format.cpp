#include "flame/format.h"

#include <string>

#include "util/failure.h"

namespace iotrace::flame {

std::string_view format_name(Format f) {
    switch (f) {
        case Format::Folded: return "folded";
        case Format::Svg: return "svg";
        case Format::Speedscope: return "speedscope";
    }
    return "folded";
}

std::optional<Format> format_from_name(std::string_view name) {
    for (Format f : {Format::Folded, Format::Svg, Format::Speedscope}) {
        if (format_name(f) == name) return f;
    }
    return std::nullopt;
}

std::optional<Format> format_from_path(std::string_view path) {
    if (path == "-") return Format::Folded;
    // A suffix alone ("/tmp/.svg") is a hidden file's whole name, not a format.
    auto ends_with = [&](std::string_view suffix) {
        if (!path.ends_with(suffix) || path.size() == suffix.size()) return false;
        return path[path.size() - suffix.size() - 1] != '/';
    };
    if (ends_with(".speedscope.json")) return Format::Speedscope;
    if (ends_with(".folded") || ends_with(".collapsedstack.txt")) return Format::Folded;
    if (ends_with(".svg")) return Format::Svg;
    return std::nullopt;
}

Format choose_format(std::string_view path, std::optional<Format> requested) {
    if (requested) return *requested;
    if (auto f = format_from_path(path)) return *f;
    throw Failure("cannot tell the format from the file name '" + std::string(path) +
                      "': name it *.folded, *.collapsedstack.txt, *.svg or *.speedscope.json, or give "
                      "--format folded|svg|speedscope",
                  kExitUsage);
}

}  // namespace iotrace::flame
