#include "util/secrets.hpp"

#include <array>
#include <string>

#include "util/strings.hpp"

namespace xtsync::util {

bool is_secret_field(std::string_view name, FieldContext context) {
  static constexpr std::array<std::string_view, 5> k_exact = {"client_assertion", "assertion", "device_code",
                                                              "key", "private_key"};
  const std::string lower = to_lower(name);
  if (context == FieldContext::form && lower == "code") return true;
  for (auto n : k_exact) {
    if (lower == n) return true;
  }
  return lower.find("token") != std::string::npos || lower.find("secret") != std::string::npos ||
         lower.find("password") != std::string::npos;
}

bool is_secret_header(std::string_view name) {
  const std::string lower = to_lower(name);
  return lower == "authorization" || lower == "proxy-authorization" || lower == "cookie" ||
         lower == "set-cookie" || lower.find("token") != std::string::npos ||
         lower.find("secret") != std::string::npos || lower.find("api-key") != std::string::npos ||
         lower == "x-identity-header";
}

}  // namespace xtsync::util
