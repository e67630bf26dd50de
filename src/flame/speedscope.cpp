#include "flame/speedscope.h"

#include <map>

namespace iotrace::flame {

using nlohmann::ordered_json;

ordered_json to_speedscope(const Profile& profile, std::string_view version) {
    std::map<std::string, size_t> index;  // frame name -> its place in shared.frames
    ordered_json frames = ordered_json::array();
    auto frame_index = [&](const std::string& name) {
        auto [it, added] = index.try_emplace(name, index.size());
        if (added) frames.push_back({{"name", name}});
        return it->second;
    };

    ordered_json profiles = ordered_json::array();
    for (const ProcessStacks& p : profile.processes) {
        ordered_json samples = ordered_json::array(), weights = ordered_json::array();
        for (const Stack& s : p.stacks) {
            ordered_json sample = ordered_json::array();
            for (const std::string& f : s.frames) sample.push_back(frame_index(f));
            samples.push_back(std::move(sample));
            weights.push_back(s.weight);
        }
        profiles.push_back({
            {"type", "sampled"},
            {"name", p.name},
            {"unit", weight_unit(profile.weight)},
            {"startValue", 0},
            {"endValue", total_weight(p.stacks)},
            {"samples", std::move(samples)},
            {"weights", std::move(weights)},
        });
    }
    return {
        {"$schema", kSpeedscopeSchema},
        {"name", profile.title},
        {"exporter", "iotrace@" + std::string(version)},
        {"activeProfileIndex", 0},
        {"shared", {{"frames", std::move(frames)}}},
        {"profiles", std::move(profiles)},
    };
}

std::string render_speedscope(const Profile& profile, std::string_view version) {
    // Frames are sanitized to UTF-8 (sanitize_frame), the title is ours;
    // replace rather than throw should anything else slip through.
    return to_speedscope(profile, version).dump(-1, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace iotrace::flame
