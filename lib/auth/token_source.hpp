// Where the bearer token for Graph comes from.
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "auth/credential.hpp"
#include "http/token_source.hpp"

namespace xtsync::auth {

// The interface lives with the request path, which adds the bearer token to each attempt.
using TokenSource = http::TokenSource;

// One token per process, reused across requests and fetched again from the credential when it
// expires within `margin` (Graph tokens live about an hour; five minutes keeps a long request
// from starting with a token that dies halfway).
class CachingTokenSource final : public TokenSource {
 public:
  CachingTokenSource(std::unique_ptr<Credential> credential,
                     std::function<std::chrono::system_clock::time_point()> now,
                     std::chrono::seconds margin = std::chrono::minutes(5));
  std::string access_token() override;
  std::string describe() const override { return credential_->name(); }
  void invalidate() override {
    token_.reset();
    credential_->invalidate();
  }
  bool can_refresh() const override { return true; }
  // The token currently held (for `auth status`), fetching one if needed.
  const AccessToken& current();

 private:
  std::unique_ptr<Credential> credential_;
  std::function<std::chrono::system_clock::time_point()> now_;
  std::chrono::seconds margin_;
  std::optional<AccessToken> token_;
};

// What the user gave on the command line and in the environment.
struct CredentialInputs {
  std::string access_token_file;                // --access-token-file; "-" = stdin
  std::optional<std::string> access_token_env;  // XTSYNC_ACCESS_TOKEN
};

// Picks the first source that applies, in the contract's order. `stdin_stream` is read when a
// file name is "-". Throws Error(auth) with instructions when there is none, Error(usage) for an
// unreadable or empty token file.
std::unique_ptr<TokenSource> resolve_token_source(const CredentialInputs& inputs, std::istream& stdin_stream);

}  // namespace xtsync::auth
