#include "auth/workload_identity.hpp"

#include <fstream>
#include <iterator>

#include "auth/token_endpoint.hpp"
#include "error.hpp"
#include "util/strings.hpp"

namespace xtsync::auth {

WorkloadIdentityCredential::WorkloadIdentityCredential(AuthContext ctx, std::string token_file)
    : ctx_(std::move(ctx)), token_file_(std::move(token_file)) {}

AccessToken WorkloadIdentityCredential::get_token() {
  std::ifstream in(token_file_, std::ios::binary);
  if (!in) {
    throw Error(ErrorKind::auth,
                "cannot read the federated token file '" + token_file_ + "' (AZURE_FEDERATED_TOKEN_FILE)");
  }
  const std::string content{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const std::string assertion(util::trim(content));
  if (assertion.empty()) {
    throw Error(ErrorKind::auth, "the federated token file '" + token_file_ + "' (AZURE_FEDERATED_TOKEN_FILE) is empty");
  }
  return request_token_with_assertion(ctx_, assertion);
}

}  // namespace xtsync::auth
