// An app registration's client secret: the OAuth client_credentials grant.
#pragma once

#include <iosfwd>
#include <string>

#include "auth/credential.hpp"

namespace xtsync::auth {

class ClientSecretCredential final : public Credential {
 public:
  ClientSecretCredential(AuthContext ctx, std::string secret);
  AccessToken get_token() override;
  std::string name() const override { return "client-secret"; }

 private:
  AuthContext ctx_;
  std::string secret_;
};

// Reads --client-secret-file: a file, or `in` when the name is "-". One trailing newline
// (\n or \r\n) is dropped; an unreadable or empty secret is a usage error naming the file.
std::string read_client_secret_file(const std::string& path, std::istream& in);

}  // namespace xtsync::auth
