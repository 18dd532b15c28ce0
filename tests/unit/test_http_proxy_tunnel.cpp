// lib/http/beast/beast_transport.cpp through an HTTP proxy: a tiny CONNECT proxy on loopback, in this
// process, in front of an in-process TLS server with a certificate from the test CA.
#include <doctest/doctest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "error.hpp"
#include "http/beast/beast_transport.hpp"
#include "http/proxy.hpp"
#include "support/loopback_server.hpp"
#include "support/test_ca.hpp"

namespace {

using namespace std::chrono_literals;
using xtsync::http::TransportOptions;
using xtsync::http::Proxy;
using xtsync::http::Request;
using xtsync::http::Response;
using xtsync::http::Url;
using xtsync::testing::contains;
using xtsync::testing::failure_of;
using xtsync::testing::LoopbackServer;
using xtsync::testing::ok;
using xtsync::testing::Peer;
using xtsync::testing::serve_ok;
using xtsync::testing::ServerTls;

// An HTTPS origin answering every request with 200 "ok".
class TlsOrigin : public LoopbackServer {
 public:
  explicit TlsOrigin(const xtsync::test::CertificateFiles& files)
      : LoopbackServer(serve_ok, ServerTls{files.cert, files.key}) {}
};

// What the proxy saw of one request.
struct Seen {
  std::string method, target, host, authorization;
};

// A CONNECT proxy. It answers CONNECT with `reply` when one is scripted, else with 200 and then
// relays bytes both ways to 127.0.0.1:<origin_port> (whatever host the CONNECT named: that is
// its "DNS"). Any other method is answered directly with 200 "proxied" (absolute-form requests).
class ConnectProxy {
 public:
  enum class Mode { relay, reply, close, hang };

  explicit ConnectProxy(std::uint16_t origin_port, Mode mode = Mode::relay, std::string reply = {})
      : origin_port_(origin_port),
        mode_(mode),
        reply_(std::move(reply)),
        server_([this](Peer& peer, int) { serve(peer); }) {}

  std::uint16_t port() const { return server_.port(); }
  int connections() const { return server_.connections(); }
  std::vector<Seen> seen() const {
    std::vector<Seen> seen;
    for (const auto& request : server_.requests()) {
      seen.push_back(
          {request.method, request.target, request.header("Host"), request.header("Proxy-Authorization")});
    }
    return seen;
  }

 private:
  void serve(Peer& client) {
    const auto request = client.read_request();
    if (!request) return;
    if (request->method != "CONNECT") {
      client.write(ok("proxied", "Connection: close\r\n"));
      return;
    }
    switch (mode_) {
      case Mode::reply:
        client.write(reply_);
        return;
      case Mode::close:
        return;
      case Mode::hang:
        client.drain();
        return;
      case Mode::relay:
        break;
    }
    if (!client.relay_to(origin_port_, "HTTP/1.1 200 Connection established\r\n\r\n")) {
      client.write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
    }
  }

  std::uint16_t origin_port_;
  Mode mode_;
  std::string reply_;
  LoopbackServer server_;  // last: its threads stop before the members they use go away
};

const xtsync::test::TestCa& test_ca() {
  static const xtsync::test::TestCa ca = xtsync::test::make_test_ca();
  return ca;
}

// A certificate for the names the tests use as origins: they resolve nowhere, so reaching them
// at all proves the transport went through the proxy.
const xtsync::test::CertificateFiles& origin_cert() {
  static const auto files = test_ca().issue("proxy-origin", "DNS:graph.test,DNS:other.test");
  return files;
}

TransportOptions through(std::optional<Proxy> proxy, std::chrono::milliseconds connect = 2s) {
  TransportOptions options;
  options.connect_timeout = connect;
  options.request_timeout = 2s;
  options.ca_file = test_ca().ca_cert;
  options.proxy = [proxy](const Url&) { return proxy; };
  return options;
}

Proxy proxy_at(std::uint16_t port, std::optional<std::string> user = std::nullopt,
               std::string password = {}) {
  Proxy proxy;
  proxy.host = "127.0.0.1";
  proxy.port = port;
  proxy.username = std::move(user);
  proxy.password = std::move(password);
  return proxy;
}

Request get(const std::string& url) {
  return Request{"GET", url, {}, {}};
}

}  // namespace

TEST_SUITE_BEGIN("http");

TEST_CASE("http::BeastTransport tunnels https through CONNECT and verifies TLS against the origin") {
  TlsOrigin origin(origin_cert());
  ConnectProxy proxy(origin.port());
  auto transport = xtsync::http::make_beast_transport(through(proxy_at(proxy.port(), "us er", "p@ss:w")));
  const std::string authority = "graph.test:" + std::to_string(origin.port());

  const Response first = transport->send(get("https://" + authority + "/v1.0/policies?x=1"));
  const Response second = transport->send(get("https://" + authority + "/v1.0/again"));
  CHECK(first.status == 200);
  CHECK(first.body == "ok");
  CHECK(second.body == "ok");

  // One tunnel, reused like a direct connection.
  const auto seen = proxy.seen();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].method == "CONNECT");
  CHECK(seen[0].target == authority);
  CHECK(seen[0].host == authority);
  CHECK(seen[0].authorization == "Basic dXMgZXI6cEBzczp3");  // "us er:p@ss:w"
  CHECK(origin.connections() == 1);

  // The origin saw the origin's name in SNI and ordinary origin-form requests, no proxy headers.
  CHECK(origin.server_names() == std::vector<std::string>{"graph.test"});
  const auto requests = origin.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].target == "/v1.0/policies?x=1");
  CHECK(requests[0].header("Host") == authority);
  CHECK(!requests[0].has_header("Proxy-Authorization"));
}

TEST_CASE("http::BeastTransport opens one tunnel per origin") {
  TlsOrigin origin(origin_cert());
  ConnectProxy proxy(origin.port());
  auto transport = xtsync::http::make_beast_transport(through(proxy_at(proxy.port())));
  const std::string port = std::to_string(origin.port());

  transport->send(get("https://graph.test:" + port + "/"));
  transport->send(get("https://other.test:" + port + "/"));
  transport->send(get("https://other.test:" + port + "/"));

  const auto seen = proxy.seen();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].target == "graph.test:" + port);
  CHECK(seen[1].target == "other.test:" + port);
  CHECK(seen[0].authorization.empty());  // no credentials, no header
  CHECK(origin.server_names() == std::vector<std::string>{"graph.test", "other.test"});
}

TEST_CASE("http::BeastTransport checks the origin's certificate, not the proxy's name") {
  // The certificate names localhost and 127.0.0.1 (where the proxy is), not graph.test.
  TlsOrigin origin({test_ca().server_cert, test_ca().server_key});
  ConnectProxy proxy(origin.port());
  auto transport = xtsync::http::make_beast_transport(through(proxy_at(proxy.port())));

  const auto message =
      failure_of([&] { transport->send(get("https://graph.test:" + std::to_string(origin.port()) + "/")); });
  CHECK(contains(message, "hostname mismatch"));
  CHECK(contains(message, "through the proxy at 127.0.0.1:" + std::to_string(proxy.port())));
  CHECK(origin.server_names(1) == std::vector<std::string>{"graph.test"});
}

TEST_CASE("http::BeastTransport explains a proxy that wants authentication, never quoting credentials") {
  const std::string refusal =
      "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\n"
      "Content-Length: 6\r\n\r\ndenied";
  ConnectProxy proxy(1, ConnectProxy::Mode::reply, refusal);
  const std::string where = "the proxy at 127.0.0.1:" + std::to_string(proxy.port());

  auto anonymous = xtsync::http::make_beast_transport(through(proxy_at(proxy.port())));
  auto message = failure_of([&] { anonymous->send(get("https://graph.test/v1.0/")); });
  CHECK(contains(message, where + " requires authentication (407)"));
  CHECK(contains(message, "HTTPS_PROXY as http://user:password@host:port"));

  auto wrong = xtsync::http::make_beast_transport(through(proxy_at(proxy.port(), "user", "s3cret-canary")));
  message = failure_of([&] { wrong->send(get("https://graph.test/v1.0/")); });
  CHECK(contains(message, where + " rejected the credentials"));
  CHECK_FALSE(contains(message, "s3cret"));
  CHECK_FALSE(contains(message, "dXNlcjpzM2NyZXQtY2FuYXJ5"));  // base64 of user:s3cret-canary
  REQUIRE(proxy.seen().size() == 2);
  CHECK(proxy.seen()[1].authorization == "Basic dXNlcjpzM2NyZXQtY2FuYXJ5");
}

TEST_CASE("http::BeastTransport reports a proxy that refuses the tunnel") {
  ConnectProxy proxy(1, ConnectProxy::Mode::reply,
                     "HTTP/1.1 403 Forbidden\r\nContent-Length: 9\r\n\r\nforbidden");
  auto transport = xtsync::http::make_beast_transport(through(proxy_at(proxy.port())));
  const auto message = failure_of([&] { transport->send(get("https://graph.test/v1.0/")); });
  CHECK(message == "the proxy at 127.0.0.1:" + std::to_string(proxy.port()) +
                       " refused to open a tunnel to graph.test:443: 403 Forbidden");
}

TEST_CASE("http::BeastTransport reports a proxy that cannot be reached or does not answer") {
  const std::uint16_t closed_port = xtsync::testing::unused_port();
  auto refused = xtsync::http::make_beast_transport(through(proxy_at(closed_port)));
  auto message = failure_of([&] { refused->send(get("https://graph.test/v1.0/")); });
  CHECK(contains(message, "cannot connect to the proxy at 127.0.0.1:" + std::to_string(closed_port)));

  ConnectProxy closing(1, ConnectProxy::Mode::close);
  auto transport = xtsync::http::make_beast_transport(through(proxy_at(closing.port())));
  message = failure_of([&] { transport->send(get("https://graph.test/v1.0/")); });
  CHECK(contains(message, "closed the connection instead of answering CONNECT graph.test:443"));

  ConnectProxy silent(1, ConnectProxy::Mode::hang);
  auto waiting = xtsync::http::make_beast_transport(through(proxy_at(silent.port()), 300ms));
  const auto start = std::chrono::steady_clock::now();
  message = failure_of([&] { waiting->send(get("https://graph.test/v1.0/")); });
  CHECK(contains(message, "timed out after 0.3 s waiting for the proxy at 127.0.0.1:" +
                              std::to_string(silent.port()) + " to open a tunnel to graph.test:443"));
  CHECK(std::chrono::steady_clock::now() - start < 2s);
}

TEST_CASE("http::BeastTransport refuses bytes a proxy sends after accepting the tunnel") {
  ConnectProxy proxy(1, ConnectProxy::Mode::reply, "HTTP/1.1 200 Connection established\r\n\r\nJUNK");
  auto transport = xtsync::http::make_beast_transport(through(proxy_at(proxy.port())));
  const auto message = failure_of([&] { transport->send(get("https://graph.test/v1.0/")); });
  // Normally caught before TLS starts; should the bytes arrive late, the handshake fails instead.
  CHECK(contains(message, "the proxy at 127.0.0.1:" + std::to_string(proxy.port())));
  CHECK((contains(message, "sent 4 unexpected bytes after accepting the tunnel") ||
         contains(message, "TLS handshake")));
}

TEST_CASE("http::BeastTransport sends plain http to a proxy in absolute form") {
  ConnectProxy proxy(1);
  auto transport = xtsync::http::make_beast_transport(through(proxy_at(proxy.port(), "u", "p")));
  const Response response = transport->send(get("http://127.0.0.1:9/v1.0/x?y=1"));
  CHECK(response.body == "proxied");
  const auto seen = proxy.seen();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].method == "GET");
  CHECK(seen[0].target == "http://127.0.0.1:9/v1.0/x?y=1");
  CHECK(seen[0].host == "127.0.0.1:9");
  CHECK(seen[0].authorization == "Basic dTpw");
}

TEST_CASE("http::BeastTransport connects directly when the environment's proxy excludes the host") {
  TlsOrigin origin({test_ca().server_cert, test_ca().server_key});
  ConnectProxy proxy(origin.port());
  const std::string proxy_url = "http://127.0.0.1:" + std::to_string(proxy.port());
  const auto env = std::make_shared<xtsync::http::ProxyEnvironment>(
      xtsync::http::read_proxy_environment([&](const std::string& name) -> std::optional<std::string> {
        if (name == "HTTPS_PROXY") return proxy_url;
        if (name == "NO_PROXY") return "graph.test";
        return std::nullopt;
      }));
  auto options = through(std::nullopt);
  options.proxy = [env](const Url& url) { return env->select(url); };
  auto transport = xtsync::http::make_beast_transport(options);

  // Loopback (the emulator) is never proxied.
  CHECK(transport->send(get("https://localhost:" + std::to_string(origin.port()) + "/")).body == "ok");
  CHECK(transport->send(get("https://127.0.0.1:" + std::to_string(origin.port()) + "/")).body == "ok");
  CHECK(proxy.connections() == 0);
  CHECK(origin.connections() == 2);
}

TEST_SUITE_END();
