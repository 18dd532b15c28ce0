#include "auth/client_secret.hpp"

#include <fstream>
#include <iterator>

#include "auth/token_endpoint.hpp"
#include "error.hpp"

namespace xtsync::auth {

ClientSecretCredential::ClientSecretCredential(AuthContext ctx, std::string secret)
    : ctx_(std::move(ctx)), secret_(std::move(secret)) {}

AccessToken ClientSecretCredential::get_token() {
  return request_token(ctx_, {{"client_id", ctx_.client_id},
                              {"scope", ctx_.cloud.default_scope()},
                              {"client_secret", secret_},
                              {"grant_type", "client_credentials"}});
}

std::string read_client_secret_file(const std::string& path, std::istream& in) {
  const std::string where = path == "-" ? std::string("standard input") : "'" + path + "'";
  std::string secret;
  if (path == "-") {
    secret.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  } else {
    std::ifstream file(path, std::ios::binary);
    if (!file) throw usage_error("cannot read the client secret from " + where);
    secret.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
    if (file.bad()) throw usage_error("cannot read the client secret from " + where);
  }
  if (!secret.empty() && secret.back() == '\n') secret.pop_back();
  if (!secret.empty() && secret.back() == '\r') secret.pop_back();
  if (secret.empty()) throw usage_error("the client secret from " + where + " is empty");
  return secret;
}

}  // namespace xtsync::auth
