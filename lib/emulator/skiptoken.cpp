#include "emulator/skiptoken.hpp"
#include "util/base64.hpp"

#include "util/guid.hpp"

namespace xtsync::emulator {

namespace {

constexpr std::string_view k_prefix = "xts1:";  // versioned, so a token from a changed format is rejected

}  // namespace

std::string encode_skiptoken(const PageKey& key) {
  return util::base64url_encode(std::string(k_prefix) + key.deleted_date_time + "|" + key.tenant_id);
}

std::optional<PageKey> decode_skiptoken(std::string_view token) {
  const auto text = util::base64url_decode(token);
  if (!text || !text->starts_with(k_prefix)) return std::nullopt;
  const std::string_view body = std::string_view(*text).substr(k_prefix.size());
  const auto bar = body.rfind('|');
  if (bar == std::string_view::npos) return std::nullopt;
  auto tenant = util::normalize_guid(body.substr(bar + 1));
  if (!tenant) return std::nullopt;
  return PageKey{std::string(body.substr(0, bar)), std::move(*tenant)};
}

}  // namespace xtsync::emulator
