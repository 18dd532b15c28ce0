// Workload identity federation from a token file (AKS, other Kubernetes, anything that
// projects an OIDC token to disk): the file's JWT is the client assertion.
#pragma once

#include <string>

#include "auth/credential.hpp"

namespace xtsync::auth {

class WorkloadIdentityCredential final : public Credential {
 public:
  // `token_file` is AZURE_FEDERATED_TOKEN_FILE.
  WorkloadIdentityCredential(AuthContext ctx, std::string token_file);
  // Re-reads the file every time: the kubelet rotates it under long-running jobs.
  AccessToken get_token() override;
  std::string name() const override { return "workload-identity"; }

 private:
  AuthContext ctx_;
  std::string token_file_;
};

}  // namespace xtsync::auth
