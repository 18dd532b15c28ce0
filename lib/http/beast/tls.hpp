// TLS setup for the Beast transport: one client context per transport, one session per connection.
// Private to the xtsync_transport_beast target: only lib/http/beast and its own tests include it.
#pragma once

#include <boost/asio/ssl.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/system/error_code.hpp>
#include <functional>
#include <optional>
#include <string>

namespace xtsync::http::detail {

using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

struct TlsSetup {
  std::function<std::optional<std::string>(const std::string&)> getenv;  // null: the process's
  std::function<void(const std::string&)> debug_log;                     // which CA store, for --debug
};

// TLS 1.2 or later, peers verified against the system store plus ca_file (when not empty).
// An unusable ca_file throws Error(usage) naming it. Verification cannot be turned off.
boost::asio::ssl::context make_tls_context(const std::string& ca_file, const TlsSetup& setup = {});

// Sets SNI (for host names, not IP literals) and the host-name check on a new session.
void prepare_tls_session(TlsStream& stream, const std::string& host);

// Why a handshake failed: OpenSSL's certificate verdict when verification failed
// ("certificate verify failed: hostname mismatch"), else the error's own text.
std::string describe_handshake_failure(TlsStream& stream, const boost::system::error_code& ec);

// True when verification failed only because no trusted CA vouches for the chain: the case a
// private CA or an intercepting proxy causes, which --ca-file fixes.
bool issuer_untrusted(TlsStream& stream);

}  // namespace xtsync::http::detail
