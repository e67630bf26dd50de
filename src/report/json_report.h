// The machine-readable report. Its keys are a public contract documented in
// docs/json.md: later versions may add keys but never rename or drop one.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "model/snapshot.h"

namespace iotrace {

// The version of the layout below; bumped only by an incompatible change.
inline constexpr int kJsonSchema = 1;

// The whole document; ordered_json keeps the keys in the documented order.
nlohmann::ordered_json to_json(const Snapshot& snap);

// to_json pretty-printed with a 2-space indent and a trailing newline.
std::string render_json(const Snapshot& snap);

}  // namespace iotrace
