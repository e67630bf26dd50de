// Text into XML or HTML (the flame SVG, serve's landing page): the five
// characters markup gives a meaning, as entities; everything else as is.
#pragma once

#include <string>
#include <string_view>

namespace iotrace {

std::string markup_escape(std::string_view s);

}  // namespace iotrace
