#include "auth/token_source.hpp"

#include <istream>

#include "error.hpp"
#include "util/file.hpp"
#include "util/strings.hpp"
#include "util/redact.hpp"

namespace xtsync::auth {

namespace {

class StaticTokenSource final : public TokenSource {
 public:
  StaticTokenSource(std::string token, std::string origin)
      : token_(std::move(token)), origin_(std::move(origin)) {
    util::register_secret(token_);
  }
  std::string access_token() override { return token_; }
  std::string describe() const override { return origin_; }

 private:
  std::string token_;
  std::string origin_;
};

// A token must fit in one header line; anything else is a mistake (e.g. a JSON file).
// Far above any real token (a few KB), and below what fits in one HTTP header line.
constexpr std::size_t k_max_token_size = 16 * 1024;

void check_token(const std::string& token, const std::string& origin) {
  if (token.empty()) throw usage_error(origin + " is empty");
  if (token.size() > k_max_token_size) {
    throw usage_error(origin + " is " + std::to_string(token.size() / 1024) +
                      " KiB long, not an access token (those are a few KB)");
  }
  for (char c : token) {
    if (static_cast<unsigned char>(c) < 0x21 || c == 0x7f) {
      throw usage_error(origin +
                        " does not hold a single access token (it contains spaces or control characters)");
    }
  }
}

}  // namespace

CachingTokenSource::CachingTokenSource(std::unique_ptr<Credential> credential,
                                       std::function<std::chrono::system_clock::time_point()> now,
                                       std::chrono::seconds margin)
    : credential_(std::move(credential)), now_(std::move(now)), margin_(margin) {}

const AccessToken& CachingTokenSource::current() {
  if (!token_ || token_->expires_on - now_() < margin_) {
    token_ = credential_->get_token();
    util::register_secret(token_->value);
  }
  return *token_;
}

std::string CachingTokenSource::access_token() {
  return current().value;
}

std::unique_ptr<TokenSource> resolve_token_source(const CredentialInputs& inputs,
                                                  std::istream& stdin_stream) {
  if (!inputs.access_token_file.empty()) {
    std::string token;
    std::string origin;
    if (inputs.access_token_file == "-") {
      origin = "the access token on standard input";
      token = util::read_stream(stdin_stream, origin, util::k_max_secret_bytes);
    } else {
      origin = "access token file '" + inputs.access_token_file + "'";
      token = util::read_file(inputs.access_token_file, origin, {.max_bytes = util::k_max_secret_bytes});
    }
    token = std::string(util::trim(util::strip_bom(token)));
    check_token(token, origin);
    return std::make_unique<StaticTokenSource>(std::move(token), "--access-token-file");
  }
  // An empty variable counts as unset, as shells and CI systems often export empty values.
  if (inputs.access_token_env && !util::trim(*inputs.access_token_env).empty()) {
    std::string token(util::trim(*inputs.access_token_env));
    check_token(token, "XTSYNC_ACCESS_TOKEN");
    return std::make_unique<StaticTokenSource>(std::move(token), "XTSYNC_ACCESS_TOKEN");
  }
  Error error(ErrorKind::auth, "no credentials: xtsync needs a Microsoft Graph access token");
  error.hint =
      "set XTSYNC_ACCESS_TOKEN, or pass --access-token-file FILE (or - for standard input), "
      "e.g. XTSYNC_ACCESS_TOKEN=$(az account get-access-token --resource-type ms-graph --query accessToken "
      "-o tsv)";
  throw error;
}

}  // namespace xtsync::auth
