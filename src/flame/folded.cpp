#include "flame/folded.h"

namespace iotrace::flame {

std::string render_folded(const Profile& profile) {
    std::string out;
    for (const ProcessStacks& p : profile.processes) {
        for (const Stack& s : p.stacks) {
            for (size_t i = 0; i < s.frames.size(); ++i) {
                if (i > 0) out += ';';
                out += s.frames[i];
            }
            out += ' ';
            out += std::to_string(s.weight);
            out += '\n';
        }
    }
    return out;
}

}  // namespace iotrace::flame
