// speedscope's file format (https://www.speedscope.app/file-format-schema.json):
// one "sampled" profile per process, each stack a sample whose weight is the
// stack's, the frame names in one shared table.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "flame/stacks.h"

namespace iotrace::flame {

inline constexpr std::string_view kSpeedscopeSchema = "https://www.speedscope.app/file-format-schema.json";

// The document: "$schema", "name" (the title), "exporter"
// ("iotrace@" + version), "activeProfileIndex" 0, "shared": {"frames"},
// "profiles": [{"type": "sampled", "name", "unit", "startValue" 0,
// "endValue" (the process's total weight), "samples", "weights"}]. Frames
// are numbered in order of first use.
nlohmann::ordered_json to_speedscope(const Profile& profile, std::string_view version);

// to_speedscope, compact, with a trailing newline.
std::string render_speedscope(const Profile& profile, std::string_view version);

}  // namespace iotrace::flame
