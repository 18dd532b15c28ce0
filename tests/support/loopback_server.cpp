#include "support/loopback_server.hpp"

#include <doctest/doctest.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <type_traits>

#include "error.hpp"

namespace xtsync::testing {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using boost::system::error_code;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

const asio::ip::address& loopback() {
  static const auto address = asio::ip::make_address("127.0.0.1");
  return address;
}

ServerRequest to_server_request(const bhttp::request<bhttp::string_body>& request) {
  ServerRequest seen;
  seen.method = std::string(request.method_string());
  seen.target = std::string(request.target());
  seen.version = request.version();
  for (const auto& field : request) {
    seen.headers.push_back({std::string(field.name_string()), std::string(field.value())});
  }
  seen.body = request.body();
  return seen;
}

}  // namespace

std::string ServerRequest::header(std::string_view name) const {
  return http::find_header(headers, name).value_or("");
}

bool ServerRequest::has_header(std::string_view name) const {
  return http::find_header(headers, name).has_value();
}

struct LoopbackServer::Impl {
  Impl(Handler handler, const std::optional<ServerTls>& tls, int backlog)
      : handler_(std::move(handler)), acceptor_(io_, tcp::endpoint(loopback(), 0)) {
    if (tls) {
      tls_.emplace(ssl::context::tls_server);
      tls_->use_certificate_chain_file(tls->cert);
      tls_->use_private_key_file(tls->key, ssl::context::pem);
      if (tls->min_version != 0) SSL_CTX_set_min_proto_version(tls_->native_handle(), tls->min_version);
      if (tls->max_version != 0) SSL_CTX_set_max_proto_version(tls_->native_handle(), tls->max_version);
    }
    acceptor_.listen(backlog);
    accept_thread_ = std::thread([this] { accept_loop(); });
  }

  ~Impl() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
      // Unblocks handlers stuck reading from a client (or an upstream) that never closes.
      for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
    }
    tcp::socket wake(io_);  // unblocks accept()
    error_code ignored;
    wake.connect(acceptor_.local_endpoint(), ignored);
    accept_thread_.join();
    for (auto& worker : workers_) worker.join();
  }

  void record(const ServerRequest& request) {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
  }

  // False when the server is stopping: the caller should give up on the socket.
  bool track(tcp::socket& socket) {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    open_fds_.insert(socket.native_handle());
    return true;
  }

  // Forgets the descriptor before closing it, so the destructor never shuts down a reused one.
  void close(tcp::socket& socket) {
    std::lock_guard lock(mutex_);
    open_fds_.erase(socket.native_handle());
    error_code ignored;
    socket.close(ignored);
  }

  void accept_loop() {
    for (;;) {
      tcp::socket socket(io_);
      error_code ec;
      acceptor_.accept(socket, ec);
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      if (ec) continue;
      const int index = accepted_++;
      open_fds_.insert(socket.native_handle());
      workers_.emplace_back([this, index, s = std::move(socket)]() mutable { serve(std::move(s), index); });
    }
  }

  void serve(tcp::socket socket, int index);

  Handler handler_;
  asio::io_context io_;  // only for sockets: every call here is synchronous
  tcp::acceptor acceptor_;
  std::optional<ssl::context> tls_;
  std::thread accept_thread_;
  std::vector<std::thread> workers_;

  mutable std::mutex mutex_;
  std::condition_variable finished_cv_;
  mutable std::condition_variable names_cv_;
  std::set<int> open_fds_;
  std::vector<ServerRequest> requests_;
  std::vector<std::string> server_names_;
  int accepted_ = 0;
  int finished_ = 0;
  bool stopping_ = false;
};

namespace {

// Copies from one socket to the other until EOF, then passes the EOF on.
void pump(tcp::socket& from, tcp::socket& to) {
  char chunk[16384];
  error_code ec;
  for (;;) {
    const std::size_t n = from.read_some(asio::buffer(chunk), ec);
    if (ec) break;
    asio::write(to, asio::buffer(chunk, n), ec);
    if (ec) break;
  }
  error_code ignored;
  to.shutdown(tcp::socket::shutdown_send, ignored);
}

template <class Stream>
class StreamPeer final : public Peer {
 public:
  StreamPeer(Stream& stream, LoopbackServer::Impl& server) : stream_(stream), server_(server) {}

  std::optional<ServerRequest> read_request() override {
    bhttp::request<bhttp::string_body> request;
    error_code ec;
    bhttp::read(stream_, buffer_, request, ec);
    if (ec) return std::nullopt;
    auto seen = to_server_request(request);
    server_.record(seen);
    return seen;
  }

  bool write(std::string_view raw) override {
    error_code ec;
    asio::write(stream_, asio::buffer(raw), ec);
    return !ec;
  }

  void drain() override {
    char scratch[4096];
    error_code ec;
    while (!ec) stream_.read_some(asio::buffer(scratch), ec);
  }

  bool relay_to(std::uint16_t port, std::string_view connected) override {
    if constexpr (!std::is_same_v<Stream, tcp::socket>) {
      return false;  // one thread per direction would share a TLS stream
    } else {
      tcp::socket upstream(server_.io_);
      if (!server_.track(upstream)) return false;
      error_code ec;
      upstream.connect(tcp::endpoint(loopback(), port), ec);
      if (ec) {
        server_.close(upstream);
        return false;
      }
      asio::write(stream_, asio::buffer(connected), ec);
      if (buffer_.size() != 0) asio::write(upstream, buffer_.data(), ec);
      std::thread up([&] { pump(stream_, upstream); });
      pump(upstream, stream_);
      up.join();
      server_.close(upstream);
      return true;
    }
  }

 private:
  Stream& stream_;
  LoopbackServer::Impl& server_;
  beast::flat_buffer buffer_;
};

}  // namespace

void LoopbackServer::Impl::serve(tcp::socket socket, int index) {
  if (tls_) {
    ssl::stream<tcp::socket&> stream(socket, *tls_);
    error_code ec;
    stream.handshake(ssl::stream_base::server, ec);
    const char* name = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name);
    {
      std::lock_guard lock(mutex_);
      server_names_.push_back(name != nullptr ? name : "");
    }
    names_cv_.notify_all();
    if (!ec) {
      StreamPeer peer(stream, *this);
      handler_(peer, index);
    }
  } else {
    StreamPeer peer(socket, *this);
    handler_(peer, index);
  }
  close(socket);
  std::lock_guard lock(mutex_);
  ++finished_;
  finished_cv_.notify_all();
}

LoopbackServer::LoopbackServer(Handler handler, std::optional<ServerTls> tls, int backlog)
    : impl_(std::make_unique<Impl>(std::move(handler), tls, backlog)) {}

LoopbackServer::~LoopbackServer() = default;

std::uint16_t LoopbackServer::port() const {
  return impl_->acceptor_.local_endpoint().port();
}

std::string LoopbackServer::url(std::string_view path, std::string_view host) const {
  return std::string(impl_->tls_ ? "https://" : "http://") + std::string(host) + ":" +
         std::to_string(port()) + std::string(path);
}

int LoopbackServer::connections() const {
  std::lock_guard lock(impl_->mutex_);
  return impl_->accepted_;
}

bool LoopbackServer::wait_finished(int n) {
  std::unique_lock lock(impl_->mutex_);
  return impl_->finished_cv_.wait_for(lock, 5s, [&] { return impl_->finished_ >= n; });
}

std::vector<ServerRequest> LoopbackServer::requests() const {
  std::lock_guard lock(impl_->mutex_);
  return impl_->requests_;
}

std::vector<std::string> LoopbackServer::server_names(std::size_t count) const {
  std::unique_lock lock(impl_->mutex_);
  impl_->names_cv_.wait_for(lock, 2s, [&] { return impl_->server_names_.size() >= count; });
  return impl_->server_names_;
}

std::string ok(std::string_view body, std::string_view extra_headers) {
  return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
         std::string(extra_headers) + "\r\n" + std::string(body);
}

void serve_ok(Peer& peer, int) {
  while (peer.read_request()) peer.write(ok());
}

std::uint16_t unused_port() {
  asio::io_context io;
  tcp::acceptor closed(io, tcp::endpoint(loopback(), 0));
  return closed.local_endpoint().port();
}

struct FullListener::Impl {
  asio::io_context io;
  tcp::acceptor acceptor{io, tcp::endpoint(loopback(), 0)};
  tcp::socket filler{io};
};

FullListener::FullListener() : impl_(std::make_unique<Impl>()) {
  // Backlog 0 admits one connection into the queue; nothing accepts it.
  impl_->acceptor.listen(0);
  impl_->filler.connect(impl_->acceptor.local_endpoint());
}

FullListener::~FullListener() = default;

std::uint16_t FullListener::port() const {
  return impl_->acceptor.local_endpoint().port();
}

std::string failure_of(const std::function<void()>& action, ErrorKind kind) {
  try {
    action();
  } catch (const Error& e) {
    CHECK(static_cast<int>(e.kind()) == static_cast<int>(kind));
    return e.what();
  }
  FAIL("expected an xtsync::Error");
  return {};
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

}  // namespace xtsync::testing
