// Where the bearer token for Graph comes from.
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

namespace xtsync::auth {

class TokenSource {
 public:
  virtual ~TokenSource() = default;
  // A currently valid access token; throws xtsync::Error(auth) when none can be had.
  virtual std::string access_token() = 0;
  // Where the token came from, for messages and --debug (never the token itself).
  virtual std::string describe() const = 0;
};

// What the user gave on the command line and in the environment.
struct CredentialInputs {
  std::string access_token_file;                   // --access-token-file; "-" = stdin
  std::optional<std::string> access_token_env;     // XTSYNC_ACCESS_TOKEN
};

// Picks the first source that applies, in the contract's order. `stdin_stream` is read when a
// file name is "-". Throws Error(auth) with instructions when there is none, Error(usage) for an
// unreadable or empty token file.
std::unique_ptr<TokenSource> resolve_token_source(const CredentialInputs& inputs, std::istream& stdin_stream);

}  // namespace xtsync::auth
