// lib/http/beast/beast_transport.cpp against small loopback servers (plain and TLS) in this process.
#include <doctest/doctest.h>
#include <openssl/ssl.h>

#include <boost/beast/http/field.hpp>
#include <chrono>
#include <fstream>
#include <functional>
#include <thread>

#include "error.hpp"
#include "http/beast/beast_transport.hpp"
#include "http/beast/wire.hpp"
#include "support/loopback_server.hpp"
#include "support/test_ca.hpp"

namespace {

namespace bhttp = boost::beast::http;
using namespace std::chrono_literals;
using xtsync::Error;
using xtsync::ErrorKind;
using xtsync::http::TransportOptions;
using xtsync::http::Request;
using xtsync::http::Response;
using xtsync::testing::contains;
using xtsync::testing::failure_of;
using xtsync::testing::FullListener;
using xtsync::testing::LoopbackServer;
using xtsync::testing::ok;
using xtsync::testing::Peer;
using xtsync::testing::serve_ok;
using xtsync::testing::ServerTls;

TransportOptions quick(std::chrono::milliseconds connect = 2s, std::chrono::milliseconds request = 2s) {
  TransportOptions options;
  options.connect_timeout = connect;
  options.request_timeout = request;
  return options;
}

Request get(const std::string& url) {
  return Request{"GET", url, {}, {}};
}

const xtsync::test::TestCa& test_ca() {
  static const xtsync::test::TestCa ca = xtsync::test::make_test_ca();
  return ca;
}

TransportOptions trusting_test_ca() {
  auto options = quick();
  options.ca_file = test_ca().ca_cert;
  return options;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_SUITE_BEGIN("http");

TEST_CASE("http::BeastTransport sends the request and returns the response as received") {
  LoopbackServer server([](Peer& peer, int) {
    while (peer.read_request()) {
      peer.write(
          "HTTP/1.1 201 Created Nicely\r\nZ-Last: 1\r\nA-First: 2\r\nZ-Last: 3\r\nContent-Length: "
          "5\r\n\r\nhello");
    }
  });
  auto transport = xtsync::http::make_beast_transport(quick());

  Request request{"PUT",
                  server.url("/v1.0/items/1?x=a%20b"),
                  {{"Accept", "application/json"}, {"X-Trace", "t1"}},
                  R"({"a":1})"};
  const Response response = transport->send(request);

  CHECK(response.status == 201);
  CHECK(response.reason == "Created Nicely");
  CHECK(response.body == "hello");
  REQUIRE(response.headers.size() == 4);
  CHECK(response.headers[0].name == "Z-Last");
  CHECK(response.headers[0].value == "1");
  CHECK(response.headers[1].name == "A-First");
  CHECK(response.headers[2].value == "3");
  CHECK(response.headers[3].name == "Content-Length");

  const auto seen = server.requests();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].method == "PUT");
  CHECK(seen[0].target == "/v1.0/items/1?x=a%20b");
  CHECK(seen[0].version == 11);
  CHECK(seen[0].header("Host") == "127.0.0.1:" + std::to_string(server.port()));
  CHECK(seen[0].header("Content-Length") == "7");
  CHECK(seen[0].header("X-Trace") == "t1");
  CHECK(seen[0].header("Accept") == "application/json");
  CHECK(seen[0].body == R"({"a":1})");
  // The transport adds no credentials or user agent: that is the client's job.
  CHECK(!seen[0].has_header("Authorization"));
  CHECK(!seen[0].has_header("User-Agent"));
}

TEST_CASE("http::BeastTransport sends Content-Length only for bodies and methods that take one") {
  LoopbackServer server(serve_ok);
  auto transport = xtsync::http::make_beast_transport(quick());

  transport->send(get(server.url()));
  transport->send(Request{"POST", server.url(), {}, {}});
  transport->send(Request{"DELETE", server.url(), {{"Content-Length", "99"}, {"Host", "evil"}}, {}});

  const auto seen = server.requests();
  REQUIRE(seen.size() == 3);
  CHECK(!seen[0].has_header("Content-Length"));
  CHECK(seen[1].header("Content-Length") == "0");
  // Framing headers are the transport's: a caller's copy is not sent.
  CHECK(!seen[2].has_header("Content-Length"));
  CHECK(seen[2].header("Host") == "127.0.0.1:" + std::to_string(server.port()));
  CHECK(server.connections() == 1);
}

TEST_CASE("http::BeastTransport keeps the connection alive between requests") {
  LoopbackServer server(serve_ok);
  auto transport = xtsync::http::make_beast_transport(quick());

  CHECK(transport->send(get(server.url("/a"))).body == "ok");
  CHECK(transport->send(get(server.url("/b"))).body == "ok");
  CHECK(server.connections() == 1);

  SUBCASE("until reset_connection() drops it") {
    transport->reset_connection();
    transport->send(get(server.url("/c")));
    CHECK(server.connections() == 2);
  }
  SUBCASE("but not across origins") {
    LoopbackServer other(serve_ok);
    transport->send(get(other.url()));
    transport->send(get(server.url()));
    CHECK(other.connections() == 1);
    CHECK(server.connections() == 2);
  }
}

TEST_CASE("http::BeastTransport opens a new connection after Connection: close") {
  LoopbackServer server([](Peer& peer, int) {
    if (peer.read_request()) peer.write(ok("bye", "Connection: close\r\n"));
  });
  auto transport = xtsync::http::make_beast_transport(quick());

  CHECK(transport->send(get(server.url())).body == "bye");
  CHECK(transport->send(get(server.url())).body == "bye");
  CHECK(server.connections() == 2);
}

TEST_CASE("http::BeastTransport reads an HTTP/1.0 body to the end and does not reuse the connection") {
  LoopbackServer server([](Peer& peer, int) {
    if (peer.read_request()) peer.write("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");
  });
  auto transport = xtsync::http::make_beast_transport(quick());

  CHECK(transport->send(get(server.url())).body == "until the end");
  CHECK(transport->send(get(server.url())).body == "until the end");
  CHECK(server.connections() == 2);
}

TEST_CASE("http::BeastTransport reconnects when the server closed the idle connection") {
  // Answers once, then closes without saying so, like a server's idle timeout.
  LoopbackServer server([](Peer& peer, int) {
    if (peer.read_request()) peer.write(ok());
  });
  auto transport = xtsync::http::make_beast_transport(quick());

  transport->send(get(server.url()));
  REQUIRE(server.wait_finished(1));
  // Found closed before sending, so even a POST goes out once, on a new connection.
  CHECK(transport->send(Request{"POST", server.url(), {}, "{}"}).status == 200);
  CHECK(server.connections() == 2);
  CHECK(server.requests().size() == 2);
}

TEST_CASE("http::BeastTransport never resends on its own when a reused connection dies unanswered") {
  // Before, a GET (or PUT, DELETE) was silently sent again on a new connection: invisible in
  // --debug, outside --max-retries, and a second write if the server had acted before dying.
  // Now the transport says what happened and the request path decides.
  // The first connection answers one request, then reads the next and hangs up without answering.
  LoopbackServer server([](Peer& peer, int index) {
    if (index == 0) {
      if (peer.read_request()) peer.write(ok("first"));
      peer.read_request();
      return;
    }
    serve_ok(peer, index);
  });
  auto transport = xtsync::http::make_beast_transport(quick());
  transport->send(get(server.url()));

  std::string method;
  SUBCASE("GET") { method = "GET"; }
  SUBCASE("PUT") { method = "PUT"; }
  SUBCASE("POST") { method = "POST"; }
  try {
    transport->send(Request{method, server.url(), {}, "{}"});
    FAIL("expected a network error");
  } catch (const xtsync::Error& e) {
    CHECK(e.kind() == xtsync::ErrorKind::network);
    CHECK(e.delivery == xtsync::Error::Delivery::stale_connection);
    CHECK(contains(e.what(), "kept-alive connection"));
  }
  CHECK(server.connections() == 1);
}

TEST_CASE("http::BeastTransport never resends on a fresh connection") {
  LoopbackServer server([](Peer& peer, int) { peer.read_request(); });
  auto transport = xtsync::http::make_beast_transport(quick());

  const auto message = failure_of([&] { transport->send(get(server.url())); });
  CHECK(message == "the connection to 127.0.0.1:" + std::to_string(server.port()) +
                       " was closed before a response arrived");
  CHECK(server.connections() == 1);
}

TEST_CASE("http::BeastTransport decodes chunked responses and skips interim 1xx responses") {
  LoopbackServer server([](Peer& peer, int) {
    if (peer.read_request()) {
      peer.write(
          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n "
          "world\r\n0\r\n\r\n");
    }
    if (peer.read_request()) {
      peer.write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n" + ok("final"));
    }
    peer.drain();
  });
  auto transport = xtsync::http::make_beast_transport(quick());

  CHECK(transport->send(get(server.url())).body == "hello world");
  const Response response = transport->send(get(server.url()));
  CHECK(response.status == 200);
  CHECK(response.body == "final");
  CHECK(server.connections() == 1);
}

TEST_CASE("http::BeastTransport returns HEAD responses without waiting for a body") {
  LoopbackServer server([](Peer& peer, int) {
    while (peer.read_request()) peer.write("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n");
  });
  auto transport = xtsync::http::make_beast_transport(quick());

  const Response response = transport->send(Request{"HEAD", server.url(), {}, {}});
  CHECK(response.status == 200);
  CHECK(response.body.empty());
  CHECK(response.header("content-length") == "1234");
  transport->send(Request{"HEAD", server.url(), {}, {}});
  CHECK(server.connections() == 1);
}

TEST_CASE("http::BeastTransport reports broken responses as network errors") {
  std::string reply;
  SUBCASE("truncated body") {
    reply = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part";
  }
  SUBCASE("truncated chunked body") {
    reply = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc";
  }
  SUBCASE("truncated headers") {
    reply = "HTTP/1.1 200 OK\r\nContent-Len";
  }
  CAPTURE(reply);
  LoopbackServer server([&](Peer& peer, int) {
    if (peer.read_request()) peer.write(reply);
  });
  auto transport = xtsync::http::make_beast_transport(quick());

  const auto message = failure_of([&] { transport->send(get(server.url())); });
  CHECK(message == "the connection to 127.0.0.1:" + std::to_string(server.port()) +
                       " was closed before the response was complete");
}

TEST_CASE("http::BeastTransport rejects malformed framing") {
  std::string reply;
  SUBCASE("status line") {
    reply = "HTTP/1.1 abc OK\r\nContent-Length: 0\r\n\r\n";
  }
  SUBCASE("not HTTP at all") {
    reply = "SSH-2.0-OpenSSH_9.2\r\n\r\n";
  }
  SUBCASE("invalid chunk size") {
    reply = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n";
  }
  SUBCASE("conflicting Content-Length") {
    reply = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc";
  }
  SUBCASE("Content-Length with chunked") {
    reply = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
  }
  // Transfer-Encoding must be a list of codings ending in chunked, exactly (RFC 9112 §6.1).
  SUBCASE("chunked, then another coding") {
    reply = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
  }
  SUBCASE("a coding that only contains chunked") {
    reply = "HTTP/1.1 200 OK\r\nTransfer-Encoding: xchunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
  }
  SUBCASE("an empty coding in the list") {
    reply = "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip,,chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
  }
  SUBCASE("garbage around chunked") {
    reply = "HTTP/1.1 200 OK\r\nTransfer-Encoding: \"chunked\"\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
  }
  CAPTURE(reply);
  LoopbackServer server([&](Peer& peer, int) {
    if (peer.read_request()) peer.write(reply);
    peer.drain();
  });
  auto transport = xtsync::http::make_beast_transport(quick());

  const auto message = failure_of([&] { transport->send(get(server.url())); });
  CHECK(contains(message, "malformed response from 127.0.0.1:" + std::to_string(server.port()) + ": "));
}

TEST_CASE("http::BeastTransport limits the size of responses") {
  auto options = quick();
  options.max_body_size = 1024;
  std::string reply;
  std::string expected;
  SUBCASE("headers over 64 KiB") {
    reply = "HTTP/1.1 200 OK\r\nX-Big: " + std::string(70 * 1024, 'a') + "\r\nContent-Length: 0\r\n\r\n";
    expected = "the response headers from 127.0.0.1:{port} exceed 64 KiB";
  }
  SUBCASE("declared body over the limit") {
    reply = ok(std::string(2048, 'b'));
    expected = "the response body from 127.0.0.1:{port} exceeds 1 KiB";
  }
  SUBCASE("chunked body over the limit") {
    reply = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 3; ++i) reply += "200\r\n" + std::string(512, 'c') + "\r\n";
    reply += "0\r\n\r\n";
    expected = "the response body from 127.0.0.1:{port} exceeds 1 KiB";
  }
  LoopbackServer server([&](Peer& peer, int) {
    if (peer.read_request()) peer.write(reply);
    peer.drain();
  });
  expected.replace(expected.find("{port}"), 6, std::to_string(server.port()));
  auto transport = xtsync::http::make_beast_transport(options);

  CHECK(failure_of([&] { transport->send(get(server.url())); }) == expected);
}

TEST_CASE("http::BeastTransport accepts a body at the size limit") {
  auto options = quick();
  options.max_body_size = 1024;
  LoopbackServer server([](Peer& peer, int) {
    if (peer.read_request()) peer.write(ok(std::string(1024, 'd')));
  });
  auto transport = xtsync::http::make_beast_transport(options);
  CHECK(transport->send(get(server.url())).body.size() == 1024);
}

TEST_CASE("http::BeastTransport reports a refused connection") {
  const std::uint16_t port = xtsync::testing::unused_port();
  auto transport = xtsync::http::make_beast_transport(quick());

  const auto message =
      failure_of([&] { transport->send(get("http://127.0.0.1:" + std::to_string(port) + "/")); });
  CHECK(contains(message, "cannot connect to 127.0.0.1:" + std::to_string(port) + ": "));
  CHECK(contains(message, "refused"));
}

TEST_CASE("http::BeastTransport resolves host names, but speaks plain HTTP only to loopback") {
  LoopbackServer server(serve_ok);
  auto transport = xtsync::http::make_beast_transport(quick());
  CHECK(transport->send(get(server.url("/", "localhost"))).status == 200);
  CHECK(server.requests().at(0).header("Host") == "localhost:" + std::to_string(server.port()));

  // Refused before any lookup or connection.
  const auto message =
      failure_of([&] { transport->send(get("http://graph.test/v1.0/me")); }, ErrorKind::usage);
  CHECK(contains(message, "plain http://"));
}

TEST_CASE("http::BeastTransport gives up on a server that never answers") {
  LoopbackServer server([](Peer& peer, int) {
    peer.read_request();
    peer.drain();
  });
  auto transport = xtsync::http::make_beast_transport(quick(2s, 300ms));

  const auto start = std::chrono::steady_clock::now();
  const auto message = failure_of([&] { transport->send(get(server.url())); });
  CHECK(message ==
        "timed out after 0.3 s waiting for a response from 127.0.0.1:" + std::to_string(server.port()));
  CHECK(seconds_since(start) >= 0.25);
  CHECK(seconds_since(start) < 2.0);
}

TEST_CASE("http::BeastTransport bounds the whole response, however slowly it drips") {
  LoopbackServer server([](Peer& peer, int) {
    if (!peer.read_request()) return;
    peer.write("HTTP/1.1 200 OK\r\nContent-Length: 200\r\n\r\n");
    for (int i = 0; i < 200 && peer.write("x"); ++i) std::this_thread::sleep_for(20ms);
  });
  auto transport = xtsync::http::make_beast_transport(quick(2s, 400ms));

  const auto start = std::chrono::steady_clock::now();
  const auto message = failure_of([&] { transport->send(get(server.url())); });
  CHECK(contains(message, "timed out after 0.4 s"));
  CHECK(seconds_since(start) < 1.5);
}

TEST_CASE("http::BeastTransport bounds connecting") {
  SUBCASE("TCP connect to a listener whose queue is full") {
    // Linux drops SYNs once the accept queue (backlog 0: one connection) is full.
    LoopbackServer server(serve_ok);
    FullListener full;
    const auto port = std::to_string(full.port());
    auto transport = xtsync::http::make_beast_transport(quick(300ms, 2s));

    const auto start = std::chrono::steady_clock::now();
    const auto message = failure_of([&] { transport->send(get("http://127.0.0.1:" + port + "/")); });
    CHECK(message == "timed out after 0.3 s connecting to 127.0.0.1:" + port);
    CHECK(seconds_since(start) < 2.0);
  }
  SUBCASE("TLS handshake with a server that never speaks") {
    LoopbackServer server([](Peer& peer, int) { peer.drain(); });
    auto options = trusting_test_ca();
    options.connect_timeout = 300ms;
    auto transport = xtsync::http::make_beast_transport(options);

    const auto start = std::chrono::steady_clock::now();
    const auto message =
        failure_of([&] { transport->send(get("https://127.0.0.1:" + std::to_string(server.port()) + "/")); });
    CHECK(message ==
          "timed out after 0.3 s during the TLS handshake with 127.0.0.1:" + std::to_string(server.port()));
    CHECK(seconds_since(start) < 2.0);
  }
}

TEST_CASE("http::BeastTransport names the host as HTTP/1.1 wants") {
  using xtsync::http::parse_url;
  using xtsync::http::detail::to_wire_request;
  const auto host_for = [](const std::string& url) {
    return std::string(to_wire_request(get(url), parse_url(url))[bhttp::field::host]);
  };
  CHECK(host_for("https://graph.microsoft.com/v1.0/me") == "graph.microsoft.com");
  CHECK(host_for("https://graph.microsoft.com:8443/v1.0/me") == "graph.microsoft.com:8443");
  CHECK(host_for("http://127.0.0.1/") == "127.0.0.1");
  CHECK(host_for("http://[::1]:8080/") == "[::1]:8080");
  CHECK(host_for("https://[::1]/") == "[::1]");
  CHECK(xtsync::http::detail::authority(parse_url("https://[::1]/")) == "[::1]:443");
}

TEST_CASE("http::BeastTransport refuses requests that would break the framing") {
  auto transport = xtsync::http::make_beast_transport(quick());
  const std::string url = "http://127.0.0.1:9/";

  auto message = failure_of(
      [&] {
        transport->send(Request{"GET", url, {{"Authorization", "Bearer secret\r\nX-Injected: 1"}}, {}});
      },
      ErrorKind::usage);
  CHECK(contains(message, "Authorization"));
  CHECK(!contains(message, "secret"));

  message = failure_of(
      [&] {
        transport->send(Request{"GET", url, {{"Bad Name", "x"}}, {}});
      },
      ErrorKind::usage);
  CHECK(contains(message, "Bad Name"));
  failure_of([&] { transport->send(Request{"GET /x", url, {}, {}}); }, ErrorKind::usage);
  failure_of([&] { transport->send(get("ftp://127.0.0.1/")); }, ErrorKind::usage);
}

TEST_CASE("http::BeastTransport speaks TLS to a server the CA file vouches for") {
  const auto& ca = test_ca();
  LoopbackServer server(serve_ok, ServerTls{ca.server_cert, ca.server_key});
  auto transport = xtsync::http::make_beast_transport(trusting_test_ca());

  SUBCASE("by host name, sending SNI and keeping the connection") {
    CHECK(transport->send(get(server.url("/", "localhost"))).body == "ok");
    CHECK(transport->send(get(server.url("/", "localhost"))).body == "ok");
    CHECK(server.connections() == 1);
    CHECK(server.server_names() == std::vector<std::string>{"localhost"});
  }
  SUBCASE("by IP address, without SNI") {
    CHECK(transport->send(get(server.url())).body == "ok");
    CHECK(server.server_names() == std::vector<std::string>{""});
  }
}

TEST_CASE("http::BeastTransport reconnects when a TLS server closed the idle connection") {
  const auto& ca = test_ca();
  LoopbackServer server(
      [](Peer& peer, int) {
        if (peer.read_request()) peer.write(ok());
      },
      ServerTls{ca.server_cert, ca.server_key});
  auto transport = xtsync::http::make_beast_transport(trusting_test_ca());

  transport->send(get(server.url()));
  REQUIRE(server.wait_finished(1));
  CHECK(transport->send(get(server.url())).status == 200);
  CHECK(server.connections() == 2);
}

TEST_CASE("http::BeastTransport tells a TLS close after the response from one inside it") {
  // The server closes TCP without a TLS close_notify in both cases. After a complete response that
  // is harmless, since HTTP framing already says where the message ends; inside one it is not.
  const auto& ca = test_ca();
  std::string reply;
  bool complete = false;
  SUBCASE("after") {
    reply = ok("done", "Connection: close\r\n"), complete = true;
  }
  SUBCASE("inside") {
    reply = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part";
  }
  LoopbackServer server(
      [&](Peer& peer, int) {
        if (peer.read_request()) peer.write(reply);
      },
      ServerTls{ca.server_cert, ca.server_key});
  auto transport = xtsync::http::make_beast_transport(trusting_test_ca());

  if (complete) {
    CHECK(transport->send(get(server.url())).body == "done");
  } else {
    const auto message = failure_of([&] { transport->send(get(server.url())); });
    CHECK(message == "the connection to 127.0.0.1:" + std::to_string(server.port()) +
                         " was closed before the response was complete");
  }
}

TEST_CASE("http::BeastTransport accepts TLS 1.2 and TLS 1.3 but nothing older") {
  const auto& ca = test_ca();
  auto transport = xtsync::http::make_beast_transport(trusting_test_ca());

  LoopbackServer tls13(serve_ok, ServerTls{ca.server_cert, ca.server_key, TLS1_3_VERSION, TLS1_3_VERSION});
  CHECK(transport->send(get(tls13.url())).status == 200);

  LoopbackServer tls12(serve_ok, ServerTls{ca.server_cert, ca.server_key, TLS1_2_VERSION, TLS1_2_VERSION});
  CHECK(transport->send(get(tls12.url())).status == 200);

  LoopbackServer tls11(serve_ok, ServerTls{ca.server_cert, ca.server_key, TLS1_1_VERSION, TLS1_1_VERSION});
  const auto message = failure_of([&] { transport->send(get(tls11.url())); });
  CHECK(contains(message, "TLS handshake with 127.0.0.1:" + std::to_string(tls11.port()) + " failed: "));
}

TEST_CASE("http::BeastTransport rejects servers it cannot verify") {
  const auto& ca = test_ca();
  std::string cert, key, host, reason;
  auto options = trusting_test_ca();
  SUBCASE("unknown CA") {
    cert = ca.server_cert, key = ca.server_key, host = "localhost";
    options.ca_file.clear();
    reason = "certificate verify failed: unable to get local issuer certificate";
  }
  SUBCASE("self-signed") {
    cert = ca.untrusted_cert, key = ca.untrusted_key, host = "localhost";
    reason = "certificate verify failed: self-signed certificate";
  }
  SUBCASE("wrong host name") {
    cert = ca.wrong_host_cert, key = ca.wrong_host_key, host = "localhost";
    reason = "certificate verify failed: hostname mismatch";
  }
  SUBCASE("wrong IP address") {
    cert = ca.wrong_host_cert, key = ca.wrong_host_key, host = "127.0.0.1";
    reason = "certificate verify failed: IP address mismatch";
  }
  SUBCASE("expired") {
    cert = ca.expired_cert, key = ca.expired_key, host = "localhost";
    reason = "certificate verify failed: certificate has expired";
  }
  LoopbackServer server(serve_ok, ServerTls{cert, key});
  auto transport = xtsync::http::make_beast_transport(options);

  const auto message = failure_of([&] { transport->send(get(server.url("/", host))); });
  CHECK(message == "TLS handshake with " + host + ":" + std::to_string(server.port()) + " failed: " + reason);
  CHECK(server.requests().empty());

  // Only an unknown issuer is fixed by trusting another CA, so only then is --ca-file suggested.
  try {
    transport->send(get(server.url("/", host)));
  } catch (const Error& e) {
    CHECK(contains(e.hint, "--ca-file") == (contains(reason, "issuer") || contains(reason, "self-signed")));
  }
}

TEST_CASE("http::BeastTransport refuses an unusable CA file before connecting anywhere") {
  const auto& ca = test_ca();
  TransportOptions options;
  SUBCASE("missing") {
    options.ca_file = ca.dir + "/missing.pem";
  }
  SUBCASE("a directory") {
    options.ca_file = ca.dir;
  }
  SUBCASE("not PEM") {
    options.ca_file = ca.dir + "/garbage.pem";
    std::ofstream(options.ca_file) << "this is not a certificate\n";
  }
  SUBCASE("a key, not a certificate") {
    options.ca_file = ca.server_key;
  }
  CAPTURE(options.ca_file);

  // Port 1 on loopback has no listener: reaching the connect step would be a network error.
  auto transport = xtsync::http::make_beast_transport(options);
  const auto message = failure_of([&] { transport->send({"GET", "https://127.0.0.1:1/", {}, ""}); }, ErrorKind::usage);
  CHECK(contains(message, "'" + options.ca_file + "'"));
}

TEST_SUITE_END();

TEST_CASE("http::BeastTransport accepts a valid coding list that ends in chunked") {
  LoopbackServer server([](Peer& peer, int) {
    if (peer.read_request()) peer.write("HTTP/1.1 200 OK\r\nTransfer-Encoding:  Chunked \r\n\r\n2\r\nok\r\n0\r\n\r\n");
    peer.drain();
  });
  auto transport = xtsync::http::make_beast_transport(quick());
  CHECK(transport->send(get(server.url())).body == "ok");
}

TEST_CASE("http::BeastTransport returns an early answer (413) instead of the broken write") {
  // The server refuses the body as soon as it sees the headers and hangs up without reading
  // the rest. Before, the client reported "Broken pipe" (and the request path resent it).
  LoopbackServer server([](Peer& peer, int) {
    peer.write("HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  });
  auto transport = xtsync::http::make_beast_transport(quick());
  Request big{"PATCH", server.url(), {{"Content-Type", "application/json"}}, std::string(8 * 1024 * 1024, 'x')};
  CHECK(transport->send(big).status == 413);
  CHECK(server.connections() == 1);
}
