#include "auth/client_secret.hpp"

#include "auth/token_endpoint.hpp"
#include "error.hpp"
#include "util/file.hpp"
#include "util/strings.hpp"
#include "util/redact.hpp"

namespace xtsync::auth {

ClientSecretCredential::ClientSecretCredential(AuthContext ctx, std::string secret)
    : ctx_(std::move(ctx)), secret_(std::move(secret)) {
  util::register_secret(secret_);
}

AccessToken ClientSecretCredential::get_token() {
  return request_token(ctx_, {{"client_id", ctx_.client_id},
                              {"scope", ctx_.cloud.default_scope()},
                              {"client_secret", secret_},
                              {"grant_type", "client_credentials"}});
}

std::string read_client_secret_file(const std::string& path, std::istream& in) {
  const std::string where = path == "-" ? std::string("standard input") : "'" + path + "'";
  const std::string label = "the client secret from " + where;
  std::string secret = path == "-" ? util::read_stream(in, label, util::k_max_secret_bytes)
                                   : util::read_file(path, label, {.max_bytes = util::k_max_secret_bytes});
  secret = std::string(util::strip_bom(secret));
  if (!secret.empty() && secret.back() == '\n') secret.pop_back();
  if (!secret.empty() && secret.back() == '\r') secret.pop_back();
  if (secret.empty()) throw usage_error("the client secret from " + where + " is empty");
  return secret;
}

}  // namespace xtsync::auth
