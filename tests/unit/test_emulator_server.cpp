// The real server on a loopback port, driven by a Beast client over TCP.
#include <doctest/doctest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <sstream>
#include <thread>

#include "emulator/emulator.hpp"
#include "emulator/server.hpp"
#include "test_emulator_helpers.hpp"

using namespace emutest;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

// The emulator serving on 127.0.0.1:<free port> from its own thread.
struct RunningServer {
  emu::Emulator emulator{emu::EmulatorOptions{}};
  std::ostringstream log;  // written by the server thread; read only after it stopped
  std::optional<emu::Server> server;
  std::thread thread;

  RunningServer() {
    emu::ServerOptions options;
    options.log = &log;
    server.emplace(emulator, options);
    thread = std::thread([this] { server->run(); });
  }
  ~RunningServer() { stop(); }

  void stop() {
    if (!thread.joinable()) return;
    server->stop();
    thread.join();
  }
};

// One client connection; every operation has a deadline so a broken server fails the test
// instead of hanging it.
struct Client {
  asio::io_context io;
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;

  explicit Client(std::uint16_t port) {
    beast::error_code result;
    stream.expires_after(5s);
    stream.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                         [&](beast::error_code ec) { result = ec; });
    run();
    REQUIRE_FALSE(result);
  }

  beast::error_code send(const bhttp::request<bhttp::string_body>& request) {
    beast::error_code result;
    stream.expires_after(5s);
    bhttp::async_write(stream, request, [&](beast::error_code ec, std::size_t) { result = ec; });
    run();
    return result;
  }

  beast::error_code receive(bhttp::response<bhttp::string_body>& response) {
    beast::error_code result;
    stream.expires_after(5s);
    bhttp::async_read(stream, buffer, response, [&](beast::error_code ec, std::size_t) { result = ec; });
    run();
    return result;
  }

  bhttp::response<bhttp::string_body> exchange(const bhttp::request<bhttp::string_body>& request) {
    bhttp::response<bhttp::string_body> response;
    REQUIRE_FALSE(send(request));
    REQUIRE_FALSE(receive(response));
    return response;
  }

  void run() {
    io.restart();
    io.run();
  }
};

bhttp::request<bhttp::string_body> graph_request(bhttp::verb verb, const std::string& target,
                                                 std::string body = {}) {
  bhttp::request<bhttp::string_body> request{verb, target, 11};
  request.set(bhttp::field::host, "127.0.0.1");
  request.set(bhttp::field::authorization, "Bearer emulator-token");
  if (!body.empty()) request.set(bhttp::field::content_type, "application/json");
  request.body() = std::move(body);
  request.prepare_payload();
  return request;
}

}  // namespace

TEST_SUITE_BEGIN("emulator");

TEST_CASE("emulator::Server keeps a connection alive across requests") {
  RunningServer running;
  REQUIRE(running.server->base_url() == "http://127.0.0.1:" + std::to_string(running.server->port()));
  Client client(running.server->port());

  const auto created = client.exchange(
      graph_request(bhttp::verb::post, k_partners, R"({"tenantId":")" + std::string(k_tenant) + R"("})"));
  CHECK(created.result_int() == 201);
  CHECK(created.keep_alive());
  CHECK(body_of({201, {}, {}, created.body()})
            .at("@odata.context")
            .as_string()
            .starts_with(running.server->base_url()));

  const auto listed = client.exchange(graph_request(bhttp::verb::get, k_partners));
  CHECK(listed.result_int() == 200);
  CHECK(listed[bhttp::field::content_type] ==
        "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8");
  CHECK_FALSE(listed["request-id"].empty());

  // The control API on the same connection: both Graph requests arrived over one TCP connection.
  const auto log = client.exchange(graph_request(bhttp::verb::get, "/_emulator/requests"));
  const auto entries = json::parse(log.body()).as_array();
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].at("connection") == entries[1].at("connection"));
  CHECK(entries[1].at("method") == "GET");

  running.stop();
  CHECK(running.log.str().find(" GET " + k_partners + " 200 ") != std::string::npos);
}

TEST_CASE("emulator::Server honours Connection: close") {
  RunningServer running;
  Client client(running.server->port());
  auto request = graph_request(bhttp::verb::get, "/_emulator/health");
  request.keep_alive(false);
  const auto response = client.exchange(request);
  CHECK(response.result_int() == 200);
  CHECK_FALSE(response.keep_alive());
  bhttp::response<bhttp::string_body> none;
  CHECK(client.receive(none) == bhttp::error::end_of_stream);
}

TEST_CASE("emulator::Server delays a request without holding up others") {
  RunningServer running;
  Client control(running.server->port());
  REQUIRE(control
              .exchange(graph_request(bhttp::verb::post, "/_emulator/faults",
                                      R"({"path":"partners","delayMs":600})"))
              .result_int() == 201);

  Client slow(running.server->port());
  const auto started = std::chrono::steady_clock::now();
  REQUIRE_FALSE(slow.send(graph_request(bhttp::verb::get, k_partners)));
  // Meanwhile another connection is answered at once.
  CHECK(control.exchange(graph_request(bhttp::verb::get, "/_emulator/health")).result_int() == 200);
  CHECK(std::chrono::steady_clock::now() - started < 500ms);
  bhttp::response<bhttp::string_body> delayed;
  REQUIRE_FALSE(slow.receive(delayed));
  CHECK(delayed.result_int() == 200);  // delayed, then handled normally
  CHECK(std::chrono::steady_clock::now() - started >= 600ms);
}

TEST_CASE("emulator::Server misbehaves as scripted") {
  RunningServer running;
  Client control(running.server->port());
  const auto add_fault = [&](const std::string& spec) {
    REQUIRE(control.exchange(graph_request(bhttp::verb::post, "/_emulator/faults", spec)).result_int() ==
            201);
  };

  SUBCASE("respond with a status and Retry-After") {
    add_fault(R"({"status":429,"retryAfter":"2"})");
    Client client(running.server->port());
    const auto throttled = client.exchange(graph_request(bhttp::verb::get, k_partners));
    CHECK(throttled.result_int() == 429);
    CHECK(throttled[bhttp::field::retry_after] == "2");
    CHECK(client.exchange(graph_request(bhttp::verb::get, k_partners)).result_int() == 200);
  }
  SUBCASE("close without a response") {
    add_fault(R"({"action":"close"})");
    Client client(running.server->port());
    REQUIRE_FALSE(client.send(graph_request(bhttp::verb::get, k_partners)));
    bhttp::response<bhttp::string_body> none;
    CHECK(client.receive(none) == bhttp::error::end_of_stream);
  }
  SUBCASE("close in the middle of the body") {
    add_fault(R"({"action":"close-mid-body"})");
    Client client(running.server->port());
    REQUIRE_FALSE(client.send(graph_request(bhttp::verb::get, k_partners)));
    bhttp::response<bhttp::string_body> partial;
    CHECK(client.receive(partial) == bhttp::error::partial_message);
  }
  SUBCASE("bodies over 1 MiB are refused") {
    Client client(running.server->port());
    const std::string huge = "{\"displayName\":\"" + std::string(emu::k_max_request_body, 'x') + "\"}";
    bhttp::response<bhttp::string_body> response;
    client.send(graph_request(bhttp::verb::post, k_partners, huge));  // the server may stop reading early
    REQUIRE_FALSE(client.receive(response));
    CHECK(response.result_int() == 413);
  }
}

TEST_CASE("emulator::Server's log shows neither query-string credentials nor Authorization") {
  RunningServer running;
  Client client(running.server->port());
  auto request = graph_request(bhttp::verb::get, k_partners + "?$select=tenantId&access_token=sekrit-1&client_secret=sekrit-2");
  request.set(bhttp::field::authorization, "Bearer sekrit-3");
  client.exchange(request);
  // The server logs a request after answering it; a second answer on the connection means it has.
  client.exchange(graph_request(bhttp::verb::get, "/_emulator/health"));
  running.stop();
  const std::string log = running.log.str();
  CHECK(log.find("access_token=REDACTED&client_secret=REDACTED") != std::string::npos);
  CHECK(log.find("$select=tenantId") != std::string::npos);
  CHECK(log.find("sekrit") == std::string::npos);
}

TEST_SUITE_END();
