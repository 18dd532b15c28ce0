// Small in-process servers on 127.0.0.1 for tests of the real transport: each connection runs a
// scripted handler on its own thread, over plain TCP or TLS. Beast, Asio and libssl stay in
// loopback_server.cpp, so the tests that use these compile without them.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"
#include "http/message.hpp"

namespace xtsync::testing {

// A request as the server read it.
struct ServerRequest {
  std::string method;     // as sent, e.g. "GET" or "CONNECT"
  std::string target;     // as sent: origin, absolute or authority form
  unsigned version = 0;   // 11 for HTTP/1.1
  http::Headers headers;  // in the order received
  std::string body;

  // The first value of the header (case-insensitive), or "" when there is none.
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
};

// One accepted connection, as the test server's handler sees it. Plain or TLS alike.
class Peer {
 public:
  virtual ~Peer() = default;
  // The next request, or nothing once the client has closed the connection.
  virtual std::optional<ServerRequest> read_request() = 0;
  // False once the client has gone, which tests may legitimately ignore.
  virtual bool write(std::string_view raw) = 0;
  // Reads and ignores whatever arrives until the client goes away.
  virtual void drain() = 0;
  // Plain connections only, as a CONNECT proxy: connects to 127.0.0.1:port, writes `connected`
  // to the client, then copies bytes both ways (first any the client sent past its request)
  // until both sides have closed. False, with nothing written, when the connection fails.
  virtual bool relay_to(std::uint16_t port, std::string_view connected) = 0;
};

struct ServerTls {
  std::string cert, key;
  int min_version = 0;  // e.g. TLS1_3_VERSION; 0 leaves OpenSSL's default
  int max_version = 0;
};

// Accepts on 127.0.0.1:0 and runs handler(peer, n) on a thread per connection (n counts from 0).
// The destructor shuts down open connections, which unblocks handlers waiting on them.
class LoopbackServer {
 public:
  using Handler = std::function<void(Peer&, int)>;

  explicit LoopbackServer(Handler handler, std::optional<ServerTls> tls = std::nullopt, int backlog = 16);
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  std::uint16_t port() const;
  // http:// or https:// (as the server speaks) host:port, then path.
  std::string url(std::string_view path = "/", std::string_view host = "127.0.0.1") const;
  int connections() const;
  // Waits until n handlers have returned and their sockets are closed.
  bool wait_finished(int n);
  std::vector<ServerRequest> requests() const;
  // The TLS server name of each handshake ("" when none was sent), once `count` have ended
  // (waiting up to 2 s): a client that gives up on the certificate may return before the server notices.
  std::vector<std::string> server_names(std::size_t count = 0) const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// A 200 response with that body.
std::string ok(std::string_view body = "ok", std::string_view extra_headers = "");
// A handler answering every request on the connection with 200 "ok".
void serve_ok(Peer& peer, int connection);

// A loopback port nothing listens on (it was bound and released): connecting is refused.
std::uint16_t unused_port();

// A loopback listener whose accept queue is full: Linux drops further SYNs, so connecting hangs.
class FullListener {
 public:
  FullListener();
  ~FullListener();
  FullListener(const FullListener&) = delete;
  FullListener& operator=(const FullListener&) = delete;
  std::uint16_t port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// What the transport's tests check with: runs action, which must throw xtsync::Error of that kind
// (a failed check otherwise), and returns the message.
std::string failure_of(const std::function<void()>& action, ErrorKind kind = ErrorKind::network);
bool contains(std::string_view text, std::string_view part);

}  // namespace xtsync::testing
