#include "auth/jwt.hpp"

#include <boost/json/parse.hpp>

#include "util/base64.hpp"

namespace xtsync::auth {

namespace {

bool is_base64url_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

}  // namespace

std::optional<boost::json::object> decode_claims(std::string_view jwt) {
  const auto first = jwt.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = jwt.find('.', first + 1);
  if (second == std::string_view::npos || jwt.find('.', second + 1) != std::string_view::npos)
    return std::nullopt;
  const auto payload = util::base64url_decode(jwt.substr(first + 1, second - first - 1));
  if (!payload) return std::nullopt;
  boost::system::error_code ec;
  auto value = boost::json::parse(*payload, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.get_object());
}

std::string redact_jwts(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.substr(i, 3) == "eyJ") {
      std::size_t end = i + 3;
      while (end < text.size() && (is_base64url_char(text[end]) || text[end] == '.')) ++end;
      out += "[redacted]";
      i = end;
    } else {
      out += text[i++];
    }
  }
  return out;
}

}  // namespace xtsync::auth
