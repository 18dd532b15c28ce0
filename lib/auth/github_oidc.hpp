// GitHub Actions OIDC: the job's ID token, fetched for the cloud's federation audience,
// is the client assertion of the app's federated credential.
#pragma once

#include <string>

#include "auth/credential.hpp"

namespace xtsync::auth {

class GitHubOidcCredential final : public Credential {
 public:
  // ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN.
  GitHubOidcCredential(AuthContext ctx, std::string request_url, std::string request_token);
  // Fetches a new ID token every time: GitHub's are short-lived.
  AccessToken get_token() override;
  std::string name() const override { return "github-oidc"; }

  // The GitHub ID token for ctx.cloud.federation_audience; throws Error(auth) naming GitHub.
  std::string fetch_id_token() const;

 private:
  AuthContext ctx_;
  std::string request_url_;
  std::string request_token_;
};

}  // namespace xtsync::auth
