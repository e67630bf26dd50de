// Which flame format to write: --format, else the output file's name.
#pragma once

#include <optional>
#include <string_view>

namespace iotrace::flame {

enum class Format { Folded, Svg, Speedscope };

// "folded", "svg", "speedscope": the --format names.
std::string_view format_name(Format f);
std::optional<Format> format_from_name(std::string_view name);

// The format a file name asks for: ".folded" and ".collapsedstack.txt" are
// folded, ".svg" SVG, ".speedscope.json" speedscope (case-sensitive, as
// the viewers name them); "-" (stdout) is folded. nullopt for any other name.
std::optional<Format> format_from_path(std::string_view path);

// `requested` (--format) when given, else format_from_path(path); a path
// that names no format throws Failure (usage, exit 2) saying which names
// and --format values are known.
Format choose_format(std::string_view path, std::optional<Format> requested);

}  // namespace iotrace::flame
