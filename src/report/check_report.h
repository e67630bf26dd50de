// `iotrace --check`: what this machine offers iotrace, as text for a person
// and as JSON (docs/json.md, "iotrace --check"). Rendering only: the
// readings come in a MachineCheck (src/model/machine_check.h).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "model/machine_check.h"

namespace iotrace {

std::string render_check_text(const MachineCheck& m);

nlohmann::ordered_json check_to_json(const MachineCheck& m);

// check_to_json pretty-printed with a 2-space indent and a trailing newline.
std::string render_check_json(const MachineCheck& m);

}  // namespace iotrace
