#include "emulator/server.hpp"

#include <fmt/format.h>
#include <openssl/ssl.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <type_traits>

#include "emulator/graph_response.hpp"
#include "emulator/log_redaction.hpp"
#include "http/url.hpp"
#include "util/strings.hpp"

namespace xtsync::emulator {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;
using BeastRequest = bhttp::request<bhttp::string_body>;
using BeastResponse = bhttp::response<bhttp::string_body>;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

namespace {

constexpr auto k_use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::chrono::seconds k_io_timeout{30};
constexpr std::size_t k_max_header_bytes = 64 * 1024;

template <class Stream>
constexpr bool k_is_tls = std::is_same_v<Stream, TlsStream>;

tcp::endpoint listen_endpoint(const ServerOptions& options) {
  std::string host(http::strip_brackets(options.host));
  if (!http::is_loopback_host(host)) {
    throw std::invalid_argument(
        fmt::format("'{}' is not a loopback address; the emulator listens on loopback only", options.host));
  }
  if (util::iequals(host, "localhost")) host = "127.0.0.1";
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) throw std::invalid_argument(fmt::format("'{}' is not an IP address", options.host));
  return {address, options.port};
}

std::unique_ptr<ssl::context> make_tls_context(const ServerOptions& options) {
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), options.tls13_only ? TLS1_3_VERSION : TLS1_2_VERSION);
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(options.tls_cert_file, ec);
  if (ec)
    throw std::invalid_argument(
        fmt::format("cannot load TLS certificate {}: {}", options.tls_cert_file, ec.message()));
  ctx->use_private_key_file(options.tls_key_file, ssl::context::pem, ec);
  if (ec)
    throw std::invalid_argument(
        fmt::format("cannot load TLS key {}: {}", options.tls_key_file, ec.message()));
  if (SSL_CTX_check_private_key(ctx->native_handle()) != 1) {
    throw std::invalid_argument(
        fmt::format("TLS key {} does not match certificate {}", options.tls_key_file, options.tls_cert_file));
  }
  return ctx;
}

http::Request to_request(const BeastRequest& req) {
  http::Request out;
  out.method = std::string(req.method_string());
  out.url = std::string(req.target());
  for (const auto& field : req)
    out.headers.push_back({std::string(field.name_string()), std::string(field.value())});
  out.body = req.body();
  return out;
}

BeastResponse to_beast(const http::Response& response, unsigned version, bool keep_alive) {
  BeastResponse res;
  res.version(version);
  res.result(static_cast<unsigned>(response.status));
  if (!response.reason.empty()) {
    res.reason(response.reason);
  } else if (bhttp::int_to_status(static_cast<unsigned>(response.status)) == bhttp::status::unknown) {
    res.reason("Unknown");
  }
  for (const auto& h : response.headers) {
    // Framing is Beast's job; a scripted header must not contradict it.
    if (util::iequals(h.name, "Content-Length") || util::iequals(h.name, "Transfer-Encoding") ||
        util::iequals(h.name, "Connection")) {
      continue;
    }
    res.insert(h.name, h.value);
  }
  const auto status = res.result();
  const bool bodiless = status == bhttp::status::no_content || status == bhttp::status::not_modified;
  if (!bodiless) res.body() = response.body;
  res.keep_alive(keep_alive);
  res.prepare_payload();
  return res;
}

// A minimal answer for requests that never reach the emulator (unparseable, too large).
BeastResponse framing_error(bhttp::status status, std::string_view code, std::string_view message) {
  http::Request none;
  const CallContext ctx = make_call_context(none, Clock::now());
  const http::Response response =
      graph_json(static_cast<int>(status), error_body(code, message, {}, ctx), ctx);
  return to_beast(response, 11, false);
}

}  // namespace

struct Server::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io_context, Emulator& emu, ServerOptions opts)
      : io(io_context), emulator(emu), options(std::move(opts)), acceptor(io_context) {}

  asio::io_context& io;
  Emulator& emulator;
  ServerOptions options;
  std::unique_ptr<ssl::context> tls;
  tcp::acceptor acceptor;
  std::string base_url;
  std::uint16_t port = 0;
  std::uint64_t next_connection = 1;
  // Open connections' sockets, so stop() can close them.
  std::map<std::uint64_t, tcp::socket*> connections;

  void log(std::string_view line) const {
    if (options.log) *options.log << line << std::endl;
  }

  void log_request(std::uint64_t id, const http::Request& request, std::string_view outcome,
                   std::chrono::steady_clock::time_point started, const Plan& plan) const {
    if (!options.log) return;
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
            .count();
    // Never the headers (Authorization), and the target without query-string credentials.
    log(fmt::format("{} #{} {} {} {} {}ms{}", iso_utc_millis(Clock::now()), id, request.method,
                    redact_target(request.url),
                    outcome, ms, plan.fault_id ? fmt::format(" (fault {})", *plan.fault_id) : std::string()));
  }

  http::Response answer(const http::Request& request, std::uint64_t connection) {
    try {
      return emulator.handle(request, connection);
    } catch (const std::exception& e) {
      const CallContext ctx = make_call_context(request, Clock::now());
      return graph_error(GraphError(500, "InternalServerError", e.what()), ctx);
    }
  }

  // Stops accepting and closes every connection; on the io_context's thread.
  void close_all() {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    for (auto& [id, socket] : connections) {
      socket->shutdown(tcp::socket::shutdown_both, ignored);
      socket->close(ignored);
    }
  }

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> run_connection(tcp::socket socket, std::uint64_t id);
  template <class Stream>
  asio::awaitable<void> serve(Stream& stream, std::uint64_t id);
};

asio::awaitable<void> Server::Impl::accept_loop() {
  auto self = shared_from_this();  // keeps this alive while the loop is suspended
  while (acceptor.is_open()) {
    auto [ec, socket] = co_await acceptor.async_accept(k_use_tuple);
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    if (ec) {
      log(fmt::format("accept failed: {}", ec.message()));
      // Out of descriptors and the like: back off instead of spinning.
      asio::steady_timer pause(io, std::chrono::milliseconds(100));
      co_await pause.async_wait(k_use_tuple);
      continue;
    }
    const std::uint64_t id = next_connection++;
    asio::co_spawn(io, run_connection(std::move(socket), id), [self, id](std::exception_ptr error) {
      if (!error) return;
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        self->log(fmt::format("connection #{} failed: {}", id, e.what()));
      }
    });
  }
}

asio::awaitable<void> Server::Impl::run_connection(tcp::socket socket, std::uint64_t id) {
  auto self = shared_from_this();
  beast::tcp_stream tcp_stream(std::move(socket));
  if (!tls) {
    connections[id] = &tcp_stream.socket();
    co_await serve(tcp_stream, id);
  } else {
    TlsStream stream(std::move(tcp_stream), *tls);
    connections[id] = &beast::get_lowest_layer(stream).socket();
    beast::get_lowest_layer(stream).expires_after(k_io_timeout);
    auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, k_use_tuple);
    if (ec) {
      log(fmt::format("{} #{} TLS handshake failed: {}", iso_utc_millis(Clock::now()), id, ec.message()));
    } else {
      co_await serve(stream, id);
    }
  }
  connections.erase(id);
}

template <class Stream>
asio::awaitable<void> Server::Impl::serve(Stream& stream, std::uint64_t id) {
  auto& lowest = beast::get_lowest_layer(stream);
  const auto close_now = [&] {
    boost::system::error_code ignored;
    lowest.socket().shutdown(tcp::socket::shutdown_both, ignored);
    lowest.socket().close(ignored);
  };
  const auto send = [&](BeastResponse& res) -> asio::awaitable<bool> {
    lowest.expires_after(k_io_timeout);
    auto [ec, n] = co_await bhttp::async_write(stream, res, k_use_tuple);
    co_return !ec;
  };

  const auto refuse_too_large = [&]() -> asio::awaitable<void> {
    auto res = framing_error(bhttp::status::payload_too_large, "RequestEntityTooLarge",
                             fmt::format("The request body exceeds {} bytes.", k_max_request_body));
    co_await send(res);
    close_now();
  };

  beast::flat_buffer buffer;
  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(k_max_header_bytes);
    parser.body_limit(k_max_request_body);
    lowest.expires_after(options.idle_timeout);
    auto [header_ec, header_bytes] = co_await bhttp::async_read_header(stream, buffer, parser, k_use_tuple);
    // Beast checks a declared Content-Length against the limit as soon as the header is in.
    if (header_ec == bhttp::error::body_limit) co_return co_await refuse_too_large();
    if (header_ec) {
      // A clean end between requests is the usual way a keep-alive connection ends.
      const bool clean = header_ec == bhttp::error::end_of_stream || header_ec == asio::error::eof ||
                         header_ec == ssl::error::stream_truncated || header_ec == beast::error::timeout ||
                         header_ec == asio::error::operation_aborted;
      if (!clean && lowest.socket().is_open()) {
        auto res =
            header_ec == bhttp::error::header_limit
                ? framing_error(bhttp::status::request_header_fields_too_large, "RequestHeaderFieldsTooLarge",
                                fmt::format("The request headers exceed {} bytes.", k_max_header_bytes))
                : framing_error(bhttp::status::bad_request, "BadRequest",
                                fmt::format("The request could not be parsed: {}.", header_ec.message()));
        co_await send(res);
      }
      close_now();
      co_return;
    }
    if (util::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
      BeastResponse go_on{bhttp::status::continue_, parser.get().version()};
      if (!co_await send(go_on)) co_return close_now();
    }
    lowest.expires_after(k_io_timeout);
    auto [body_ec, body_bytes] = co_await bhttp::async_read(stream, buffer, parser, k_use_tuple);
    if (body_ec == bhttp::error::body_limit) co_return co_await refuse_too_large();
    if (body_ec) co_return close_now();

    const BeastRequest& req = parser.get();
    const bool keep_alive = req.keep_alive();
    const http::Request request = to_request(req);
    const auto started = std::chrono::steady_clock::now();
    const Plan plan = emulator.plan(request, id);
    if (plan.delay.count() > 0) {
      // Async, so a delayed request never holds up other connections.
      asio::steady_timer timer(io, plan.delay);
      co_await timer.async_wait(k_use_tuple);
      if (!acceptor.is_open()) co_return close_now();  // stopped meanwhile
    }
    if (plan.action == FaultAction::reset) {
      // Linger 0 makes close() send RST: the client sees "connection reset", not a clean EOF.
      boost::system::error_code ignored;
      lowest.socket().set_option(tcp::socket::linger(true, 0), ignored);
      log_request(id, request, "reset", started, plan);
      co_return close_now();
    }
    if (plan.action == FaultAction::close && !plan.handle) {
      log_request(id, request, "closed", started, plan);
      co_return close_now();
    }
    const http::Response response = plan.handle ? answer(request, id) : *plan.response;
    if (plan.action == FaultAction::close) {
      log_request(id, request, fmt::format("closed after {}", response.status), started, plan);
      co_return close_now();
    }
    BeastResponse res = to_beast(response, req.version(), keep_alive);
    // A response to HEAD keeps its Content-Length but carries no body.
    if (req.method() == bhttp::verb::head) res.body().clear();
    if (plan.action == FaultAction::close_mid_body || plan.action == FaultAction::reset_mid_body) {
      // The full Content-Length is announced, then only half the body arrives.
      std::ostringstream head;
      head << res.base();
      const std::string wire = head.str() + res.body().substr(0, res.body().size() / 2);
      lowest.expires_after(k_io_timeout);
      co_await asio::async_write(stream, asio::buffer(wire), k_use_tuple);
      if (plan.action == FaultAction::reset_mid_body) {
        boost::system::error_code ignored;
        lowest.socket().set_option(tcp::socket::linger(true, 0), ignored);
      }
      log_request(id, request, fmt::format("{} cut mid-body", response.status), started, plan);
      co_return close_now();
    }
    if (plan.action == FaultAction::drip) {
      // A slow server: every byte of the response arrives `drip` after the previous one.
      std::ostringstream head;
      head << res.base();
      const std::string wire = head.str() + res.body();
      asio::steady_timer pause(io);
      for (char byte : wire) {
        pause.expires_after(plan.drip);
        co_await pause.async_wait(k_use_tuple);
        lowest.expires_after(k_io_timeout);
        auto [write_ec, n] = co_await asio::async_write(stream, asio::buffer(&byte, 1), k_use_tuple);
        if (write_ec || !acceptor.is_open()) {
          log_request(id, request, "drip abandoned by the client", started, plan);
          co_return close_now();
        }
      }
      log_request(id, request, fmt::format("{} dripped", response.status), started, plan);
      if (!keep_alive) break;
      continue;
    }
    const bool written = co_await send(res);
    log_request(id, request, written ? std::to_string(response.status) : "write failed", started, plan);
    if (!written) co_return close_now();
    if (!keep_alive) break;
  }

  // Connection: close (or HTTP/1.0): end politely, with a TLS close_notify where there is TLS.
  if constexpr (k_is_tls<Stream>) {
    lowest.expires_after(std::chrono::seconds(5));
    co_await stream.async_shutdown(k_use_tuple);
  }
  close_now();
}

struct Server::Loop {
  asio::io_context io;
};

Server::Server(Emulator& emulator, ServerOptions options)
    : loop_(std::make_unique<Loop>()), impl_(std::make_shared<Impl>(loop_->io, emulator, std::move(options))) {
  const tcp::endpoint endpoint = listen_endpoint(impl_->options);
  const bool use_tls = !impl_->options.tls_cert_file.empty() || !impl_->options.tls_key_file.empty();
  if (use_tls) {
    if (impl_->options.tls_cert_file.empty() || impl_->options.tls_key_file.empty()) {
      throw std::invalid_argument("TLS needs both a certificate file and a key file");
    }
    impl_->tls = make_tls_context(impl_->options);
  }

  auto& acceptor = impl_->acceptor;
  boost::system::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw std::runtime_error(
        fmt::format("cannot listen on {}:{}: {}", impl_->options.host, impl_->options.port, ec.message()));
  }

  const auto bound = acceptor.local_endpoint();
  impl_->port = bound.port();
  std::string host = bound.address().to_string();
  if (bound.address().is_v6()) host = fmt::format("[{}]", host);
  if (util::iequals(impl_->options.host, "localhost")) host = "localhost";
  impl_->base_url = fmt::format("{}://{}:{}", use_tls ? "https" : "http", host, bound.port());
  emulator.set_base_url(impl_->base_url);
  asio::co_spawn(loop_->io, impl_->accept_loop(), asio::detached);
}

// impl_ goes first; destroying the io_context then destroys the suspended connections, which
// release the last references to it.
Server::~Server() = default;

std::uint16_t Server::port() const {
  return impl_->port;
}

const std::string& Server::base_url() const {
  return impl_->base_url;
}

void Server::run() {
  auto& io = loop_->io;
  std::optional<asio::signal_set> signals;
  if (!impl_->options.stop_signals.empty()) {
    signals.emplace(io);
    for (const int number : impl_->options.stop_signals) signals->add(number);
    signals->async_wait([this](const boost::system::error_code& ec, int) {
      if (!ec) stop();
    });
  }
  io.run();
}

void Server::stop() {
  // Posted, so the sockets are only ever touched from the loop's thread.
  asio::post(loop_->io, [impl = impl_] {
    impl->close_all();
    impl->io.stop();
  });
}

}  // namespace xtsync::emulator
