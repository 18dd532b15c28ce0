// Choosing where the Graph token comes from: the first source that applies, in the contract's
// order, or the one `--auth` names.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "auth/credential.hpp"
#include "auth/token_source.hpp"

namespace xtsync::auth {

// What the command line adds to the environment (which AuthContext::getenv reads).
struct CredentialSettings {
  std::string method;                  // --auth; empty = the first source that applies
  std::string access_token_file;       // --access-token-file
  std::string client_secret_file;      // --client-secret-file
  std::string certificate_algorithm;   // --certificate-algorithm (PS256 or RS256); empty = PS256
};

struct ResolvedCredentials {
  std::unique_ptr<TokenSource> source;
  std::string method;  // the --auth name of the source
  std::string reason;  // why it was chosen, e.g. "AZURE_CLIENT_SECRET is set"
};

// The --auth names, in the order they are tried.
const std::vector<std::string>& auth_methods();

// Builds the token source. Nothing is requested yet (tokens are fetched on first use), but
// bad local inputs (an unreadable certificate, an empty secret file) fail here. Throws
// Error(auth) listing what was tried when no source applies, or what a forced one lacks.
ResolvedCredentials resolve_credentials(const CredentialSettings& settings, const AuthContext& ctx);

}  // namespace xtsync::auth
