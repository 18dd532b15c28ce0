// Finding the system's CA store on each distribution, laid out under a temporary root.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "http/trust_store.hpp"
#include "support/process.hpp"

using namespace xtsync;
namespace fs = std::filesystem;

namespace {

void put(const std::string& path, const std::string& text = "-----BEGIN CERTIFICATE-----\n") {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path) << text;
}

http::TrustStoreProbe probe_under(const std::string& root) {
  http::TrustStoreProbe probe;
  probe.root = root;
  probe.openssl_dir = "/usr/lib/ssl/certs";  // Debian's OpenSSL, as a static binary carries it
  probe.openssl_file = "/usr/lib/ssl/cert.pem";
  probe.getenv = [](const std::string&) { return std::optional<std::string>(); };
  return probe;
}

}  // namespace

TEST_SUITE_BEGIN("http");

TEST_CASE("http::find_trust_store finds each distribution's store") {
  testing::TempDir root;
  const auto probe = probe_under(root.path());
  struct Case {
    const char* file;
    const char* origin;
  };
  for (const Case c : {Case{"/etc/ssl/certs/ca-certificates.crt", "Debian, Ubuntu, Gentoo, Arch"},
                       Case{"/etc/pki/tls/certs/ca-bundle.crt", "Fedora, RHEL"},
                       Case{"/etc/ssl/ca-bundle.pem", "openSUSE"},
                       Case{"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", "CentOS, RHEL 7 and later"},
                       Case{"/etc/ssl/cert.pem", "Alpine"}}) {
    fs::remove_all(root.path() + "/etc");
    put(root.path() + c.file);
    const auto store = http::find_trust_store(probe);
    CAPTURE(c.file);
    CHECK(store.kind == http::TrustStore::Kind::file);
    CHECK(store.path == root.path() + c.file);
    CHECK(store.origin == c.origin);
  }
}

TEST_CASE("http::find_trust_store prefers hashed directories, and SSL_CERT_DIR above all") {
  testing::TempDir root;
  auto probe = probe_under(root.path());
  put(root.path() + "/etc/ssl/certs/ca-certificates.crt");
  put(root.path() + "/etc/ssl/cert.pem");
  // A bundle only: the bundle.
  CHECK(http::find_trust_store(probe).path == root.path() + "/etc/ssl/certs/ca-certificates.crt");
  // With hash links beside it: the directory, read lazily.
  put(root.path() + "/etc/ssl/certs/9d520b32.0");
  auto store = http::find_trust_store(probe);
  CHECK(store.kind == http::TrustStore::Kind::directory);
  CHECK(store.path == root.path() + "/etc/ssl/certs");
  CHECK(http::describe(store) == "directory " + root.path() + "/etc/ssl/certs (Debian, Ubuntu, Alpine, openSUSE)");
  // OpenSSL's own directory, when it exists and is hashed, comes first.
  put(root.path() + "/usr/lib/ssl/certs/0a1b2c3d.1");
  CHECK(http::find_trust_store(probe).origin == "OpenSSL's default directory");
  // Names that only look like hash links do not make a directory hashed.
  fs::remove_all(root.path() + "/usr");
  fs::remove(root.path() + "/etc/ssl/certs/9d520b32.0");
  put(root.path() + "/etc/ssl/certs/README.0");
  put(root.path() + "/etc/ssl/certs/9d520b3g.0");
  CHECK(http::find_trust_store(probe).kind == http::TrustStore::Kind::file);
  // SSL_CERT_DIR wins, as OpenSSL's own lookup would have it.
  probe.getenv = [](const std::string& name) {
    return name == "SSL_CERT_DIR" ? std::optional<std::string>("/custom/certs") : std::nullopt;
  };
  store = http::find_trust_store(probe);
  CHECK(store.kind == http::TrustStore::Kind::directory);
  CHECK(store.path == "/custom/certs");
  CHECK(store.origin == "SSL_CERT_DIR");
}

TEST_CASE("http::find_trust_store: nothing there, nothing found") {
  testing::TempDir root;
  put(root.path() + "/etc/ssl/cert.pem", "");  // empty files do not count
  const auto store = http::find_trust_store(probe_under(root.path()));
  CHECK(store.kind == http::TrustStore::Kind::none);
  CHECK(http::describe(store) == "none found");
}

TEST_SUITE_END();
