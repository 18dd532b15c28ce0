// The real Transport. Every step is an Asio operation under a deadline (Beast's blocking calls
// have no timeouts), run as a coroutine on a private io_context that send() drives to completion.
#include "http/beast_transport.hpp"

#include <fmt/core.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <exception>
#include <optional>

#include "error.hpp"
#include "http/beast_tls.hpp"
#include "http/beast_wire.hpp"
#include "http/url.hpp"

namespace xtsync::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace wire = boost::beast::http;
using boost::system::error_code;
using tcp = asio::ip::tcp;

constexpr std::size_t header_limit = 64 * 1024;

// 169.254.0.0/16 written as a dotted quad (IMDS is 169.254.169.254).
bool is_link_local(const std::string& host) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address_v4(host, ec);
  return !ec && (address.to_uint() >> 16) == ((169u << 8) | 254u);
}

Error network_error(const std::string& message) {
  return Error(ErrorKind::network, message);
}

std::string seconds_text(std::chrono::milliseconds duration) {
  return fmt::format("{:g} s", static_cast<double>(duration.count()) / 1000.0);
}

std::string size_text(std::size_t bytes) {
  if (bytes % (1024 * 1024) == 0) return fmt::format("{} MiB", bytes / (1024 * 1024));
  if (bytes % 1024 == 0) return fmt::format("{} KiB", bytes / 1024);
  return fmt::format("{} bytes", bytes);
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

// RFC 9110 §9.2.2: requests a client may repeat without asking.
bool is_idempotent(wire::verb method) {
  switch (method) {
    case wire::verb::get:
    case wire::verb::head:
    case wire::verb::put:
    case wire::verb::delete_:
    case wire::verb::options:
    case wire::verb::trace:
      return true;
    default:
      return false;
  }
}

// One open connection, plus any bytes read past the last response.
struct Connection {
  std::string origin;
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
  explicit BeastTransport(const BeastTransportOptions& options) : options_(options) {
    // A bad --ca-file is reported before anything is sent, even for a plain http:// root.
    if (!options_.ca_file.empty()) tls_.emplace(detail::make_tls_context(options_.ca_file));
  }

  Response send(const Request& request) override;
  void reset_connection() override { connection_.reset(); }

 private:
  asio::awaitable<Response> perform(const Url& url, const detail::WireRequest& request);
  asio::awaitable<std::unique_ptr<Connection>> open(const Url& url);
  asio::awaitable<tcp::resolver::results_type> resolve(const Url& url);
  asio::awaitable<Attempt> attempt(Connection& connection, const Url& url, const detail::WireRequest& request,
                                   bool may_resend);
  template <class Stream>
  asio::awaitable<Attempt> exchange(Stream& stream, Connection& connection, const Url& url,
                                    const detail::WireRequest& request, bool may_resend);
  std::string describe_read_failure(const error_code& ec, bool got_some, const Url& url) const;

  BeastTransportOptions options_;
  asio::io_context io_;
  // Without --ca-file, built on the first https:// connection: loading the system CA store
  // costs tens of milliseconds that loopback http:// (the emulator) never needs.
  std::optional<asio::ssl::context> tls_;
  std::unique_ptr<Connection> connection_;  // after io_ and tls_: must be destroyed before them
};

Response BeastTransport::send(const Request& request) {
  const Url url = parse_url(request.url);
  if (!url.tls() && !is_loopback_host(url.host) && !(options_.allow_link_local_http && is_link_local(url.host))) {
    throw usage_error("refusing plain http:// to " + url.host + "; only loopback hosts may skip TLS");
  }
  const detail::WireRequest wire_request = detail::to_wire_request(request, url);

  std::exception_ptr failure;
  std::optional<Response> response;
  asio::co_spawn(io_, perform(url, wire_request), [&](std::exception_ptr error, Response result) {
    failure = error;
    if (!error) response = std::move(result);
  });
  io_.restart();
  io_.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*response);
}

asio::awaitable<Response> BeastTransport::perform(const Url& url, const detail::WireRequest& request) {
  if (connection_ && (connection_->origin != url.origin() || !connection_->idle_and_open())) {
    connection_.reset();
  }
  try {
    const bool reused = connection_ != nullptr;
    if (!reused) connection_ = co_await open(url);
    // A server may close an idle connection just as the request goes out. Sending it again is
    // then safe only for idempotent methods (RFC 9112 §9.3.1); a fresh connection is never resent.
    Attempt result = co_await attempt(*connection_, url, request, reused && is_idempotent(request.method()));
    if (!result.response) {
      connection_.reset();
      connection_ = co_await open(url);
      result = co_await attempt(*connection_, url, request, false);
    }
    if (!result.keep_alive) connection_.reset();
    co_return std::move(*result.response);
  } catch (...) {
    // Whatever failed, the connection's state is unknown: never reuse it.
    connection_.reset();
    throw;
  }
}

asio::awaitable<tcp::resolver::results_type> BeastTransport::resolve(const Url& url) {
  // getaddrinfo cannot be interrupted, so the lookup is bounded by the system resolver's own
  // timeouts; its time still counts against connect_timeout.
  tcp::resolver resolver(co_await asio::this_coro::executor);
  error_code ec;
  auto results = co_await resolver.async_resolve(url.host, std::to_string(url.port),
                                                 asio::redirect_error(asio::use_awaitable, ec));
  if (ec) throw network_error("cannot resolve " + url.host + ": " + ec.message());
  co_return results;
}

asio::awaitable<std::unique_ptr<Connection>> BeastTransport::open(const Url& url) {
  const auto deadline = std::chrono::steady_clock::now() + options_.connect_timeout;
  const std::string where = detail::authority(url);
  auto executor = co_await asio::this_coro::executor;

  auto connection = std::make_unique<Connection>();
  connection->origin = url.origin();
  if (url.tls()) {
    if (!tls_) tls_.emplace(detail::make_tls_context(options_.ca_file));
    connection->tls = std::make_unique<detail::TlsStream>(executor, *tls_);
  } else {
    connection->plain = std::make_unique<beast::tcp_stream>(executor);
  }

  const auto endpoints = co_await resolve(url);
  error_code ec;
  connection->tcp().expires_at(deadline);
  co_await connection->tcp().async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec == beast::error::timeout) {
    throw network_error("timed out after " + seconds_text(options_.connect_timeout) + " connecting to " +
                        where);
  }
  if (ec) throw network_error("cannot connect to " + where + ": " + ec.message());

  if (connection->tls) {
    detail::prepare_tls_session(*connection->tls, url.host);
    co_await connection->tls->async_handshake(asio::ssl::stream_base::client,
                                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec == beast::error::timeout) {
      throw network_error("timed out after " + seconds_text(options_.connect_timeout) +
                          " during the TLS handshake with " + where);
    }
    if (ec) {
      Error error = network_error("TLS handshake with " + where +
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

asio::awaitable<Attempt> BeastTransport::attempt(Connection& connection, const Url& url,
                                                 const detail::WireRequest& request, bool may_resend) {
  if (connection.tls) co_return co_await exchange(*connection.tls, connection, url, request, may_resend);
  co_return co_await exchange(*connection.plain, connection, url, request, may_resend);
}

template <class Stream>
asio::awaitable<Attempt> BeastTransport::exchange(Stream& stream, Connection& connection, const Url& url,
                                                  const detail::WireRequest& request, bool may_resend) {
  // One deadline for the write and the whole response: the expiry is a point in time that every
  // later read checks, so a server dripping bytes cannot stretch it.
  connection.tcp().expires_after(options_.request_timeout);

  error_code ec;
  co_await wire::async_write(stream, request, asio::redirect_error(asio::use_awaitable, ec));
  if (ec == beast::error::timeout) {
    throw network_error("timed out after " + seconds_text(options_.request_timeout) +
                        " sending the request to " + detail::authority(url));
  }
  if (ec && may_resend && is_disconnect(ec)) co_return Attempt{};
  if (ec) throw network_error("cannot send the request to " + detail::authority(url) + ": " + ec.message());

  for (bool first = true;; first = false) {
    detail::ResponseParser parser;
    parser.header_limit(header_limit);
    parser.body_limit(options_.max_body_size);
    if (request.method() == wire::verb::head) parser.skip(true);

    co_await wire::async_read(stream, connection.buffer, parser,
                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec && first && may_resend && !parser.got_some() && is_disconnect(ec)) co_return Attempt{};
    if (ec) throw network_error(describe_read_failure(ec, parser.got_some(), url));

    // Interim 1xx responses precede the real one; 101 switches protocols and ends HTTP here.
    const int status = parser.response().status;
    if (status >= 100 && status < 200 && status != 101) continue;

    Attempt result;
    result.keep_alive = parser.keep_alive() && status != 101;
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
    return "the response headers from " + where + " exceed " + size_text(header_limit);
  if (ec == wire::error::body_limit) {
    return "the response body from " + where + " exceeds " + size_text(options_.max_body_size);
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

std::unique_ptr<Transport> make_beast_transport(const BeastTransportOptions& options) {
  return std::make_unique<BeastTransport>(options);
}

}  // namespace xtsync::http
