#include "auth/workload_identity.hpp"

#include "auth/token_endpoint.hpp"
#include "error.hpp"
#include "util/file.hpp"
#include "util/strings.hpp"
#include "util/redact.hpp"

namespace xtsync::auth {

WorkloadIdentityCredential::WorkloadIdentityCredential(AuthContext ctx, std::string token_file)
    : ctx_(std::move(ctx)), token_file_(std::move(token_file)) {}

AccessToken WorkloadIdentityCredential::get_token() {
  // Re-read for every token: the platform rotates the file. A broken one is a credential failure.
  const std::string content = util::read_file(
      token_file_, "the federated token file '" + token_file_ + "' (AZURE_FEDERATED_TOKEN_FILE)",
      {.max_bytes = util::k_max_secret_bytes, .error_kind = ErrorKind::auth});
  const std::string assertion(util::trim(util::strip_bom(content)));
  util::register_secret(assertion);
  if (assertion.empty()) {
    throw Error(ErrorKind::auth,
                "the federated token file '" + token_file_ + "' (AZURE_FEDERATED_TOKEN_FILE) is empty");
  }
  return request_token_with_assertion(ctx_, assertion);
}

}  // namespace xtsync::auth
