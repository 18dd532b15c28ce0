// A throwaway certificate authority for TLS tests, made fresh at test time with the OpenSSL API.
// Everything lives in a temporary directory that the destructor removes.
#pragma once

#include <chrono>
#include <string>

namespace xtsync::test {

enum class KeyType { ec_p256, rsa2048 };

struct CertificateFiles {
  std::string cert;  // PEM certificate
  std::string key;   // PEM private key (unencrypted PKCS#8)
};

struct TestCa {
  TestCa() = default;
  TestCa(TestCa&& other) noexcept;
  TestCa& operator=(TestCa&& other) noexcept;
  TestCa(const TestCa&) = delete;
  TestCa& operator=(const TestCa&) = delete;
  ~TestCa();

  std::string dir;
  std::string ca_cert, ca_key;  // the root: pass ca_cert as the client's CA file
  // Signed by the CA for DNS:localhost and IP:127.0.0.1.
  std::string server_cert, server_key;
  // Signed by the CA, but for DNS:wrong-host.test and IP:192.0.2.1 only.
  std::string wrong_host_cert, wrong_host_key;
  // Self-signed for localhost and 127.0.0.1: no client trusts it.
  std::string untrusted_cert, untrusted_key;
  // Signed by the CA for localhost and 127.0.0.1, but expired yesterday.
  std::string expired_cert, expired_key;

  // Issues another certificate signed by this CA, written as <dir>/<name>.pem and <name>.key.
  // subject_alt_names uses OpenSSL's syntax, e.g. "DNS:graph.test,IP:127.0.0.1"; validity is
  // relative to now (negative offsets are in the past).
  CertificateFiles issue(const std::string& name, const std::string& subject_alt_names,
                         std::chrono::seconds not_before = -std::chrono::hours(1),
                         std::chrono::seconds not_after = std::chrono::hours(24),
                         KeyType type = KeyType::ec_p256) const;
};

// "9d520b32.0": the name OpenSSL looks a certificate up by in a hashed CA directory.
std::string subject_hash_name(const std::string& cert_path);

// Creates the directory, the CA and all the certificates above; throws std::runtime_error.
TestCa make_test_ca();

}  // namespace xtsync::test
