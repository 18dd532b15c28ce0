// Small string helpers shared across the library.
#pragma once

#include <string>
#include <string_view>

namespace xtsync::util {

bool iequals(std::string_view a, std::string_view b) noexcept;
std::string to_lower(std::string_view s);
std::string to_upper(std::string_view s);
std::string_view trim(std::string_view s) noexcept;

// Well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view s) noexcept;
// RFC 3986 percent-encoding: only unreserved characters (A-Z a-z 0-9 - . _ ~) stay as they are,
// every other byte becomes %XX (upper-case hex).
std::string percent_encode(std::string_view text);
// The text without a leading UTF-8 byte-order mark (Windows editors write one).
std::string_view strip_bom(std::string_view s) noexcept;

}  // namespace xtsync::util
