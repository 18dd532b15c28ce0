// application/x-www-form-urlencoded bodies and query strings, as the token endpoints read them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace xtsync::emulator {

struct FormFields {
  std::vector<std::pair<std::string, std::string>> items;  // decoded, in order

  // The first value of a field; nullopt when absent.
  std::optional<std::string> get(std::string_view name) const;
  // The first value, or "" when absent.
  std::string value(std::string_view name) const { return get(name).value_or(std::string()); }
};

// Splits on '&' and '=', decodes %XX and '+' (a space). Malformed escapes are kept verbatim.
FormFields parse_form(std::string_view text);

// "%41b+c" → "Ab c".
std::string form_decode(std::string_view text);

// The path of a request target (origin-form or absolute URL) and its raw query ("" if none).
std::string_view target_path(std::string_view target) noexcept;
std::string_view target_query(std::string_view target) noexcept;

}  // namespace xtsync::emulator
