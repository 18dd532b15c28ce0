// `auth status`: which credential source is used and what its token allows — read from the
// token's claims, never the token itself.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "auth/credential.hpp"
#include "auth/credential_chain.hpp"

namespace xtsync::api {

struct AuthStatus {
  std::string source;     // the --auth name, e.g. "client-secret"
  std::string reason;     // why it was chosen
  std::string cloud;      // global | usgov | usgov-dod | china
  std::string authority;  // login host
  std::string tenant;     // from the token (tid), else the configured tenant
  std::string client_id;  // from the token (appid/azp), else the configured client
  std::string audience;
  std::optional<std::chrono::system_clock::time_point> expires_on;
  std::vector<std::string> roles;   // application permissions
  std::vector<std::string> scopes;  // delegated permissions
};

// Gets a token from the chosen source (which proves it works) and reads its claims.
AuthStatus read_auth_status(auth::ResolvedCredentials& credentials, const auth::AuthContext& context);

}  // namespace xtsync::api
