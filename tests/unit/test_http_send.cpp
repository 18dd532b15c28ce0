// lib/http/send.cpp and redirect.cpp: the one request path, with a scripted transport.
#include <doctest/doctest.h>

#include "error.hpp"
#include "http/redirect.hpp"
#include "http/send.hpp"
#include "support/fake_transport.hpp"

using namespace xtsync;
using namespace xtsync::http;
using std::chrono::milliseconds;
using xtsync::testing::FakeTransport;

namespace {

std::string header_of(const Request& r, const char* name) {
  return find_header(r.headers, name).value_or("");
}

struct Path {
  FakeTransport transport;
  std::vector<milliseconds> waits;
  RetryPolicy policy;
  RetryBudget budget{std::chrono::minutes(5)};

  Exchange send(Request request, Idempotency idempotency = Idempotency::idempotent,
                TokenSource* bearer = nullptr) {
    return send_with_retries(
        transport, std::move(request), policy, {"do the thing", idempotency, bearer},
        [this](milliseconds d) { waits.push_back(d); }, budget);
  }
};

Request get(std::string url = "https://login.example.com/t/oauth2/v2.0/token") {
  return {"GET", std::move(url), {}, {}};
}
Request post(std::string url = "https://login.example.com/t/oauth2/v2.0/token") {
  return {"POST", std::move(url), {{"Content-Type", "application/x-www-form-urlencoded"}}, "grant_type=x"};
}

class Tokens final : public TokenSource {
 public:
  std::string access_token() override { return "tok"; }
  std::string describe() const override { return "test"; }
};

}  // namespace

TEST_SUITE_BEGIN("http");

TEST_CASE_FIXTURE(Path, "http::send_with_retries decorates every request once, in one place") {
  transport.respond(429, "", {{"Retry-After", "1"}}).respond(200, "{}");
  const auto exchange = send(post());
  REQUIRE(transport.requests.size() == 2);
  for (const auto& r : transport.requests) {
    CHECK(header_of(r, "User-Agent") == "xtsync/" XTSYNC_VERSION);
    CHECK(header_of(r, "Accept") == "application/json");
    CHECK(header_of(r, "Content-Type") == "application/x-www-form-urlencoded");  // the caller's is kept
    CHECK(header_of(r, "client-request-id") == exchange.client_request_id);
  }
  CHECK(header_of(transport.requests[0], "Retry-Attempt").empty());
  CHECK(header_of(transport.requests[1], "Retry-Attempt") == "1");
  CHECK(exchange.attempts == 2);
  CHECK(waits == std::vector<milliseconds>{milliseconds(1000)});
}

TEST_CASE_FIXTURE(Path, "http::send_with_retries: a POST whose answer was lost is not resent") {
  transport.fail("connection reset by peer");
  try {
    send(post(), Idempotency::not_idempotent);
    FAIL("expected the network error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::network);
  }
  CHECK(transport.requests.size() == 1);
  CHECK(waits.empty());
}

TEST_CASE_FIXTURE(Path,
                  "http::send_with_retries: an idempotent call survives a lost answer on a new connection") {
  transport.fail().respond(204);
  const auto exchange = send({"DELETE", "https://graph.example.com/x", {}, {}});
  CHECK(exchange.response.status == 204);
  CHECK(exchange.maybe_applied_before);  // the lost DELETE may have been carried out
  CHECK(transport.resets == 1);
}

TEST_CASE_FIXTURE(Path,
                  "http::send_with_retries: throttling that persists ends with the last answer and why") {
  policy.max_retries = 2;
  for (int i = 0; i < 3; ++i) transport.respond(503, "", {{"Retry-After", "0"}});
  const auto exchange = send(post(), Idempotency::not_idempotent);
  CHECK(exchange.response.status == 503);
  CHECK(exchange.gave_up == "gave up after 3 attempts");
  CHECK(transport.requests.size() == 3);
  CHECK(transport.resets == 2);  // every retry after a 503 goes out on a new connection
}

TEST_CASE_FIXTURE(Path, "http::send_with_retries: Ctrl-C during a wait says nothing more was sent") {
  transport.respond(429, "", {{"Retry-After", "5"}});
  try {
    send_with_retries(
        transport, get(), policy, {"read it", Idempotency::idempotent, nullptr},
        [](milliseconds) { throw Error(ErrorKind::interrupted, "interrupted"); }, budget);
    FAIL("expected an interrupt");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::interrupted);
    CHECK(std::string(e.what()).find("changed nothing") != std::string::npos);
  }
}

TEST_CASE_FIXTURE(Path,
                  "http::send_with_retries: credentials never follow a redirect off the call's origin") {
  Tokens tokens;
  Request request = get("https://token.actions.example.com/id?api-version=2.0");
  request.headers = {{"Authorization", "bearer github-request-token"}, {"X-IDENTITY-HEADER", "h"}};
  transport.respond(302, "", {{"Location", "https://elsewhere.example.net/id"}})
      .respond(302, "", {{"Location", "https://token.actions.example.com/back"}})
      .respond(200, "{}");
  send(request, Idempotency::idempotent, &tokens);
  REQUIRE(transport.requests.size() == 3);
  CHECK(header_of(transport.requests[0], "Authorization") == "Bearer tok");
  for (std::size_t i : {1u, 2u}) {
    CHECK(header_of(transport.requests[i], "Authorization").empty());
    CHECK(header_of(transport.requests[i], "X-IDENTITY-HEADER").empty());
  }
}

TEST_CASE("http::redirect_step") {
  const Url home = parse_url("https://graph.microsoft.com/beta/x");
  Request request{"PATCH",
                  "https://graph.microsoft.com/beta/x",
                  {{"Authorization", "Bearer t"}, {"Content-Type", "application/json"}},
                  "{}"};
  Response response;
  response.status = 200;
  CHECK_FALSE(redirect_step(request, response, home, "x"));
  response.status = 302;
  CHECK_FALSE(redirect_step(request, response, home, "x"));  // no Location
  SUBCASE("relative, same origin: credentials kept") {
    response.headers = {{"Location", "/beta/y"}};
    const auto step = redirect_step(request, response, home, "x");
    REQUIRE(step);
    CHECK(step->next.url == "https://graph.microsoft.com:443/beta/y");
    CHECK_FALSE(step->leaves_home);
    CHECK(find_header(step->next.headers, "Authorization"));
  }
  SUBCASE("303 becomes a GET without a body") {
    response.status = 303;
    response.headers = {{"Location", "https://graph.microsoft.com/beta/y"}};
    const auto step = redirect_step(request, response, home, "x");
    REQUIRE(step);
    CHECK(step->next.method == "GET");
    CHECK(step->next.body.empty());
    CHECK_FALSE(find_header(step->next.headers, "Content-Type"));
  }
  SUBCASE("refusals are the server's fault (exit 1), never a usage error") {
    for (const char* location : {"http://graph.microsoft.com/beta/y", "foo", "ftp://x/y", "http://[::1"}) {
      response.headers = {{"Location", location}};
      try {
        redirect_step(request, response, home, "update it");
        FAIL("expected a refusal for " << location);
      } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::failure);
        CHECK(std::string(e.what()).find("cannot update it") != std::string::npos);
      }
    }
  }
}

TEST_SUITE_END();

TEST_SUITE_BEGIN("http");

namespace {
// A transport whose first send finds its kept-alive connection closed, as the real one reports it.
class StaleOnce final : public Transport {
 public:
  Response send(const Request& request) override {
    sent.push_back(request);
    if (sent.size() == 1) {
      Error e(ErrorKind::network, "the kept-alive connection was closed before a response arrived");
      e.delivery = Error::Delivery::stale_connection;
      throw e;
    }
    Response r;
    r.status = 200;
    return r;
  }
  std::vector<Request> sent;
};
}  // namespace

TEST_CASE("http::send_with_retries: a stale kept-alive connection is retried visibly, and only when safe") {
  RetryPolicy policy;
  RetryBudget budget(std::chrono::minutes(1));
  std::vector<milliseconds> waits;
  const Sleeper sleep = [&](milliseconds d) { waits.push_back(d); };
  SUBCASE("a GET goes again at once, marked as a retry, counted against --max-retries") {
    StaleOnce transport;
    const auto exchange = send_with_retries(transport, get(), policy, {"read", Idempotency::idempotent}, sleep, budget);
    CHECK(exchange.attempts == 2);
    REQUIRE(transport.sent.size() == 2);
    CHECK(header_of(transport.sent[1], "Retry-Attempt") == "1");
    CHECK(waits == std::vector<milliseconds>{milliseconds(0)});
    StaleOnce no_retries;
    policy.max_retries = 0;
    CHECK_THROWS_AS(send_with_retries(no_retries, get(), policy, {"read"}, sleep, budget), Error);
  }
  SUBCASE("a POST is not: the server may have acted before it closed") {
    StaleOnce transport;
    CHECK_THROWS_AS(send_with_retries(transport, post(), policy, {"write", Idempotency::not_idempotent}, sleep, budget),
                    Error);
    CHECK(transport.sent.size() == 1);
  }
}

TEST_SUITE_END();
