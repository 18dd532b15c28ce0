// An Azure managed identity: the App Service / Functions / Container Apps identity endpoint
// when IDENTITY_ENDPOINT and IDENTITY_HEADER are set, else the VM instance metadata service.
#pragma once

#include <string>

#include "auth/credential.hpp"

namespace xtsync::auth {

class ManagedIdentityCredential final : public Credential {
 public:
  // Reads IDENTITY_ENDPOINT, IDENTITY_HEADER and IMDS_ENDPOINT through ctx.getenv; a non-empty
  // ctx.client_id selects a user-assigned identity. The IMDS default, http://169.254.169.254,
  // needs a transport that allows link-local http:// (TransportOptions::allow_metadata_http).
  explicit ManagedIdentityCredential(AuthContext ctx);
  AccessToken get_token() override;
  std::string name() const override { return "managed-identity"; }

  // The URL get_token() asks, for --debug and tests.
  std::string token_url() const;

 private:
  AuthContext ctx_;
  std::string identity_endpoint_;  // App Service style; empty for IMDS
  std::string identity_header_;
  std::string imds_endpoint_;
};

}  // namespace xtsync::auth
