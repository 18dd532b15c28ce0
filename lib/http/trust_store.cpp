#include "http/trust_store.hpp"

#include <array>
#include <filesystem>
#include <string_view>

namespace xtsync::http {

namespace fs = std::filesystem;

namespace {

struct Known {
  std::string_view path;
  std::string_view origin;
};

// Bundle files, in Go's order (crypto/x509/root_linux.go).
constexpr std::array<Known, 6> k_bundle_files{{
    {"/etc/ssl/certs/ca-certificates.crt", "Debian, Ubuntu, Gentoo, Arch"},
    {"/etc/pki/tls/certs/ca-bundle.crt", "Fedora, RHEL"},
    {"/etc/ssl/ca-bundle.pem", "openSUSE"},
    {"/etc/pki/tls/cacert.pem", "OpenELEC"},
    {"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", "CentOS, RHEL 7 and later"},
    {"/etc/ssl/cert.pem", "Alpine"},
}};

constexpr Known k_hashed_directory{"/etc/ssl/certs", "Debian, Ubuntu, Alpine, openSUSE"};

// "9d520b32.0": the name c_rehash / update-ca-certificates gives a certificate link.
bool is_hash_name(const std::string& name) {
  if (name.size() < 10 || name[8] != '.') return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok = i < 8 ? ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) : i == 8 || (c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool has_hashed_links(const std::string& dir) {
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return false;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (is_hash_name(it->path().filename().string())) return true;
  }
  return false;
}

bool is_readable_file(const std::string& path) {
  std::error_code ec;
  return !path.empty() && fs::is_regular_file(path, ec) && fs::file_size(path, ec) > 0;
}

// root + path, built by appending (GCC 12 misreads `a + std::string(b)` as an overlapping copy).
std::string under(const std::string& root, std::string_view path) {
  std::string full = root;
  full.append(path);
  return full;
}

}  // namespace

TrustStore find_trust_store(const TrustStoreProbe& probe) {
  if (probe.getenv) {
    if (auto dir = probe.getenv("SSL_CERT_DIR"); dir && !dir->empty()) {
      return {TrustStore::Kind::directory, *dir, "SSL_CERT_DIR"};
    }
  }
  const std::string own_dir = under(probe.root, probe.openssl_dir);
  if (!probe.openssl_dir.empty() && has_hashed_links(own_dir)) {
    return {TrustStore::Kind::directory, own_dir, "OpenSSL's default directory"};
  }
  const std::string hashed = under(probe.root, k_hashed_directory.path);
  if (has_hashed_links(hashed)) return {TrustStore::Kind::directory, hashed, std::string(k_hashed_directory.origin)};
  const std::string own_file = under(probe.root, probe.openssl_file);
  if (!probe.openssl_file.empty() && is_readable_file(own_file)) {
    return {TrustStore::Kind::file, own_file, "OpenSSL's default file"};
  }
  for (const auto& known : k_bundle_files) {
    const std::string path = under(probe.root, known.path);
    if (is_readable_file(path)) return {TrustStore::Kind::file, path, std::string(known.origin)};
  }
  return {};
}

std::string describe(const TrustStore& store) {
  switch (store.kind) {
    case TrustStore::Kind::directory:
      return "directory " + store.path + " (" + store.origin + ")";
    case TrustStore::Kind::file:
      return "file " + store.path + " (" + store.origin + ")";
    case TrustStore::Kind::none:
      break;
  }
  return "none found";
}

}  // namespace xtsync::http
