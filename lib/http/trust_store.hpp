// Where the system's trusted CA certificates are. A binary with OpenSSL linked in carries the
// build machine's OpenSSL directory (Debian: /usr/lib/ssl), which other distributions do not
// have; so, like Go's crypto/x509 and rustls' openssl-probe, look in the places each
// distribution keeps its store. Pure apart from reading the file system, and `root` lets tests
// lay out a distribution in a temporary directory.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace xtsync::http {

struct TrustStore {
  enum class Kind { none, directory, file };
  Kind kind = Kind::none;
  std::string path;    // as OpenSSL should open it (under `root`)
  std::string origin;  // why this one, e.g. "SSL_CERT_DIR" or "Fedora, RHEL"
};

struct TrustStoreProbe {
  std::function<std::optional<std::string>(const std::string&)> getenv;  // SSL_CERT_DIR
  std::string openssl_dir;   // X509_get_default_cert_dir() of the linked OpenSSL
  std::string openssl_file;  // X509_get_default_cert_file()
  std::string root;          // prefix of every well-known path; empty in real use
};

// The first of, in order: $SSL_CERT_DIR; OpenSSL's own directory when it holds hashed
// certificate links (read lazily, one issuer at a time: the fast case); /etc/ssl/certs with
// such links (Debian, Ubuntu, Alpine, openSUSE); OpenSSL's own bundle file; the bundle files of
// Debian/Ubuntu, Fedora/RHEL, openSUSE, CentOS/RHEL 7+ and Alpine. Kind::none when there is none.
TrustStore find_trust_store(const TrustStoreProbe& probe);

// "directory /etc/ssl/certs (Debian, Ubuntu, Alpine, openSUSE)": for --debug.
std::string describe(const TrustStore& store);

}  // namespace xtsync::http
