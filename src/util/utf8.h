// Text from the kernel (a process's comm: whatever bytes it named itself)
// made valid UTF-8 for outputs that require it (Prometheus label values).
#pragma once

#include <string>
#include <string_view>

namespace iotrace {

// s with every byte that does not begin or continue a well-formed UTF-8
// sequence (overlong forms, surrogates and code points above U+10FFFF are
// ill-formed) replaced by U+FFFD, one per maximal ill-formed subpart, as
// nlohmann::json's error_handler_t::replace does for the JSON report.
std::string valid_utf8(std::string_view s);

}  // namespace iotrace
