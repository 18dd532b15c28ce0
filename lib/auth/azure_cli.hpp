// Reusing an `az login`: asks the Azure CLI for a Graph token.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "auth/credential.hpp"

namespace xtsync::auth {

class AzureCliCredential final : public Credential {
 public:
  explicit AzureCliCredential(AuthContext ctx, std::chrono::seconds timeout = std::chrono::seconds(30));
  // Runs `az account get-access-token --resource-type ms-graph --output json [--tenant T]`,
  // found on ctx.getenv("PATH"), from /, with stdin from /dev/null; killed after the timeout.
  AccessToken get_token() override;
  std::string name() const override { return "azure-cli"; }

 private:
  AuthContext ctx_;
  std::chrono::seconds timeout_;
};

// Reads az's JSON: accessToken, and expires_on (epoch seconds) or else expiresOn (local time,
// "%Y-%m-%d %H:%M:%S.%f"). Throws Error(auth) without echoing the output.
AccessToken parse_azure_cli_token(std::string_view output);

// az's output with every "accessToken": "…" value and anything JWT-shaped replaced by [redacted].
std::string redact_azure_cli_output(std::string_view text);

}  // namespace xtsync::auth
