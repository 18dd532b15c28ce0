// Beta deleted items: the soft-delete life cycle and paging of the list.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <set>

#include "emulator/policy_schema.hpp"
#include "test_emulator_helpers.hpp"

using namespace emutest;

TEST_SUITE_BEGIN("emulator");

TEST_CASE_FIXTURE(GraphFixture, "emulator::Graph soft delete, list, get, restore, purge") {
  add_policy(k_tenant, R"({"displayName":"Fabrikam","userSyncInbound":{"isSyncAllowed":true}})");
  REQUIRE(call("DELETE", policy_path(k_tenant)).status == 204);

  // Listed, with the documented context and the doc's trailing '/' accepted.
  const auto list = body_of(call("GET", k_deleted + "/")).as_object();
  CHECK(list.at("@odata.context") ==
        "http://127.0.0.1:8080/beta/$metadata#policies/deletedItems/crossTenantSyncPolicyPartners");
  REQUIRE(list.at("value").as_array().size() == 1);
  const auto& item = list.at("value").as_array()[0];
  CHECK(item.at("tenantId") == k_tenant);
  CHECK(item.at("deletedDateTime") == "2025-06-18T23:11:01Z");
  CHECK(item.at("displayName") == "Fabrikam");
  CHECK_FALSE(list.contains("@odata.nextLink"));

  // Fetched one by one.
  const auto got = call("GET", k_deleted + "/" + k_tenant);
  REQUIRE(got.status == 200);
  CHECK(body_of(got).at("@odata.context").as_string().ends_with("crossTenantSyncPolicyPartners/$entity"));
  CHECK(call("GET", k_deleted + "/" + k_other).status == 404);

  // Restore brings it back (the response, like the docs' example, keeps deletedDateTime).
  now += std::chrono::minutes(3);
  const auto restored = call("POST", k_deleted + "/" + k_tenant + "/restore");
  REQUIRE(restored.status == 200);
  CHECK(body_of(restored).at("deletedDateTime") == "2025-06-18T23:11:01Z");
  CHECK(body_of(restored).at("userSyncInbound").at("isSyncAllowed") == true);
  CHECK(state.deleted_policy(k_tenant) == nullptr);
  const auto active = body_of(call("GET", policy_path(k_tenant))).as_object();
  CHECK(active.at("displayName") == "Fabrikam");
  CHECK_FALSE(active.contains("deletedDateTime"));
  CHECK(call("POST", k_deleted + "/" + k_tenant + "/restore").status == 404);

  // Deleted again, then purged for good.
  REQUIRE(call("DELETE", policy_path(k_tenant)).status == 204);
  CHECK(state.deleted_policy(k_tenant)->at("deletedDateTime") == "2025-06-18T23:14:01Z");
  CHECK(call("DELETE", k_deleted + "/" + k_tenant).status == 204);
  CHECK(call("DELETE", k_deleted + "/" + k_tenant).status == 404);
  CHECK(body_of(call("GET", k_deleted)).at("value").as_array().empty());
}

TEST_CASE_FIXTURE(GraphFixture, "emulator::Graph restore edge cases") {
  SUBCASE("restore re-creates a partner configuration removed meanwhile") {
    add_policy(k_tenant);
    REQUIRE(call("DELETE", policy_path(k_tenant)).status == 204);
    REQUIRE(call("DELETE", k_partners + "/" + k_tenant).status == 204);
    CHECK(call("POST", k_deleted + "/" + k_tenant + "/restore", R"({"ignored":true})").status == 200);
    CHECK(state.partner(k_tenant) != nullptr);
    CHECK(state.policy(k_tenant) != nullptr);
  }
  SUBCASE("restore while an active policy exists is a conflict and changes nothing") {
    add_policy(k_tenant, R"({"displayName":"Old"})");
    REQUIRE(call("DELETE", policy_path(k_tenant)).status == 204);
    REQUIRE(call("PUT", policy_path(k_tenant), R"({"displayName":"New"})").status == 204);
    const auto conflict = call("POST", k_deleted + "/" + k_tenant + "/restore");
    CHECK(conflict.status == 409);
    CHECK(error_code(conflict) == "Request_MultipleObjectsWithSameKeyValue");
    CHECK(state.policy(k_tenant)->at("displayName") == "New");
    CHECK(state.deleted_policy(k_tenant)->at("displayName") == "Old");
  }
  SUBCASE("a read-only token may list but not restore or purge") {
    add_policy(k_tenant);
    REQUIRE(call("DELETE", policy_path(k_tenant)).status == 204);
    CHECK(graph.handle(make_request("GET", k_deleted, {}, "reader-token")).status == 200);
    CHECK(graph.handle(make_request("POST", k_deleted + "/" + k_tenant + "/restore", {}, "reader-token"))
              .status == 403);
    CHECK(graph.handle(make_request("DELETE", k_deleted + "/" + k_tenant, {}, "reader-token")).status == 403);
  }
}

namespace {

std::string tenant_number(int i) {
  return fmt::format("00000000-0000-4000-8000-{:012}", i);
}

}  // namespace

TEST_CASE("emulator::Graph pages the deleted items") {
  emu::State state;
  emu::GraphOptions options;
  options.page_size = 3;
  emu::Graph graph(state, options, k_base);
  // Eight items; two share a deletedDateTime so the tenant id breaks the tie.
  for (int i = 1; i <= 8; ++i) {
    json::object policy = emu::new_policy(tenant_number(i));
    policy["deletedDateTime"] = fmt::format("2025-06-18T23:11:0{}Z", i == 8 ? 1 : i);
    state.put_deleted(tenant_number(i), std::move(policy));
  }

  std::vector<std::string> seen;
  std::string target = k_deleted;
  int pages = 0;
  for (;;) {
    const auto response = graph.handle(make_request("GET", target));
    REQUIRE(response.status == 200);
    const auto body = body_of(response).as_object();
    const auto& value = body.at("value").as_array();
    CHECK(value.size() <= 3);
    for (const auto& item : value) seen.emplace_back(item.at("tenantId").as_string());
    ++pages;
    const auto* next = body.if_contains("@odata.nextLink");
    if (!next) break;
    // Followed verbatim, the way clients must: strip only the origin the fixture's base added.
    const std::string link(next->as_string());
    REQUIRE(link.starts_with(std::string(k_base) +
                             "/beta/policies/deletedItems/crossTenantSyncPolicyPartners?$skiptoken="));
    target = link.substr(std::string(k_base).size());
    REQUIRE(pages < 10);
  }
  CHECK(pages == 3);
  REQUIRE(seen.size() == 8);
  CHECK(std::set<std::string>(seen.begin(), seen.end()).size() == 8);
  CHECK(seen[0] == tenant_number(1));
  CHECK(seen[1] == tenant_number(8));  // same time as #1, larger tenant id
  CHECK(seen[7] == tenant_number(7));

  SUBCASE("$top overrides the page size and is carried into the nextLink") {
    const auto body = body_of(graph.handle(make_request("GET", k_deleted + "?$top=5"))).as_object();
    CHECK(body.at("value").as_array().size() == 5);
    CHECK(body.at("@odata.nextLink").as_string().find("$top=5&") != json::string::npos);
  }
  SUBCASE("an invalid skiptoken is a bad request") {
    CHECK(graph.handle(make_request("GET", k_deleted + "?$skiptoken=garbage!")).status == 400);
    CHECK(graph.handle(make_request("GET", k_deleted + "?$skiptoken=AAAA")).status == 400);
  }
  SUBCASE("an item purged between pages does not shift the next page") {
    const auto first = body_of(graph.handle(make_request("GET", k_deleted))).as_object();
    state.erase_deleted(tenant_number(1));
    const std::string link(first.at("@odata.nextLink").as_string());
    const auto second = body_of(graph.handle(make_request("GET", link.substr(std::string(k_base).size()))));
    CHECK(str(second.at("value").as_array()[0].at("tenantId")) == tenant_number(3));
  }
  SUBCASE("an empty list has an empty value and no nextLink") {
    state.clear();
    const auto body = body_of(graph.handle(make_request("GET", k_deleted))).as_object();
    CHECK(body.at("value").as_array().empty());
    CHECK_FALSE(body.contains("@odata.nextLink"));
  }
}

TEST_SUITE_END();
