// Small string helpers shared across the library.
#pragma once

#include <string>
#include <string_view>

namespace xtsync::util {

bool iequals(std::string_view a, std::string_view b) noexcept;
std::string to_lower(std::string_view s);
std::string_view trim(std::string_view s) noexcept;

}  // namespace xtsync::util
