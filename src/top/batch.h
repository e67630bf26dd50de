// iotrace top's outputs when stdout is not a screen: -b prints each refresh
// as plain text (like top -b), --json as one JSON object per line (JSON
// lines, docs/json.md "iotrace top --json"). Both render the rows of the
// state's last update() (lingering exited rows are left out: each process
// appears in the refresh it exited in, once), in the state's sort order, all
// columns, no filter.
#pragma once

#include <string>

#include "top/top_state.h"

namespace iotrace {

// The header lines, a blank line, the column titles and one line per row;
// no escape codes; ends with a blank line (the separator between refreshes).
std::string batch_text(const TopState& s);

// One JSON object and a '\n'.
std::string json_line(const TopState& s);

}  // namespace iotrace
