#include "http/beast/tls.hpp"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <boost/asio/ip/address.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "error.hpp"
#include "http/trust_store.hpp"

namespace xtsync::http::detail {

namespace ssl = boost::asio::ssl;

namespace {

// Fails early, with the OS's words, on the usual mistakes (typo, directory, permissions);
// OpenSSL's own message for those is less direct.
void check_readable(const std::string& path) {
  std::error_code fs_error;
  const auto status = std::filesystem::status(path, fs_error);
  if (!std::filesystem::exists(status)) throw usage_error("CA file '" + path + "' does not exist");
  if (std::filesystem::is_directory(status)) throw usage_error("CA file '" + path + "' is a directory");
  std::ifstream in(path);
  if (!in) throw usage_error("cannot read CA file '" + path + "': " + std::strerror(errno));
}

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  return !ec;
}

// host_name_verification rejects a chain OpenSSL accepted only when the leaf names another host.
// Recording that as the store error lets the handshake failure say "hostname mismatch" instead
// of a bare "certificate verify failed".
class VerifyHost {
 public:
  VerifyHost(const std::string& host, bool ip_literal) : check_(host), ip_literal_(ip_literal) {}

  bool operator()(bool preverified, ssl::verify_context& ctx) const {
    if (check_(preverified, ctx)) return true;
    if (preverified) {
      X509_STORE_CTX_set_error(ctx.native_handle(),
                               ip_literal_ ? X509_V_ERR_IP_ADDRESS_MISMATCH : X509_V_ERR_HOSTNAME_MISMATCH);
    }
    return false;
  }

 private:
  ssl::host_name_verification check_;
  bool ip_literal_;
};

}  // namespace

ssl::context make_tls_context(const std::string& ca_file, const TlsSetup& options) {
  // tls_client allows TLS 1.0 and up; tlsv12_client would pin 1.2 and so refuse TLS 1.3 servers.
  ssl::context ctx(ssl::context::tls_client);
  if (SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION) != 1) {
    throw Error(ErrorKind::failure, "cannot require TLS 1.2 or later from OpenSSL");
  }
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_compression);
  ctx.set_verify_mode(ssl::verify_peer);

  // The system store, wherever this distribution keeps it (http/trust_store.hpp). A hashed
  // directory is read lazily, one issuer at a time, so it is preferred: parsing a whole bundle
  // costs ~25 ms on every run. A host without a system store can still work through ca_file,
  // so a failure here is not fatal.
  TrustStoreProbe probe;
  probe.getenv = options.getenv ? options.getenv : [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    return value ? std::optional<std::string>(value) : std::nullopt;
  };
  probe.openssl_dir = X509_get_default_cert_dir();
  probe.openssl_file = X509_get_default_cert_file();
  const TrustStore store = find_trust_store(probe);
  boost::system::error_code ec;
  if (store.kind == TrustStore::Kind::directory) {
    ctx.add_verify_path(store.path, ec);
  } else if (store.kind == TrustStore::Kind::file) {
    ctx.load_verify_file(store.path, ec);
  }
  if (options.debug_log) {
    std::string line = "debug: trusted CAs: system store: " + describe(store);
    if (ec) line += " (unusable: " + ec.message() + ")";
    if (!ca_file.empty()) line += "; plus " + ca_file;
    options.debug_log(line);
  }

  if (!ca_file.empty()) {
    check_readable(ca_file);
    ctx.load_verify_file(ca_file, ec);
    if (ec) {
      throw usage_error("CA file '" + ca_file + "' has no PEM certificate OpenSSL can load (" + ec.message() +
                        ")");
    }
  }
  return ctx;
}

void prepare_tls_session(TlsStream& stream, const std::string& host) {
  const bool ip_literal = is_ip_literal(host);
  // RFC 6066 forbids IP literals in SNI.
  if (!ip_literal && SSL_set_tlsext_host_name(stream.native_handle(), host.c_str()) != 1) {
    throw Error(ErrorKind::network, "cannot set the TLS server name for " + host);
  }
  stream.set_verify_callback(VerifyHost(host, ip_literal));
}

std::string describe_handshake_failure(TlsStream& stream, const boost::system::error_code& ec) {
  const long verdict = SSL_get_verify_result(stream.native_handle());
  if (verdict != X509_V_OK) {
    return std::string("certificate verify failed: ") + X509_verify_cert_error_string(verdict);
  }
  return ec.message();
}

bool issuer_untrusted(TlsStream& stream) {
  switch (SSL_get_verify_result(stream.native_handle())) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
      return true;
    default:
      return false;
  }
}

}  // namespace xtsync::http::detail
