// The credential behind `xtsync login`: the access token from the on-disk cache while it is
// fresh, else a new one redeemed with the cached (and then rotated) refresh token.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "auth/credential.hpp"

namespace xtsync::auth {

// True for a tenant that names no tenant in particular ("", "organizations", "common"):
// such a lookup uses the cloud's last login.
bool is_any_tenant(const std::string& tenant);

class TokenCache;
struct CacheLookup;
// The login a context means: the cloud's last one for any tenant, else the one for its tenant
// (an ID, or a domain name the login was made with) and public client.
CacheLookup find_cached_login(TokenCache& cache, const AuthContext& ctx);
// "TENANT (contoso.onmicrosoft.com, cloud global); …" for each usable login, empty when there
// is none, so whoever looked in the wrong tenant or cloud sees which logins exist.
std::string describe_cached_logins(TokenCache& cache);

class CachedLoginCredential final : public Credential {
 public:
  // A cached token is used until it is this close to expiry (Azure.Core and azure-core
  // Python refresh 5 minutes early too).
  static constexpr std::chrono::minutes k_refresh_margin{5};

  // Looks in TokenCache::default_directory(ctx.getenv) unless a directory is given.
  // Construction never fails or touches the disk; get_token does.
  explicit CachedLoginCredential(AuthContext ctx, std::string cache_directory = {});

  // Throws Error(auth) "not signed in" when there is no usable login for the context's cloud,
  // tenant (or the last login when none is given) and client, and when the refresh token is
  // refused (run `xtsync login` again).
  AccessToken get_token() override;
  std::string name() const override { return "device-code"; }
  // The cached access token was refused: redeem the refresh token on the next get_token().
  void invalidate() override { force_refresh_ = true; }

  // What the cache fixed on the way (e.g. permissions tightened), for the caller to print.
  std::vector<std::string> take_warnings();

 private:
  bool force_refresh_ = false;
  AuthContext ctx_;
  std::string directory_;
  std::vector<std::string> warnings_;
};

}  // namespace xtsync::auth
