// The emulated $batch, write quota, partner paging and tenant lookups, against the routing core.
#include <doctest/doctest.h>

#include <boost/json/serialize.hpp>
#include <map>

#include "emulator/write_quota.hpp"
#include "test_emulator_helpers.hpp"

using namespace emutest;

TEST_SUITE_BEGIN("emulator");

namespace {

json::object put_item(const std::string& id, const std::string& tenant, const std::string& version_path = "") {
  return json::object{{"id", id},
                      {"method", "PUT"},
                      {"url", version_path + "/policies/crossTenantAccessPolicy/partners/" + tenant +
                                  "/identitySynchronization"},
                      {"headers", json::object{{"Content-Type", "application/json"}}},
                      {"body", json::object{{"displayName", "Batch " + id}}}};
}

json::object post_partner_item(const std::string& id, const std::string& tenant) {
  return json::object{{"id", id},
                      {"method", "POST"},
                      {"url", "/policies/crossTenantAccessPolicy/partners"},
                      {"headers", json::object{{"Content-Type", "application/json"}}},
                      {"body", json::object{{"tenantId", tenant}}}};
}

std::string batch_of(json::array requests) {
  return json::serialize(json::object{{"requests", std::move(requests)}});
}

// id → the item's answer.
std::map<std::string, json::object> answers(const Response& response) {
  std::map<std::string, json::object> out;
  const json::value body = body_of(response);
  for (const auto& item : body.at("responses").as_array()) {
    out[std::string(item.at("id").as_string())] = item.as_object();
  }
  return out;
}

std::string tenant_n(int n) {
  return fmt::format("00000000-0000-4000-8000-{:012}", n);
}

}  // namespace

TEST_CASE_FIXTURE(GraphFixture, "emulator $batch: parallel items run on their own, answered in reverse order") {
  add_partner(k_tenant);
  const auto response =
      call("POST", "/beta/$batch", batch_of({put_item("1", k_tenant), put_item("2", k_other)}));
  REQUIRE(response.status == 200);
  const json::value body = body_of(response);
  const auto& list = body.at("responses").as_array();
  REQUIRE(list.size() == 2);
  CHECK(list[0].at("id") == "2");  // reversed: a client must pair answers by id
  auto by_id = answers(response);
  CHECK(by_id["1"].at("status") == 204);
  CHECK(by_id["2"].at("status") == 404);  // no partner configuration for k_other
  CHECK(by_id["2"].at("body").at("error").at("code") == "Request_ResourceNotFound");
  CHECK_FALSE(by_id["2"].at("headers").as_object().contains("request-id"));
  CHECK(state.policy(k_tenant) != nullptr);
  CHECK(str(state.policy(k_tenant)->at("displayName")) == "Batch 1");
}

TEST_CASE_FIXTURE(GraphFixture, "emulator $batch: malformed batches are refused whole") {
  add_partner(k_tenant);
  json::array many;
  for (int i = 0; i < 21; ++i) many.push_back(put_item(std::to_string(i), k_tenant));
  CHECK(call("POST", "/beta/$batch", batch_of(many)).status == 400);
  CHECK(call("POST", "/beta/$batch", batch_of({put_item("1", k_tenant), put_item("1", k_other)})).status == 400);
  CHECK(call("POST", "/beta/$batch", batch_of({})).status == 400);
  CHECK(call("POST", "/beta/$batch", R"({"requests":{}})").status == 400);

  auto no_type = put_item("1", k_tenant);
  no_type.erase("headers");
  const auto refused = call("POST", "/beta/$batch", batch_of({no_type}));
  CHECK(refused.status == 400);
  CHECK(body_of(refused).at("error").at("message") ==
        "Write request id : 1 does not contain Content-Type header or body.");

  // Live Graph: fully sequential or fully parallel, dependencies earlier in the array.
  auto second = put_item("2", k_other);
  second["dependsOn"] = json::array{"1"};
  const auto mixed = call("POST", "/beta/$batch",
                          batch_of({post_partner_item("1", k_other), second, put_item("3", k_tenant)}));
  CHECK(mixed.status == 400);
  CHECK(body_of(mixed).at("error").at("message") == "Batch should be either fully sequential or fully parallel");
  auto forward = put_item("1", k_tenant);
  forward["dependsOn"] = json::array{"2"};
  CHECK(call("POST", "/beta/$batch", batch_of({forward, put_item("2", k_other)})).status == 400);

  CHECK(state.policies().empty());  // nothing of a refused batch ran
  CHECK(state.partners().size() == 1);
}

TEST_CASE_FIXTURE(GraphFixture, "emulator $batch: a failed dependency answers 424 and does not run") {
  auto put = put_item("2", k_other);
  put["dependsOn"] = json::array{"1"};
  add_partner(k_other);
  // The partner exists already, so its creation fails and the PUT is not attempted.
  auto by_id = answers(call("POST", "/beta/$batch", batch_of({post_partner_item("1", k_other), put})));
  CHECK(by_id["1"].at("status") == 409);
  CHECK(by_id["2"].at("status") == 424);
  CHECK(state.policy(k_other) == nullptr);

  // A sequence that works.
  auto put_tenant = put_item("b", k_tenant);
  put_tenant["dependsOn"] = json::array{"a"};
  by_id = answers(call("POST", "/beta/$batch", batch_of({post_partner_item("a", k_tenant), put_tenant})));
  CHECK(by_id["a"].at("status") == 201);
  CHECK(by_id["b"].at("status") == 204);
}

TEST_CASE_FIXTURE(GraphFixture, "emulator $batch: items are versioned and authorized like single requests") {
  add_policy(k_tenant);
  json::object deleted_list{{"id", "1"}, {"method", "GET"}, {"url", "/policies/deletedItems/crossTenantSyncPolicyPartners"}};
  CHECK(answers(call("POST", "/v1.0/$batch", batch_of({deleted_list})))["1"].at("status") == 400);
  CHECK(answers(call("POST", "/beta/$batch", batch_of({deleted_list})))["1"].at("status") == 200);

  // A read-only token may send a batch; its writes fail one by one.
  const auto reader = graph.handle(make_request(
      "POST", "/beta/$batch",
      batch_of({json::object{{"id", "r"}, {"method", "GET"}, {"url", "/policies/crossTenantAccessPolicy/partners"}},
                put_item("w", k_tenant)}),
      "reader-token"));
  REQUIRE(reader.status == 200);
  auto by_id = answers(reader);
  CHECK(by_id["r"].at("status") == 200);
  CHECK(by_id["w"].at("status") == 403);

  json::object nested{{"id", "n"},
                      {"method", "POST"},
                      {"url", "/$batch"},
                      {"headers", json::object{{"Content-Type", "application/json"}}},
                      {"body", json::object{{"requests", json::array{}}}}};
  CHECK(answers(call("POST", "/beta/$batch", batch_of({nested})))["n"].at("status") == 400);
}

TEST_CASE("emulator write quota: a token bucket with Graph's throttling headers") {
  emu::State state;
  auto now = emu::Clock::from_time_t(1'750'288'261);
  emu::GraphOptions options;
  options.clock = [&] { return now; };
  options.write_quota = emu::parse_write_quota("4/2");  // 4 at once, then 2 a second
  REQUIRE(options.write_quota);
  emu::Graph graph(state, options, k_base);
  const auto call = [&](std::string method, std::string target, std::string body = {}) {
    return graph.handle(make_request(std::move(method), std::move(target), std::move(body)));
  };
  for (int i = 1; i <= 3; ++i) {
    REQUIRE(call("POST", k_partners, R"({"tenantId":")" + tenant_n(i) + R"("})").status == 201);
  }
  // Three of four used is not past 80 %: no warning yet; reads cost nothing.
  CHECK_FALSE(call("GET", k_partners).header("x-ms-throttle-limit-percentage"));
  json::array puts;
  for (int i = 1; i <= 3; ++i) puts.push_back(put_item(std::to_string(i), tenant_n(i)));
  const auto response = call("POST", "/beta/$batch", batch_of(puts));
  REQUIRE(response.status == 200);
  CHECK(response.header("x-ms-throttle-limit-percentage").has_value());
  auto by_id = answers(response);
  CHECK(by_id["1"].at("status") == 204);
  for (const char* id : {"2", "3"}) {
    CHECK(by_id[id].at("status") == 429);
    const auto& headers = by_id[id].at("headers").as_object();
    CHECK(headers.at("Retry-After") == "1");
    CHECK(headers.at("x-ms-throttle-information") == "WriteLimitExceeded");
    CHECK(headers.contains("x-ms-throttle-scope"));
  }
  CHECK(state.policies().size() == 1);

  // Resent too early: counted. After the Retry-After: accepted and not counted.
  CHECK(call("PUT", policy_path(tenant_n(2)), R"({"displayName":"x"})").status == 429);
  now += std::chrono::seconds(1);
  CHECK(call("PUT", policy_path(tenant_n(3)), R"({"displayName":"x"})").status == 204);
  const auto stats = graph.write_stats();
  CHECK(stats.at("writes") == 8);
  CHECK(stats.at("throttled") == 3);
  CHECK(stats.at("earlyRetries") == 1);
}

TEST_CASE("emulator write quota: parsing N/SECONDS") {
  CHECK(emu::parse_write_quota("3000/150"));
  CHECK_FALSE(emu::parse_write_quota("3000"));
  CHECK_FALSE(emu::parse_write_quota("0/5"));
  CHECK_FALSE(emu::parse_write_quota("5/0"));
  CHECK_FALSE(emu::parse_write_quota("5/x"));
  CHECK_FALSE(emu::parse_write_quota("/5"));
  emu::WriteQuota quota(100, std::chrono::seconds(5));
  const auto t0 = emu::Clock::from_time_t(0);
  for (int i = 0; i < 100; ++i) REQUIRE_FALSE(quota.take(t0));
  CHECK(quota.take(t0) == std::chrono::seconds(1));
  CHECK(quota.usage(t0) == doctest::Approx(1.0));
  // 20 a second come back.
  for (int i = 0; i < 20; ++i) CHECK_FALSE(quota.take(t0 + std::chrono::seconds(1)));
  CHECK(quota.take(t0 + std::chrono::seconds(1)));
}

TEST_CASE_FIXTURE(GraphFixture, "emulator partners list: pages with $top and a nextLink that keeps $expand") {
  for (int i = 1; i <= 5; ++i) add_partner(tenant_n(i));
  add_policy(tenant_n(2));
  std::vector<std::string> seen;
  std::string target = k_partners + "?$expand=identitySynchronization&$top=2";
  int pages = 0;
  while (!target.empty()) {
    const auto page = call("GET", target);
    REQUIRE(page.status == 200);
    const auto body = body_of(page).as_object();
    for (const auto& item : body.at("value").as_array()) {
      seen.emplace_back(item.at("tenantId").as_string());
      CHECK(item.as_object().contains("identitySynchronization"));
    }
    target.clear();
    if (const auto* next = body.if_contains("@odata.nextLink")) {
      const std::string link(next->as_string());
      REQUIRE(link.starts_with(std::string(k_base)));
      CHECK(link.find("$expand=identitySynchronization") != std::string::npos);
      target = link.substr(std::string(k_base).size());
    }
    ++pages;
  }
  CHECK(pages == 3);
  CHECK(seen == std::vector<std::string>{tenant_n(1), tenant_n(2), tenant_n(3), tenant_n(4), tenant_n(5)});
  CHECK(body_of(call("GET", k_partners + "?$skip=4")).at("value").as_array().size() == 1);
  CHECK(call("GET", k_partners + "?$skiptoken=garbage").status == 400);
  CHECK(call("GET", k_partners + "?$top=0").status == 400);
}

TEST_CASE("emulator tenant lookups: configured domains by name and by tenant id") {
  emu::State state;
  emu::GraphOptions options;
  options.domains = {{"contoso.com", k_tenant}, {"contoso.onmicrosoft.com", k_tenant}};
  emu::Graph graph(state, options, k_base);
  const auto by_domain = graph.handle(make_request(
      "GET", "/v1.0/tenantRelationships/findTenantInformationByDomainName(domainName='Contoso.OnMicrosoft.com')"));
  REQUIRE(by_domain.status == 200);
  const auto body = body_of(by_domain);
  CHECK(body.at("tenantId") == k_tenant);
  CHECK(body.at("defaultDomainName") == "contoso.com");
  CHECK(body.at("displayName") == "Contoso");
  CHECK(str(body.at("@odata.context")).ends_with("#microsoft.graph.tenantInformation"));

  const auto by_id = graph.handle(make_request(
      "GET", "/beta/tenantRelationships/findTenantInformationByTenantId(tenantId='" + std::string(k_tenant) + "')"));
  CHECK(by_id.status == 200);
  const auto unknown = graph.handle(
      make_request("GET", "/beta/tenantRelationships/findTenantInformationByDomainName(domainName='fabrikam.com')"));
  CHECK(unknown.status == 404);
  CHECK(error_code(unknown) == "Request_ResourceNotFound");
  CHECK(graph.handle(make_request("GET", "/beta/tenantRelationships/multiTenantOrganization")).status == 501);
  CHECK(graph.handle(make_request("GET", "/beta/tenantRelationships/nothingHere")).status == 400);
}

TEST_CASE("emulator write quota: POSTs to one collection are told apart by what they create") {
  emu::State state;
  const auto now = emu::Clock::from_time_t(1'750'288'261);
  emu::GraphOptions options;
  options.clock = [&] { return now; };
  options.write_quota = emu::parse_write_quota("1/10");
  emu::Graph graph(state, options, k_base);
  const auto create = [&](int n) {
    return graph.handle(make_request("POST", k_partners, R"({"tenantId":")" + tenant_n(n) + R"("})")).status;
  };
  CHECK(create(1) == 201);
  CHECK(create(2) == 429);
  CHECK(create(3) == 429);  // another partner, not a resend of 2
  CHECK(graph.write_stats().at("earlyRetries") == 0);
  CHECK(create(2) == 429);  // 2 again, before its Retry-After
  CHECK(graph.write_stats().at("earlyRetries") == 1);
}
