// Boost.JSON 1.81 keeps every number as int64, uint64 or double; it has no mode that keeps a
// number's text. So a number that cannot be held exactly would be written back changed
// (123456789012345678901234567890 → 1.2345678901234568E29, -0 → 0). xtsync interprets no
// numbers in these resources, so rather than pass such a value on altered, it refuses it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace xtsync::util {

// The first number in the JSON text that would not survive a read and write unchanged in
// value: more than 15 significant digits that are not an exact 64-bit integer, a value outside
// double's range, or a negative zero. nullopt when there is none (or the text is not JSON:
// the caller's parser reports that).
std::optional<std::string> inexact_number(std::string_view json_text);

}  // namespace xtsync::util
