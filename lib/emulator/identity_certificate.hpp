// A client certificate registered for a confidential client (--client-cert): its thumbprints and
// the public key that verifies the client's assertions.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace xtsync::emulator {

class ClientCertificate {
 public:
  // Reads the first certificate of a PEM file; throws std::runtime_error when it cannot.
  static ClientCertificate load(const std::string& pem_file);

  const std::string& sha1() const noexcept { return sha1_; }      // raw digest of the DER (x5t)
  const std::string& sha256() const noexcept { return sha256_; }  // raw digest of the DER (x5t#S256)
  bool is_rsa() const noexcept;

  // RS256 (RSASSA-PKCS1-v1_5) or PS256 (RSASSA-PSS, salt length = digest length) over SHA-256.
  bool verify(std::string_view alg, std::string_view signing_input, std::string_view signature) const;

 private:
  std::shared_ptr<void> key_;  // EVP_PKEY, shared so the certificate list can be copied
  std::string sha1_;
  std::string sha256_;
};

}  // namespace xtsync::emulator
