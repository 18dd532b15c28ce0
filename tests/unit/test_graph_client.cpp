#include <doctest/doctest.h>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "auth/token_source.hpp"
#include "error.hpp"
#include "graph/client.hpp"
#include "support/fake_transport.hpp"

using namespace xtsync;
using namespace xtsync::graph;
using xtsync::testing::FakeTransport;
namespace json = boost::json;
using std::chrono::milliseconds;

namespace {

const std::string kTenant = "9c5d131d-b1c3-4fc4-9e3f-c6557947d551";
const std::string kRoot = "https://graph.microsoft.com";

class FixedToken final : public auth::TokenSource {
 public:
  std::string access_token() override { return "tok-123"; }
  std::string describe() const override { return "test"; }
};

struct ClientFixture {
  FakeTransport transport;
  FixedToken token;
  std::vector<milliseconds> waits;
  ClientOptions options() {
    ClientOptions o;
    o.graph_root = kRoot;
    o.sleep = [this](milliseconds d) { waits.push_back(d); };
    return o;
  }
  Client client() { return Client(transport, token, options()); }
  Client client(std::string version) {
    auto o = options();
    o.api_version = parse_api_version(version);
    return Client(transport, token, o);
  }
};

std::string header(const http::Request& r, const char* name) {
  return http::find_header(r.headers, name).value_or("");
}

ErrorKind kind_of(auto&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.kind();
  }
  FAIL("no xtsync::Error thrown");
  return ErrorKind::failure;
}

}  // namespace

TEST_SUITE_BEGIN("graph");

TEST_CASE_FIXTURE(ClientFixture, "graph::Client sends each seed method to its documented path") {
  auto c = client();
  SUBCASE("get") {
    transport.respond(200,
                      R"({"@odata.context":"x","tenantId":")" + kTenant + R"(","displayName":"Fabrikam"})");
    const auto p = c.get_policy(kTenant);
    CHECK(p.display_name.value == "Fabrikam");
    REQUIRE(transport.requests.size() == 1);
    const auto& r = transport.requests[0];
    CHECK(r.method == "GET");
    CHECK(r.url ==
          kRoot + "/beta/policies/crossTenantAccessPolicy/partners/" + kTenant + "/identitySynchronization");
    CHECK(header(r, "Authorization") == "Bearer tok-123");
    CHECK(header(r, "User-Agent") == "xtsync/" XTSYNC_VERSION);
    CHECK(header(r, "client-request-id").size() == 36);
    CHECK(r.body.empty());
  }
  SUBCASE("create is a PUT of the policy") {
    transport.respond(204);
    c.create_policy(kTenant, json::value_to<Policy>(json::parse(
                                 R"({"displayName":"F","userSyncInbound":{"isSyncAllowed":true}})")));
    const auto& r = transport.requests.at(0);
    CHECK(r.method == "PUT");
    CHECK(r.url.ends_with("/partners/" + kTenant + "/identitySynchronization"));
    CHECK(r.body == R"({"displayName":"F","userSyncInbound":{"isSyncAllowed":true}})");
    CHECK(header(r, "Content-Type") == "application/json");
  }
  SUBCASE("update is a PATCH, delete a DELETE") {
    transport.respond(204).respond(204);
    c.update_policy(kTenant, json::value_to<Policy>(json::parse(R"({"displayName":"G"})")));
    c.delete_policy(kTenant);
    CHECK(transport.requests.at(0).method == "PATCH");
    CHECK(transport.requests.at(0).body == R"({"displayName":"G"})");
    CHECK(transport.requests.at(1).method == "DELETE");
    CHECK(transport.requests.at(1).url.ends_with("/identitySynchronization"));
  }
  SUBCASE("deleted items: get, purge, restore") {
    transport.respond(200, R"({"tenantId":")" + kTenant + R"(","deletedDateTime":"2025-06-18T23:11:01Z"})")
        .respond(204)
        .respond(200, R"({"tenantId":")" + kTenant + R"(","displayName":null})");
    CHECK(c.get_deleted(kTenant).deleted_date_time.value == "2025-06-18T23:11:01Z");
    c.purge_deleted(kTenant);
    CHECK(c.restore_deleted(kTenant).tenant_id.value == kTenant);
    const std::string base = kRoot + "/beta/policies/deletedItems/crossTenantSyncPolicyPartners/" + kTenant;
    CHECK(transport.requests.at(0).url == base);
    CHECK(transport.requests.at(1).method == "DELETE");
    CHECK(transport.requests.at(1).url == base);
    CHECK(transport.requests.at(2).method == "POST");
    CHECK(transport.requests.at(2).url == base + "/restore");
    CHECK(transport.requests.at(2).body.empty());
  }
  SUBCASE("partner configuration") {
    transport.respond(404, R"({"error":{"code":"Request_ResourceNotFound","message":"nope"}})")
        .respond(201, "{}");
    CHECK_FALSE(c.partner_exists(kTenant));
    c.create_partner(kTenant);
    CHECK(transport.requests.at(0).url ==
          kRoot + "/beta/policies/crossTenantAccessPolicy/partners/" + kTenant);
    CHECK(transport.requests.at(1).method == "POST");
    CHECK(transport.requests.at(1).url == kRoot + "/beta/policies/crossTenantAccessPolicy/partners");
    CHECK(transport.requests.at(1).body == R"({"tenantId":")" + kTenant + R"("})");
  }
  CHECK(transport.exhausted());
}

TEST_CASE_FIXTURE(ClientFixture, "graph::Client v1.0 paths and beta-only calls") {
  auto c = client("v1.0");
  transport.respond(404, R"({"error":{"code":"Request_ResourceNotFound","message":"m"}})");
  CHECK_FALSE(c.find_policy(kTenant).has_value());
  CHECK(transport.requests.at(0).url.starts_with(kRoot + "/v1.0/policies/"));
  CHECK(kind_of([&] { c.list_deleted(); }) == ErrorKind::usage);
  CHECK(kind_of([&] { c.restore_deleted(kTenant); }) == ErrorKind::usage);
  CHECK(kind_of([&] { c.purge_deleted(kTenant); }) == ErrorKind::usage);
  CHECK(transport.requests.size() == 1);  // the refused calls sent nothing
}

TEST_CASE_FIXTURE(ClientFixture, "graph::Client::list_deleted follows every nextLink verbatim") {
  auto c = client();
  const std::string next1 =
      kRoot + "/beta/policies/deletedItems/crossTenantSyncPolicyPartners?$skiptoken=A%3D%3D";
  const std::string next2 = kRoot + "/beta/policies/deletedItems/crossTenantSyncPolicyPartners?$skiptoken=B";
  transport
      .respond(200, R"({"value":[{"tenantId":"a"},{"tenantId":"b"}],"@odata.nextLink":")" + next1 + R"("})")
      .respond(200, R"({"value":[],"@odata.nextLink":")" + next2 + R"("})")
      .respond(200, R"({"@odata.context":"c","value":[{"tenantId":"c"}]})");
  const auto items = c.list_deleted();
  REQUIRE(items.size() == 3);
  CHECK(items[2].tenant_id.value == "c");
  REQUIRE(transport.requests.size() == 3);
  CHECK(transport.requests[0].url == kRoot + "/beta/policies/deletedItems/crossTenantSyncPolicyPartners");
  CHECK(transport.requests[1].url == next1);
  CHECK(transport.requests[2].url == next2);
  CHECK(header(transport.requests[2], "Authorization") == "Bearer tok-123");
  // Each page is its own request with its own correlation id.
  CHECK(header(transport.requests[1], "client-request-id") !=
        header(transport.requests[2], "client-request-id"));
}

TEST_CASE_FIXTURE(ClientFixture, "graph::Client refuses unsafe or broken paging") {
  auto c = client();
  SUBCASE("a nextLink on another host never gets the token") {
    transport.respond(200, R"({"value":[],"@odata.nextLink":"https://evil.example.com/steal"})");
    CHECK(kind_of([&] { c.list_deleted(); }) == ErrorKind::failure);
    CHECK(transport.requests.size() == 1);
  }
  SUBCASE("a nextLink loop") {
    const std::string self = kRoot + "/beta/policies/deletedItems/crossTenantSyncPolicyPartners";
    transport.respond(200, R"({"value":[],"@odata.nextLink":")" + self + R"("})");
    CHECK(kind_of([&] { c.list_deleted(); }) == ErrorKind::failure);
  }
  SUBCASE("a server that always has another page is followed only up to max_pages") {
    auto o = options();
    o.max_pages = 5;
    Client bounded(transport, token, o);
    const std::string list = kRoot + "/beta/policies/deletedItems/crossTenantSyncPolicyPartners";
    for (int i = 1; i <= 6; ++i) {
      transport.respond(200, R"({"value":[],"@odata.nextLink":")" + list + "?$skiptoken=" + std::to_string(i) + R"("})");
    }
    std::string message;
    try {
      bounded.list_deleted();
    } catch (const xtsync::Error& e) {
      message = e.what();
      CHECK(e.kind() == ErrorKind::failure);
    }
    CHECK(message.find("more than 5 pages") != std::string::npos);
    CHECK(transport.requests.size() == 5);  // the sixth page is never asked for
    CHECK(ClientOptions{}.max_pages == 10000);  // the documented default
  }
  SUBCASE("a page without a value array") {
    transport.respond(200, R"({"items":[]})");
    CHECK(kind_of([&] { c.list_deleted(); }) == ErrorKind::failure);
  }
  SUBCASE("a body that is not JSON") {
    transport.respond(200, "<html>proxy</html>");
    CHECK(kind_of([&] { c.list_deleted(); }) == ErrorKind::failure);
  }
}

TEST_CASE_FIXTURE(ClientFixture, "graph::Client retries throttling and transient failures") {
  auto c = client();
  SUBCASE("429 with Retry-After, then success; same client-request-id, Retry-Attempt counts") {
    transport
        .respond(429, R"({"error":{"code":"TooManyRequests","message":"slow down"}})",
                 {{"Retry-After", "2.128"}})
        .respond(200, R"({"tenantId":"x"})");
    c.get_policy(kTenant);
    REQUIRE(waits.size() == 1);
    CHECK(waits[0] == milliseconds(2200));
    CHECK(header(transport.requests[0], "client-request-id") ==
          header(transport.requests[1], "client-request-id"));
    CHECK(header(transport.requests[0], "Retry-Attempt").empty());
    CHECK(header(transport.requests[1], "Retry-Attempt") == "1");
    CHECK(transport.resets == 0);
  }
  SUBCASE("503 opens a new connection before retrying") {
    transport.respond(503).respond(204);
    c.delete_policy(kTenant);
    CHECK(transport.resets == 1);
    CHECK(waits.size() == 1);
  }
  SUBCASE("throttled after all retries: exit code 6 and the attempt count") {
    for (int i = 0; i < 5; ++i) transport.respond(429, "", {{"Retry-After", "1"}});
    try {
      c.get_policy(kTenant);
      FAIL("expected an error");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::throttled);
      CHECK(exit_code(e.kind()) == 6);
      CHECK(std::string(e.what()).find("gave up after 5 attempts") != std::string::npos);
    }
    CHECK(transport.requests.size() == 5);
    CHECK(waits == std::vector<milliseconds>(4, milliseconds(1000)));
  }
  SUBCASE("a Retry-After beyond the limit fails at once") {
    transport.respond(429, "", {{"Retry-After", "3600"}});
    CHECK(kind_of([&] { c.get_policy(kTenant); }) == ErrorKind::throttled);
    CHECK(transport.requests.size() == 1);
    CHECK(waits.empty());
  }
  SUBCASE("409 Directory_ConcurrencyViolation is retried, other 409s are not") {
    transport.respond(409, R"({"error":{"code":"Directory_ConcurrencyViolation","message":"busy"}})")
        .respond(204);
    c.update_policy(kTenant, Policy{});
    CHECK(transport.requests.size() == 2);
    // A 409 "exists" to a create is read back first: here the policy holds other values.
    transport.respond(409, R"({"error":{"code":"Request_MultipleObjectsWithSameKeyValue","message":"exists"}})")
        .respond(200, R"({"tenantId":"x","displayName":"Other"})");
    const auto mine = json::value_to<Policy>(json::parse(R"({"displayName":"Mine"})"));
    CHECK(kind_of([&] { c.create_policy(kTenant, mine); }) == ErrorKind::conflict);
    CHECK(transport.requests.size() == 4);
  }
  SUBCASE("a lost connection is retried for GET but not for POST") {
    transport.fail().respond(200, R"({"tenantId":"x"})");
    c.get_policy(kTenant);
    CHECK(transport.requests.size() == 2);
    CHECK(transport.resets == 1);
    // The POST is not resent; the state is read back instead (here: not restored, and the
    // deleted copy is gone too, so whether it was applied cannot be told).
    transport.fail()
        .respond(404, R"({"error":{"code":"Request_ResourceNotFound","message":"m"}})")
        .respond(404, R"({"error":{"code":"Request_ResourceNotFound","message":"m"}})");
    CHECK(kind_of([&] { c.restore_deleted(kTenant); }) == ErrorKind::network);
    REQUIRE(transport.requests.size() == 5);
    CHECK(transport.requests[2].method == "POST");
    CHECK(transport.requests[3].method == "GET");
  }
  SUBCASE("other 4xx are never retried") {
    transport.respond(400, R"({"error":{"code":"BadRequest","message":"Property 'x' does not exist"}})");
    CHECK(kind_of([&] { c.update_policy(kTenant, Policy{}); }) == ErrorKind::failure);
    CHECK(transport.requests.size() == 1);
  }
}

TEST_CASE_FIXTURE(ClientFixture, "graph::Client refuses plain http to a remote host") {
  auto o = options();
  o.graph_root = "http://graph.microsoft.com";
  CHECK(kind_of([&] { Client(transport, token, o); }) == ErrorKind::usage);
  o.graph_root = "http://127.0.0.1:8080/";
  Client local(transport, token, o);
  CHECK(local.policy_url(kTenant) == "http://127.0.0.1:8080/beta/policies/crossTenantAccessPolicy/partners/" +
                                         kTenant + "/identitySynchronization");
}

TEST_SUITE_END();

namespace {
// A token source that hands out tok-1, tok-2, … and counts how often it was told to forget.
class RotatingTokens final : public auth::TokenSource {
 public:
  std::string access_token() override { return "tok-" + std::to_string(generation); }
  std::string describe() const override { return "rotating"; }
  void invalidate() override {
    ++generation;
    ++invalidations;
  }
  bool can_refresh() const override { return refreshable; }
  int generation = 1;
  int invalidations = 0;
  bool refreshable = true;
};
}  // namespace

TEST_CASE("graph::Client answers a claims challenge with one new token and one resend") {
  FakeTransport transport;
  RotatingTokens tokens;
  ClientOptions o;
  o.sleep = [](milliseconds) {};
  Client c(transport, tokens, o);
  const http::Headers challenge = {
      {"WWW-Authenticate",
       R"(Bearer realm="", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnt9fQ==")"}};
  const std::string denied =
      R"({"error":{"code":"InvalidAuthenticationToken","message":"Continuous access evaluation resulted in challenge"}})";

  SUBCASE("the resend with a new token succeeds") {
    transport.respond(401, denied, challenge).respond(200, R"({"tenantId":"x"})");
    c.get_policy(kTenant);
    REQUIRE(transport.requests.size() == 2);
    CHECK(header(transport.requests[0], "Authorization") == "Bearer tok-1");
    CHECK(header(transport.requests[1], "Authorization") == "Bearer tok-2");
    CHECK(tokens.invalidations == 1);
  }
  SUBCASE("a second challenge is final: no loop") {
    transport.respond(401, denied, challenge).respond(401, denied, challenge);
    CHECK(kind_of([&] { c.get_policy(kTenant); }) == ErrorKind::auth);
    CHECK(transport.requests.size() == 2);
    CHECK(tokens.invalidations == 1);
  }
  SUBCASE("a plain 401, or a token that cannot change, is not resent") {
    transport.respond(401, denied);
    CHECK(kind_of([&] { c.get_policy(kTenant); }) == ErrorKind::auth);
    tokens.refreshable = false;
    transport.respond(401, denied, challenge);
    CHECK(kind_of([&] { c.get_policy(kTenant); }) == ErrorKind::auth);
    CHECK(transport.requests.size() == 2);
    CHECK(tokens.invalidations == 0);
  }
}

TEST_CASE("auth::CachingTokenSource reuses a token until it nears expiry") {
  struct Counting final : auth::Credential {
    int* calls;
    std::chrono::system_clock::time_point* clock;
    explicit Counting(int* c, std::chrono::system_clock::time_point* t) : calls(c), clock(t) {}
    auth::AccessToken get_token() override {
      ++*calls;
      return {fmt::format("t{}", *calls), *clock + std::chrono::minutes(60)};
    }
    std::string name() const override { return "counting"; }
  };
  int calls = 0;
  auto now = std::chrono::system_clock::from_time_t(1'800'000'000);
  auth::CachingTokenSource source(std::make_unique<Counting>(&calls, &now), [&] { return now; });
  CHECK(source.access_token() == "t1");
  now += std::chrono::minutes(54);
  CHECK(source.access_token() == "t1");  // 6 minutes left: still good
  now += std::chrono::minutes(2);
  CHECK(source.access_token() == "t2");  // 4 minutes left: inside the margin
  source.invalidate();
  CHECK(source.access_token() == "t3");
  CHECK(source.describe() == "counting");
}

TEST_CASE_FIXTURE(ClientFixture, "graph::Client follows redirects carefully") {
  auto c = client();
  SUBCASE("same origin keeps the token; another origin never gets it") {
    transport.respond(307, "", {{"Location", "/beta/elsewhere"}})
        .respond(302, "", {{"Location", "https://cdn.example.net/policy"}})
        .respond(200, R"({"tenantId":"x"})");
    c.get_policy(kTenant);
    REQUIRE(transport.requests.size() == 3);
    CHECK(transport.requests[1].url == "https://graph.microsoft.com:443/beta/elsewhere");
    CHECK(header(transport.requests[1], "Authorization") == "Bearer tok-123");
    CHECK(transport.requests[2].url == "https://cdn.example.net/policy");
    CHECK(header(transport.requests[2], "Authorization").empty());
    CHECK(header(transport.requests[2], "Retry-Attempt").empty());  // a redirect is not a retry
  }
  SUBCASE("https to http is refused") {
    transport.respond(301, "", {{"Location", "http://graph.microsoft.com/beta/x"}});
    CHECK(kind_of([&] { c.get_policy(kTenant); }) == ErrorKind::failure);
    CHECK(transport.requests.size() == 1);
  }
  SUBCASE("at most five") {
    for (int i = 0; i < 6; ++i) transport.respond(302, "", {{"Location", "/beta/loop" + std::to_string(i)}});
    CHECK(kind_of([&] { c.get_policy(kTenant); }) == ErrorKind::failure);
    CHECK(transport.requests.size() == 6);
  }
  SUBCASE("303 turns a write into a GET without a body") {
    transport.respond(303, "", {{"Location", "/beta/result"}}).respond(200, "{}");
    c.update_policy(kTenant, json::value_to<Policy>(json::parse(R"({"displayName":"G"})")));
    CHECK(transport.requests[1].method == "GET");
    CHECK(transport.requests[1].body.empty());
  }
}

TEST_CASE_FIXTURE(ClientFixture, "graph::Client never applies a change twice") {
  auto c = client();
  SUBCASE("a resent DELETE that finds nothing counts as done") {
    transport.fail("connection reset by peer")
        .respond(404, R"({"error":{"code":"Request_ResourceNotFound","message":"m"}})");
    c.delete_policy(kTenant);
    CHECK(transport.requests.size() == 2);
  }
  SUBCASE("a first DELETE that finds nothing is still not found") {
    transport.respond(404, R"({"error":{"code":"Request_ResourceNotFound","message":"m"}})");
    CHECK(kind_of([&] { c.delete_policy(kTenant); }) == ErrorKind::not_found);
  }
  SUBCASE("a lost restore is read back, not resent") {
    transport.fail("connection reset by peer").respond(200, R"({"tenantId":")" + kTenant + R"("})");
    CHECK(c.restore_deleted(kTenant).tenant_id.value == kTenant);
    REQUIRE(transport.requests.size() == 2);
    CHECK(transport.requests[0].method == "POST");
    CHECK(transport.requests[1].method == "GET");
  }

  SUBCASE("a lost restore that did not happen is asked again, once: the deleted copy is still there") {
    transport.fail("connection reset by peer")
        .respond(404, R"({"error":{"code":"Request_ResourceNotFound","message":"m"}})")
        .respond(200, R"({"tenantId":")" + kTenant + R"("})")
        .respond(200, R"({"tenantId":")" + kTenant + R"("})");
    CHECK(c.restore_deleted(kTenant).tenant_id.value == kTenant);
    REQUIRE(transport.requests.size() == 4);
    CHECK(transport.requests[3].method == "POST");
  }
  SUBCASE("a lost create is read back: done when it shows what was sent") {
    const auto wanted =
        json::value_to<Policy>(json::parse(R"({"displayName":"F","userSyncInbound":{"isSyncAllowed":true}})"));
    transport.fail("connection reset by peer")
        .respond(200, R"({"tenantId":")" + kTenant + R"(","displayName":"F","userSyncInbound":{"isSyncAllowed":true}})");
    c.create_policy(kTenant, wanted);
    CHECK(transport.requests.size() == 2);
  }
  SUBCASE("a lost create that did not happen is sent once more") {
    transport.fail("connection reset by peer")
        .respond(404, R"({"error":{"code":"Request_ResourceNotFound","message":"m"}})")
        .respond(204);
    c.create_policy(kTenant, json::value_to<Policy>(json::parse(R"({"displayName":"F"})")));
    REQUIRE(transport.requests.size() == 3);
    CHECK(transport.requests[2].method == "PUT");
  }
  SUBCASE("a create whose 409 shows our own values is done (a resend after success)") {
    transport.respond(409, R"({"error":{"code":"Request_MultipleObjectsWithSameKeyValue","message":"exists"}})")
        .respond(200, R"({"tenantId":")" + kTenant + R"(","displayName":"F"})");
    c.create_policy(kTenant, json::value_to<Policy>(json::parse(R"({"displayName":"F"})")));
    CHECK(transport.requests.size() == 2);
  }
  SUBCASE("a lost PATCH is read back, not resent, when it already shows the change") {
    transport.fail("timed out").respond(200, R"({"tenantId":")" + kTenant + R"(","displayName":"G"})");
    c.update_policy(kTenant, json::value_to<Policy>(json::parse(R"({"displayName":"G"})")));
    CHECK(transport.requests.size() == 2);
    CHECK(transport.requests[1].method == "GET");
  }
  SUBCASE("a lost PATCH lost again says it may have been applied") {
    transport.fail("timed out")
        .respond(200, R"({"tenantId":")" + kTenant + R"(","displayName":"Old"})")
        .fail("timed out");
    try {
      c.update_policy(kTenant, json::value_to<Policy>(json::parse(R"({"displayName":"G"})")));
      FAIL("expected the network error");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::network);
      CHECK(e.hint.find("may have been applied") != std::string::npos);
    }
    CHECK(transport.requests.size() == 3);
  }
  SUBCASE("a partner create that loses a race (409) is still done") {
    transport.respond(409, R"({"error":{"code":"Request_MultipleObjectsWithSameKeyValue","message":"exists"}})")
        .respond(200, R"({"tenantId":")" + kTenant + R"("})");
    c.create_partner(kTenant);
    CHECK(transport.requests.size() == 2);
  }
  SUBCASE("a lost partner create is read back") {
    transport.fail("connection reset by peer").respond(200, R"({"tenantId":")" + kTenant + R"("})");
    c.create_partner(kTenant);
    CHECK(transport.requests.size() == 2);
    CHECK(transport.requests[1].method == "GET");
  }
}

TEST_CASE_FIXTURE(ClientFixture, "graph::Client keeps all waiting within the retry budget") {
  auto o = options();
  o.retry_budget = std::chrono::seconds(3);
  SUBCASE("a wait that fits is waited") {
    Client c(transport, token, o);
    transport.respond(429, "", {{"Retry-After", "2"}}).respond(200, R"({"tenantId":"x"})");
    c.get_policy(kTenant);
    CHECK(waits == std::vector<milliseconds>{milliseconds(2000)});
  }
  SUBCASE("a wait past the budget fails at once with exit 6") {
    Client c(transport, token, o);
    transport.respond(429, "", {{"Retry-After", "4"}});
    try {
      c.get_policy(kTenant);
      FAIL("expected an error");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::throttled);
      CHECK(std::string(e.what()).find("retry budget") != std::string::npos);
    }
    CHECK(transport.requests.size() == 1);
    CHECK(waits.empty());
  }
}
