#include "emulator/issued_tokens.hpp"
#include "util/base64.hpp"

#include <algorithm>

#include "emulator/identity_jwt.hpp"
#include "util/strings.hpp"

namespace xtsync::emulator {

namespace {

bool has(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string_view without_trailing_slash(std::string_view text) {
  while (!text.empty() && text.back() == '/') text.remove_suffix(1);
  return text;
}

}  // namespace

bool IssuedToken::allows_read() const {
  return has(permissions, k_permission_read) || has(permissions, k_permission_write);
}

bool IssuedToken::allows_write() const {
  return has(permissions, k_permission_write);
}

const IssuedToken* IssuedTokens::find(const std::string& access_token) const {
  const auto it = access_.find(access_token);
  return it == access_.end() ? nullptr : &it->second;
}

std::string IssuedTokens::add_refresh(RefreshGrant grant) {
  // Opaque, like Entra ID's; the prefix only helps a human reading a request log.
  std::string token = "0.emu.";
  token += util::base64url_encode(random_bytes(48));
  refresh_[token] = std::move(grant);
  return token;
}

const RefreshGrant* IssuedTokens::find_refresh(const std::string& refresh_token) const {
  const auto it = refresh_.find(refresh_token);
  return it == refresh_.end() ? nullptr : &it->second;
}

bool is_graph_audience(std::string_view audience, std::string_view base_url) {
  const std::string_view aud = without_trailing_slash(audience);
  for (const std::string_view graph :
       {"https://graph.microsoft.com", "https://graph.microsoft.us", "https://dod-graph.microsoft.us",
        "https://microsoftgraph.chinacloudapi.cn", "00000003-0000-0000-c000-000000000000"}) {
    if (util::iequals(aud, graph)) return true;
  }
  return !base_url.empty() && util::iequals(aud, without_trailing_slash(base_url));
}

}  // namespace xtsync::emulator
