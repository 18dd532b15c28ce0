// The real Transport. Every step is an Asio operation under a deadline (Beast's blocking calls
// have no timeouts), run as a coroutine on a private io_context that send() drives to completion.
#include "http/beast/beast_transport.hpp"

#include "util/file.hpp"
#include "util/interrupt.hpp"

#include <fmt/core.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <exception>
#include <optional>

#include "error.hpp"
#include "http/beast/tls.hpp"
#include "http/beast/wire.hpp"
#include "http/proxy.hpp"
#include "http/url.hpp"

namespace xtsync::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace wire = boost::beast::http;
using boost::system::error_code;
using tcp = asio::ip::tcp;

constexpr std::size_t k_header_limit = 64 * 1024;

Error network_error(const std::string& message) {
  return Error(ErrorKind::network, message);
}

std::string seconds_text(std::chrono::milliseconds duration) {
  return fmt::format("{:g} s", static_cast<double>(duration.count()) / 1000.0);
}

// The ways a peer ends a connection (TLS adds truncation: TCP closed without close_notify).
bool is_disconnect(const error_code& ec) {
  return ec == wire::error::end_of_stream || ec == wire::error::partial_message || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::connection_aborted ||
         ec == asio::error::broken_pipe || ec == asio::ssl::error::stream_truncated;
}

bool is_http_error(const error_code& ec) {
  return ec.category() == wire::make_error_code(wire::error::bad_version).category();
}

// Which connection a request may reuse: the origin, and the proxy in between if any (a tunnel
// leads to one origin only).
std::string route_of(const Url& url, const std::optional<Proxy>& proxy) {
  std::string route = url.origin();
  if (proxy) {
    route += " via ";
    route += proxy->authority();
  }
  return route;
}

// "the proxy at host:port", for messages; never with the credentials.
std::string proxy_name(const Proxy& proxy) {
  std::string name = "the proxy at ";
  name += proxy.authority();
  return name;
}

// One open connection, plus any bytes read past the last response.
struct Connection {
  std::string route;
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<detail::TlsStream> tls;
  beast::flat_buffer buffer;

  beast::tcp_stream& tcp() { return tls ? beast::get_lowest_layer(*tls) : *plain; }

  // A kept-alive connection is reused only if the server has neither closed it nor sent anything
  // since the last response. Catching an idle-timeout close here, before sending, keeps the
  // common stale-connection case safe even for requests that must not be sent twice.
  bool idle_and_open() {
    auto& socket = tcp().socket();
    if (buffer.size() != 0 || !socket.is_open()) return false;
    error_code ec;
    socket.non_blocking(true, ec);
    if (ec) return false;
    char byte = 0;
    socket.receive(asio::buffer(&byte, 1), tcp::socket::message_peek, ec);
    error_code ignored;
    socket.non_blocking(false, ignored);
    return ec == asio::error::would_block;
  }
};

// One request on one connection. No response means the reused connection was found closed before
// any byte of a response arrived, and the request may be sent again on a new one.
struct Attempt {
  std::optional<Response> response;
  bool keep_alive = false;
};

// Not thread-safe: one send() at a time, as the Transport contract implies.
class BeastTransport final : public Transport {
 public:
  explicit BeastTransport(const TransportOptions& options) : options_(options) {}

  Response send(const Request& request) override;
  void reset_connection() override { connection_.reset(); }

 private:
  asio::awaitable<Response> perform(const Url& url, const std::optional<Proxy>& proxy,
                                    const detail::WireRequest& request);
  asio::awaitable<std::unique_ptr<Connection>> open(const Url& url, const std::optional<Proxy>& proxy);
  asio::awaitable<tcp::resolver::results_type> resolve(const std::string& host, std::uint16_t port,
                                                       const std::string& what);
  asio::awaitable<void> tunnel(beast::tcp_stream& stream, const Url& url, const Proxy& proxy);
  // No response in the result: a reused connection was found closed before any byte of one.
  asio::awaitable<Attempt> attempt(Connection& connection, const Url& url, const detail::WireRequest& request,
                                   bool reused);
  template <class Stream>
  asio::awaitable<Attempt> exchange(Stream& stream, Connection& connection, const Url& url,
                                    const detail::WireRequest& request, bool reused);
  std::string describe_read_failure(const error_code& ec, bool got_some, const Url& url) const;

  TransportOptions options_;
  asio::io_context io_;
  // Built on the first https:// connection, before its TCP connect (so a bad CA file is still
  // reported before anything is sent): loading CA bundles costs tens of milliseconds that
  // loopback http:// (the emulator) never needs — and SSL_CERT_FILE is often set to the
  // whole system bundle.
  std::optional<asio::ssl::context> tls_;
  std::unique_ptr<Connection> connection_;  // after io_ and tls_: must be destroyed before them
};

Response BeastTransport::send(const Request& request) {
  const Url url = parse_url(request.url);
  if (!url.tls() && !is_loopback_host(url.host) &&
      !(options_.allow_metadata_http && is_metadata_service_host(url.host))) {
    throw usage_error("refusing plain http:// to " + url.host + "; only loopback hosts may skip TLS");
  }
  std::optional<Proxy> proxy;
  if (options_.proxy) proxy = options_.proxy(url);
  detail::WireRequest wire_request = detail::to_wire_request(request, url);
  if (proxy && !url.tls()) {
    // RFC 9112 §3.2.2: a proxy is sent the absolute URL.
    std::string absolute = url.scheme;
    absolute += "://";
    absolute += detail::authority(url);
    absolute += url.target;
    wire_request.target(absolute);
    if (proxy->has_credentials()) wire_request.set(wire::field::proxy_authorization, proxy->authorization());
  }

  std::exception_ptr failure;
  std::optional<Response> response;
  bool done = false;
  asio::co_spawn(io_, perform(url, proxy, wire_request), [&](std::exception_ptr error, Response result) {
    failure = error;
    if (!error) response = std::move(result);
    done = true;
  });
  io_.restart();
  // Run in short slices so Ctrl-C (a flag raised by the signal handler) stops a request within
  // a fraction of a second instead of waiting for its deadline.
  std::optional<std::chrono::steady_clock::time_point> interrupted_at;
  while (!done) {
    io_.run_for(std::chrono::milliseconds(100));
    if (!done && util::interrupt_requested()) {
      const auto now = std::chrono::steady_clock::now();
      if (!interrupted_at) interrupted_at = now;
      if (now - *interrupted_at >= options_.interrupt_grace) {
        io_.stop();
        throw Error(ErrorKind::interrupted, "interrupted while waiting for " + url.host);
      }
    }
  }
  if (failure) std::rethrow_exception(failure);
  return std::move(*response);
}

asio::awaitable<Response> BeastTransport::perform(const Url& url, const std::optional<Proxy>& proxy,
                                                  const detail::WireRequest& request) {
  if (connection_ && (connection_->route != route_of(url, proxy) || !connection_->idle_and_open())) {
    connection_.reset();
  }
  try {
    const bool reused = connection_ != nullptr;
    if (!reused) {
      try {
        connection_ = co_await open(url, proxy);
      } catch (Error& e) {
        e.delivery = Error::Delivery::not_sent;  // DNS, connect, proxy, TLS: nothing went out
        throw;
      }
    }
    Attempt result = co_await attempt(*connection_, url, request, reused);
    if (!result.response) {
      // A server may close an idle connection just as the request goes out; it may also have
      // acted and died. The transport cannot tell, so it does not resend: the request path
      // decides, visibly (--debug, Retry-Attempt) and within --max-retries.
      Error e = network_error("the kept-alive connection to " + detail::authority(url) +
                              " was closed before a response arrived");
      e.delivery = Error::Delivery::stale_connection;
      throw e;
    }
    if (!result.keep_alive) connection_.reset();
    co_return std::move(*result.response);
  } catch (...) {
    // Whatever failed, the connection's state is unknown: never reuse it.
    connection_.reset();
    throw;
  }
}

asio::awaitable<tcp::resolver::results_type> BeastTransport::resolve(const std::string& host,
                                                                     std::uint16_t port,
                                                                     const std::string& what) {
  // getaddrinfo cannot be interrupted, so the lookup is bounded by the system resolver's own
  // timeouts; its time still counts against connect_timeout.
  tcp::resolver resolver(co_await asio::this_coro::executor);
  error_code ec;
  auto results = co_await resolver.async_resolve(host, std::to_string(port),
                                                 asio::redirect_error(asio::use_awaitable, ec));
  if (ec) throw network_error("cannot resolve " + what + ": " + ec.message());
  co_return results;
}

asio::awaitable<std::unique_ptr<Connection>> BeastTransport::open(const Url& url,
                                                                  const std::optional<Proxy>& proxy) {
  const auto deadline = std::chrono::steady_clock::now() + options_.connect_timeout;
  // What the TCP connection goes to: the origin, or the proxy.
  const std::string where = proxy ? proxy_name(*proxy) : detail::authority(url);
  auto executor = co_await asio::this_coro::executor;

  auto connection = std::make_unique<Connection>();
  connection->route = route_of(url, proxy);
  if (url.tls()) {
    if (!tls_) tls_.emplace(detail::make_tls_context(options_.ca_file, {options_.getenv, options_.debug_log}));
    connection->tls = std::make_unique<detail::TlsStream>(executor, *tls_);
  } else {
    connection->plain = std::make_unique<beast::tcp_stream>(executor);
  }

  tcp::resolver::results_type endpoints;
  if (proxy) {
    endpoints =
        co_await resolve(proxy->host, proxy->port, std::string("the proxy host ").append(proxy->host));
  } else {
    endpoints = co_await resolve(url.host, url.port, url.host);
  }
  error_code ec;
  connection->tcp().expires_at(deadline);
  co_await connection->tcp().async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec == beast::error::timeout) {
    throw network_error("timed out after " + seconds_text(options_.connect_timeout) + " connecting to " +
                        where);
  }
  if (ec) throw network_error("cannot connect to " + where + ": " + ec.message());

  if (connection->tls) {
    // Through a proxy, TLS runs inside the tunnel and is verified against the origin: the SNI
    // and the certificate's name are the origin's, never the proxy's.
    if (proxy) co_await tunnel(connection->tcp(), url, *proxy);
    const std::string peer =
        proxy ? detail::authority(url) + " (through the proxy at " + proxy->authority() + ")" : where;
    detail::prepare_tls_session(*connection->tls, url.host);
    co_await connection->tls->async_handshake(asio::ssl::stream_base::client,
                                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec == beast::error::timeout) {
      throw network_error("timed out after " + seconds_text(options_.connect_timeout) +
                          " during the TLS handshake with " + peer);
    }
    if (ec) {
      Error error = network_error("TLS handshake with " + peer +
                                  " failed: " + detail::describe_handshake_failure(*connection->tls, ec));
      if (detail::issuer_untrusted(*connection->tls)) {
        error.hint =
            "if a private CA or an intercepting proxy issued the server's certificate, pass that CA "
            "with --ca-file";
      }
      throw error;
    }
  }
  co_return connection;
}

// RFC 9110 §9.3.6: asks the proxy for a tunnel to the origin, under the connect deadline already
// set on the stream. On return the stream carries raw bytes to and from the origin.
asio::awaitable<void> BeastTransport::tunnel(beast::tcp_stream& stream, const Url& url, const Proxy& proxy) {
  const std::string target = detail::authority(url);
  const std::string where = proxy_name(proxy);
  const auto timed_out = [&] {
    return network_error("timed out after " + seconds_text(options_.connect_timeout) + " waiting for " +
                         where + " to open a tunnel to " + target);
  };

  wire::request<wire::empty_body> request{wire::verb::connect, target, 11};
  request.set(wire::field::host, target);
  if (proxy.has_credentials()) request.set(wire::field::proxy_authorization, proxy.authorization());
  error_code ec;
  co_await wire::async_write(stream, request, asio::redirect_error(asio::use_awaitable, ec));
  if (ec == beast::error::timeout) throw timed_out();
  if (ec) throw network_error("cannot send CONNECT to " + where + ": " + ec.message());

  // Only the header: a 2xx reply to CONNECT has no body, whatever its fields say, and a
  // refusal's body is not needed. The connection is dropped on any refusal.
  beast::flat_buffer buffer;
  wire::response_parser<wire::empty_body> parser;
  parser.header_limit(k_header_limit);
  co_await wire::async_read_header(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  if (ec == beast::error::timeout) throw timed_out();
  if (ec && is_disconnect(ec)) {
    throw network_error(where + " closed the connection instead of answering CONNECT " + target);
  }
  if (ec)
    throw network_error("malformed reply from " + where + " to CONNECT " + target + ": " + ec.message());

  const unsigned status = parser.get().result_int();
  if (status == 407) {
    if (proxy.has_credentials()) {
      throw network_error(where +
                          " rejected the credentials in the proxy URL (407); check the user name and "
                          "password in HTTPS_PROXY");
    }
    throw network_error(where +
                        " requires authentication (407); put credentials in HTTPS_PROXY as "
                        "http://user:password@host:port");
  }
  if (status < 200 || status > 299) {
    std::string reason(parser.get().reason());
    throw network_error(where + " refused to open a tunnel to " + target + ": " + std::to_string(status) +
                        (reason.empty() ? "" : " ") + reason);
  }
  // The origin speaks only after the client's TLS hello, so anything here came from the proxy
  // and would corrupt the handshake ("wrong version number").
  if (buffer.size() != 0) {
    throw network_error(where + " sent " + std::to_string(buffer.size()) +
                        " unexpected bytes after accepting the tunnel to " + target);
  }
}

asio::awaitable<Attempt> BeastTransport::attempt(Connection& connection, const Url& url,
                                                 const detail::WireRequest& request, bool reused) {
  if (connection.tls) co_return co_await exchange(*connection.tls, connection, url, request, reused);
  co_return co_await exchange(*connection.plain, connection, url, request, reused);
}

template <class Stream>
asio::awaitable<Attempt> BeastTransport::exchange(Stream& stream, Connection& connection, const Url& url,
                                                  const detail::WireRequest& request, bool reused) {
  // One deadline for the write and the whole response: the expiry is a point in time that every
  // later read checks, so a server dripping bytes cannot stretch it.
  connection.tcp().expires_after(options_.request_timeout);

  error_code ec;
  co_await wire::async_write(stream, request, asio::redirect_error(asio::use_awaitable, ec));
  if (ec == beast::error::timeout) {
    throw network_error("timed out after " + seconds_text(options_.request_timeout) +
                        " sending the request to " + detail::authority(url));
  }
  // A server may answer before it has read the whole request (413 for a body too large) and
  // close: the answer, when it arrived, is worth more than the broken write.
  const error_code write_failure = ec;
  if (ec && !is_disconnect(ec)) {
    throw network_error("cannot send the request to " + detail::authority(url) + ": " + ec.message());
  }

  for (bool first = true;; first = false) {
    detail::ResponseParser parser;
    parser.header_limit(k_header_limit);
    parser.body_limit(options_.max_body_size);
    if (request.method() == wire::verb::head) parser.skip(true);

    co_await wire::async_read(stream, connection.buffer, parser,
                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec && first && !parser.got_some() && is_disconnect(ec)) {
      if (reused) co_return Attempt{};  // the kept-alive connection was closed under us
      if (write_failure) {
        throw network_error("cannot send the request to " + detail::authority(url) + ": " + write_failure.message());
      }
    }
    if (ec) throw network_error(describe_read_failure(ec, parser.got_some(), url));

    // Interim 1xx responses precede the real one; 101 switches protocols and ends HTTP here.
    const int status = parser.response().status;
    if (status >= 100 && status < 200 && status != 101) continue;

    Attempt result;
    result.keep_alive = parser.keep_alive() && status != 101 && !write_failure;
    result.response = std::move(parser.response());
    co_return result;
  }
}

std::string BeastTransport::describe_read_failure(const error_code& ec, bool got_some, const Url& url) const {
  const std::string where = detail::authority(url);
  if (ec == beast::error::timeout) {
    return "timed out after " + seconds_text(options_.request_timeout) + " waiting for a response from " +
           where;
  }
  if (ec == wire::error::header_limit)
    return "the response headers from " + where + " exceed " + util::size_text(k_header_limit);
  if (ec == wire::error::body_limit) {
    return "the response body from " + where + " exceeds " + util::size_text(options_.max_body_size);
  }
  if (is_disconnect(ec)) {
    const std::string how = ec == asio::error::connection_reset ? "reset" : "closed";
    return got_some ? "the connection to " + where + " was " + how + " before the response was complete"
                    : "the connection to " + where + " was " + how + " before a response arrived";
  }
  if (is_http_error(ec)) return "malformed response from " + where + ": " + ec.message();
  return "cannot read the response from " + where + ": " + ec.message();
}

}  // namespace

std::unique_ptr<Transport> make_beast_transport(const TransportOptions& options) {
  return std::make_unique<BeastTransport>(options);
}

}  // namespace xtsync::http
