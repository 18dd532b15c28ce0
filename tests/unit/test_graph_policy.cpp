#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "graph/policy.hpp"

using namespace xtsync::graph;
namespace json = boost::json;

TEST_SUITE_BEGIN("graph");

TEST_CASE("graph::Policy reads the documented beta GET example") {
  const auto jv = json::parse(R"({
    "tenantId": "9c5d131d-b1c3-4fc4-9e3f-c6557947d551",
    "displayName": "Fabrikam",
    "groupSyncInbound": {"isSyncAllowed": true},
    "userSyncInbound": {"isSyncAllowed": false}
  })");
  const auto p = json::value_to<Policy>(jv);
  CHECK(p.tenant_id.value == "9c5d131d-b1c3-4fc4-9e3f-c6557947d551");
  CHECK(p.display_name.value == "Fabrikam");
  CHECK(sync_allowed(p.user_sync_inbound) == false);
  CHECK(sync_allowed(p.group_sync_inbound) == true);
  CHECK_FALSE(p.external_cloud_authorized_application_id.present);
  CHECK_FALSE(p.deleted_date_time.present);
}

TEST_CASE("graph::Policy keeps absent and null apart") {
  const auto jv = json::parse(R"({
    "@odata.context": "https://graph.microsoft-ppe.com/testppebetadeleteapis/$metadata#policies/deletedItems/crossTenantSyncPolicyPartners/$entity",
    "tenantId": "01d0e717-bc90-46ba-94a9-71b4a811fddb",
    "displayName": null,
    "deletedDateTime": "2025-06-18T23:11:01Z",
    "externalCloudAuthorizedApplicationId": null,
    "userSyncInbound": null
  })");
  const auto p = json::value_to<Policy>(jv);
  CHECK(p.display_name.present);
  CHECK_FALSE(p.display_name.has_value());
  CHECK(p.user_sync_inbound.present);
  CHECK_FALSE(p.user_sync_inbound.has_value());
  CHECK_FALSE(p.group_sync_inbound.present);
  CHECK(p.deleted_date_time.value == "2025-06-18T23:11:01Z");

  SUBCASE("writing it back drops @odata.* and keeps the nulls") {
    CHECK(json::serialize(json::value_from(p)) ==
          R"({"tenantId":"01d0e717-bc90-46ba-94a9-71b4a811fddb","displayName":null,"userSyncInbound":null,)"
          R"("externalCloudAuthorizedApplicationId":null,"deletedDateTime":"2025-06-18T23:11:01Z"})");
  }
}

TEST_CASE("graph::Policy passes unknown properties through, nested ones too") {
  const auto jv = json::parse(R"({
    "tenantId": "9c5d131d-b1c3-4fc4-9e3f-c6557947d551",
    "roleEnabledGroupSyncInbound": {"isSyncAllowed": true},
    "userSyncInbound": {"@odata.type": "microsoft.graph.crossTenantUserSyncInbound", "isSyncAllowed": true, "futureFlag": 3},
    "someNewProperty": [1, 2]
  })");
  const auto p = json::value_to<Policy>(jv);
  REQUIRE(p.extra.size() == 2);
  CHECK(p.extra.at("roleEnabledGroupSyncInbound").at("isSyncAllowed") == true);
  REQUIRE(p.user_sync_inbound.value.has_value());
  CHECK(p.user_sync_inbound.value->extra.at("futureFlag") == 3);
  CHECK(p.user_sync_inbound.value->extra.if_contains("@odata.type") == nullptr);

  const auto back = json::value_from(p);
  CHECK(back.at("someNewProperty") == json::parse("[1,2]"));
  CHECK(back.at("userSyncInbound") == json::parse(R"({"isSyncAllowed":true,"futureFlag":3})"));
  CHECK(json::value_to<Policy>(back) == p);
}

TEST_CASE("graph::Policy names the property that has the wrong type") {
  auto bad = [](const char* text) { return json::value_to<Policy>(json::parse(text)); };
  CHECK_THROWS_WITH_AS(bad(R"({"displayName": 5})"), "'displayName' must be a string or null", std::invalid_argument);
  CHECK_THROWS_WITH_AS(bad(R"({"userSyncInbound": {"isSyncAllowed": "yes"}})"),
                       "'userSyncInbound.isSyncAllowed' must be true, false or null", std::invalid_argument);
  CHECK_THROWS_WITH_AS(bad(R"({"groupSyncInbound": true})"), "'groupSyncInbound' must be a JSON object",
                       std::invalid_argument);
  CHECK_THROWS_AS(bad("[1]"), std::invalid_argument);
  // Found by fuzzing: 1e400 would otherwise be written back as the non-JSON `Infinity`.
  CHECK_THROWS_WITH_AS(bad(R"({"custom":{"n":[1e400]}})"), "'custom' holds a number too large to represent",
                       std::invalid_argument);
}

TEST_SUITE_END();
