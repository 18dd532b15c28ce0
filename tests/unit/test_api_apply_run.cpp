// lib/api/apply_run.cpp: batches, per-item retries, failures and lost answers, over one
// scripted connection.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "api/apply.hpp"
#include "support/fake_transport.hpp"

using namespace xtsync;
using namespace xtsync::api;
namespace json = boost::json;
using xtsync::testing::FakeTransport;

namespace {

class Token final : public http::TokenSource {
 public:
  std::string access_token() override { return "tok-apply-run"; }
  std::string describe() const override { return "test"; }
};

std::string tenant(int i) { return fmt::format("{:08x}-0000-0000-0000-000000000000", i); }

// A plan of `n` creates (tenants 1..n).
Plan creates(int n, bool create_partner = false) {
  Plan plan;
  for (int i = 1; i <= n; ++i) {
    PlanItem item;
    item.tenant = item.named_as = tenant(i);
    item.action = PlanAction::create;
    item.create_partner = create_partner;
    item.body = json::value_to<graph::Policy>(json::parse(R"({"displayName":"P"})"));
    plan.items.push_back(item);
  }
  return plan;
}

// A batch answer: item i (1-based) gets statuses[i-1].
std::string answer(const std::vector<int>& statuses, const std::string& retry_after = "0") {
  json::array responses;
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    json::object r{{"id", std::to_string(i + 1)}, {"status", statuses[i]}};
    if (statuses[i] == 429) r["headers"] = json::object{{"Retry-After", retry_after}};
    if (statuses[i] >= 400) {
      r["body"] = json::object{{"error", json::object{{"code", statuses[i] == 403 ? "Authorization_RequestDenied" : "X"},
                                                      {"message", "m"}}}};
    }
    responses.push_back(r);
  }
  return json::serialize(json::object{{"responses", responses}});
}

struct RunFixture {
  FakeTransport transport;
  Token token;
  graph::Client client{transport, token, [] {
                         graph::ClientOptions o;
                         o.sleep = [](std::chrono::milliseconds) {};
                         return o;
                       }()};
  std::vector<json::value> batches() const {
    std::vector<json::value> out;
    for (const auto& r : transport.requests) {
      if (r.url.ends_with("/$batch")) out.push_back(json::parse(r.body));
    }
    return out;
  }
};

}  // namespace

TEST_SUITE_BEGIN("api");

TEST_CASE_FIXTURE(RunFixture, "api::run_plan: at most 20 requests a batch, all done") {
  transport.respond(200, answer(std::vector<int>(20, 204))).respond(200, answer(std::vector<int>(5, 204)));
  const auto outcomes = run_plan(creates(25), client, {});
  CHECK(std::all_of(outcomes.begin(), outcomes.end(), [](auto& o) { return o.status == ItemOutcome::Status::done; }));
  const auto sent = batches();
  REQUIRE(sent.size() == 2);
  CHECK(sent[0].at("requests").as_array().size() == 20);
  CHECK(sent[0].at("requests").as_array()[0].at("method") == "PUT");
}

TEST_CASE_FIXTURE(RunFixture, "api::run_plan: a throttled item is retried on its own, others are not resent") {
  transport.respond(200, answer({204, 429, 204}, "0.1")).respond(200, answer({204}));
  const auto start = std::chrono::steady_clock::now();
  const auto outcomes = run_plan(creates(3), client, {});
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(100));  // its Retry-After
  CHECK(outcomes[1].status == ItemOutcome::Status::done);
  const auto sent = batches();
  REQUIRE(sent.size() == 2);
  REQUIRE(sent[1].at("requests").as_array().size() == 1);
  CHECK(sent[1].at("requests").as_array()[0].at("url").as_string().find(tenant(2)) != std::string::npos);
}

TEST_CASE_FIXTURE(RunFixture, "api::run_plan: a refused item fails with Graph's code while the others are done") {
  transport.respond(200, answer({204, 403, 204}));
  const auto outcomes = run_plan(creates(3), client, {});
  CHECK(outcomes[0].status == ItemOutcome::Status::done);
  REQUIRE(outcomes[1].status == ItemOutcome::Status::failed);
  CHECK(outcomes[1].error->kind() == ErrorKind::auth);
  CHECK(outcomes[1].error->graph_code == "Authorization_RequestDenied");
  CHECK(batches().size() == 1);  // not retried
}

TEST_CASE_FIXTURE(RunFixture, "api::run_plan: a lost batch answer is read back, and only what is missing is sent again") {
  transport.fail("the connection was closed before a response arrived")
      .respond(200, R"({"value":[{"tenantId":")" + tenant(1) +
                        R"(","identitySynchronization":{"tenantId":"x","displayName":"P"}},{"tenantId":")" + tenant(2) +
                        R"(","identitySynchronization":null}]})")
      .respond(200, answer({204}));
  const auto outcomes = run_plan(creates(2), client, {});
  CHECK(outcomes[0].status == ItemOutcome::Status::done);
  CHECK(outcomes[1].status == ItemOutcome::Status::done);
  const auto sent = batches();
  REQUIRE(sent.size() == 2);
  REQUIRE(sent[1].at("requests").as_array().size() == 1);  // tenant 1 was applied already
  CHECK(sent[1].at("requests").as_array()[0].at("url").as_string().find(tenant(2)) != std::string::npos);
}

TEST_CASE_FIXTURE(RunFixture, "api::run_plan: partner configurations go first, in batches of their own") {
  transport.respond(200, answer({201, 403})).respond(200, answer({204}));
  const auto outcomes = run_plan(creates(2, true), client, {});
  const auto sent = batches();
  REQUIRE(sent.size() == 2);
  for (const auto& r : sent[0].at("requests").as_array()) CHECK(r.at("method") == "POST");
  CHECK(sent[1].at("requests").as_array()[0].at("method") == "PUT");
  CHECK(outcomes[0].status == ItemOutcome::Status::done);
  REQUIRE(outcomes[1].status == ItemOutcome::Status::skipped);
  CHECK(std::string(outcomes[1].error->what()).find("partner configuration could not be created") != std::string::npos);
}

TEST_SUITE_END();
