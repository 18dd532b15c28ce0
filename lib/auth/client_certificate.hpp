// An app registration's certificate: the client_credentials grant with a client assertion
// (a JWT signed with the certificate's private key), as Microsoft Entra ID documents it.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "auth/credential.hpp"

namespace xtsync::auth {

enum class AssertionAlgorithm {
  ps256,  // RSA-PSS with SHA-256, header x5t#S256: the current documented form
  rs256,  // RSASSA-PKCS1-v1_5 with SHA-256, header x5t (SHA-1): what older MSAL versions send
};

// "PS256" / "RS256" (any case); throws Error(usage) for anything else.
AssertionAlgorithm parse_assertion_algorithm(const std::string& name);

struct CertificateOptions {
  std::string path;                     // PEM (certificate + key, any order, maybe a chain) or PKCS#12
  std::optional<std::string> password;  // for an encrypted PEM key or the PKCS#12 file
  AssertionAlgorithm algorithm = AssertionAlgorithm::ps256;
  bool send_chain = false;              // add x5c (subject name + issuer authentication)
};

// AZURE_CLIENT_CERTIFICATE_PATH, AZURE_CLIENT_CERTIFICATE_PASSWORD and
// AZURE_CLIENT_SEND_CERTIFICATE_CHAIN ("true" or "1") from ctx.getenv.
CertificateOptions certificate_options_from_env(const AuthContext& ctx);

class ClientCertificateCredential final : public Credential {
 public:
  // Loads and checks the file now, so a bad file is a usage error before anything is sent:
  // unreadable, wrong password, no certificate, no key, a key that matches no certificate,
  // or a key that is not RSA (Entra ID accepts only RSA certificates).
  ClientCertificateCredential(AuthContext ctx, const CertificateOptions& options);
  ~ClientCertificateCredential() override;
  ClientCertificateCredential(const ClientCertificateCredential&) = delete;
  ClientCertificateCredential& operator=(const ClientCertificateCredential&) = delete;

  AccessToken get_token() override;
  std::string name() const override { return "client-certificate"; }

  // A freshly signed client assertion; get_token() makes a new one for every request.
  std::string make_assertion() const;

 private:
  struct Loaded;  // OpenSSL handles stay out of this header
  AuthContext ctx_;
  AssertionAlgorithm algorithm_;
  bool send_chain_;
  std::unique_ptr<Loaded> loaded_;
};

}  // namespace xtsync::auth
