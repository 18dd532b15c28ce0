// The access and refresh tokens the emulated identity platform has issued. Graph looks bearer
// tokens up here; the token endpoint redeems (and rotates) refresh tokens here.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/time_format.hpp"

namespace xtsync::emulator {

inline constexpr std::string_view k_permission_read = "Policy.Read.All";
inline constexpr std::string_view k_permission_write = "Policy.ReadWrite.CrossTenantAccess";

struct IssuedToken {
  std::string audience;  // the resource it was issued for
  Clock::time_point expires;
  bool delegated = false;
  std::vector<std::string> permissions;  // app roles, or delegated scopes (scp)
  std::string client_id;

  bool allows_read() const;
  bool allows_write() const;
};

// What a refresh token can be redeemed for.
struct RefreshGrant {
  std::string client_id;
  std::string tenant_id;
  std::string scope;  // the scope string of the original request
  Clock::time_point last_used;
};

// Refresh tokens unused for this long are rejected (AADSTS700082), as in Entra ID.
inline constexpr std::chrono::hours k_refresh_inactivity{24 * 90};

class IssuedTokens {
 public:
  void add(std::string access_token, IssuedToken info) { access_[std::move(access_token)] = std::move(info); }
  // null when this emulator never issued the token.
  const IssuedToken* find(const std::string& access_token) const;
  std::size_t size() const noexcept { return access_.size(); }

  // Stores the grant under a new opaque refresh token and returns that token.
  std::string add_refresh(RefreshGrant grant);
  // null when unknown, or already redeemed: a refresh token can be redeemed once (rotation).
  const RefreshGrant* find_refresh(const std::string& refresh_token) const;
  void erase_refresh(const std::string& refresh_token) { refresh_.erase(refresh_token); }

 private:
  std::map<std::string, IssuedToken, std::less<>> access_;
  std::map<std::string, RefreshGrant, std::less<>> refresh_;
};

// Whether a token's audience names Microsoft Graph: a national cloud's Graph root, Graph's app id
// 00000003-0000-0000-c000-000000000000, or the emulator's own base URL (trailing '/' ignored).
bool is_graph_audience(std::string_view audience, std::string_view base_url);

}  // namespace xtsync::emulator
