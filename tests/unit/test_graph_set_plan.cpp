#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "error.hpp"
#include "graph/set_plan.hpp"

using namespace xtsync;
using namespace xtsync::graph;
namespace json = boost::json;

namespace {
const std::string kTenant = "9c5d131d-b1c3-4fc4-9e3f-c6557947d551";
Policy policy_from(const char* text) { return json::value_to<Policy>(json::parse(text)); }
std::string body_of(const SetPlan& plan) { return json::serialize(json::value_from(plan.body)); }
ErrorKind kind_of(auto&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.kind();
  }
  return ErrorKind::failure;
}
}  // namespace

TEST_SUITE_BEGIN("graph");

TEST_CASE("graph::desired_policy merges the file and the flags") {
  FieldFlags flags;
  SUBCASE("flags alone") {
    flags.display_name = "Fabrikam";
    flags.user_sync = true;
    flags.group_sync = false;
    const auto p = desired_policy(std::nullopt, "", flags, kTenant, true);
    CHECK(json::serialize(json::value_from(p)) ==
          R"({"displayName":"Fabrikam","userSyncInbound":{"isSyncAllowed":true},"groupSyncInbound":{"isSyncAllowed":false}})");
  }
  SUBCASE("flags win over the file; read-only properties from a `get -o json` are dropped") {
    flags.user_sync = false;
    const std::string file = R"({"tenantId":"9C5D131D-B1C3-4FC4-9E3F-C6557947D551","displayName":"From file",
      "deletedDateTime":"2025-01-01T00:00:00Z","userSyncInbound":{"isSyncAllowed":true},"roleEnabledGroupSyncInbound":{"isSyncAllowed":true}})";
    const auto p = desired_policy(file, "'p.json'", flags, kTenant, true);
    CHECK(json::serialize(json::value_from(p)) ==
          R"({"displayName":"From file","userSyncInbound":{"isSyncAllowed":false},"roleEnabledGroupSyncInbound":{"isSyncAllowed":true}})");
  }
  SUBCASE("bad input is a usage error") {
    CHECK(kind_of([&] { desired_policy(std::string("{nope"), "'f'", flags, kTenant, true); }) == ErrorKind::usage);
    CHECK(kind_of([&] { desired_policy(std::string("[]"), "'f'", flags, kTenant, true); }) == ErrorKind::usage);
    CHECK(kind_of([&] { desired_policy(std::string(R"({"displayName":1})"), "'f'", flags, kTenant, true); }) ==
          ErrorKind::usage);
    CHECK(kind_of([&] {
            desired_policy(std::string(R"({"tenantId":"01d0e717-bc90-46ba-94a9-71b4a811fddb","displayName":"x"})"), "'f'",
                           flags, kTenant, true);
          }) == ErrorKind::usage);
    CHECK(kind_of([&] { desired_policy(std::nullopt, "", flags, kTenant, true); }) == ErrorKind::usage);
    CHECK(kind_of([&] { desired_policy(std::string(R"({"tenantId":"9c5d131d-b1c3-4fc4-9e3f-c6557947d551"})"), "'f'", flags,
                                       kTenant, true); }) == ErrorKind::usage);
  }
  SUBCASE("a file key this version does not know stops the command, naming key and line") {
    const auto message = [&](const std::string& text) {
      try {
        desired_policy(text, "'p.json'", flags, kTenant, true);
      } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::usage);
        return std::string(e.what());
      }
      return std::string("no error");
    };
    CHECK(message("{\n  \"displayName\": \"x\",\n  \"bogus\": 1\n}") ==
          "'p.json' line 3: unknown key 'bogus' (known: tenantId, displayName, userSyncInbound, groupSyncInbound, "
          "externalCloudAuthorizedApplicationId, roleEnabledGroupSyncInbound, deletedDateTime); nothing was sent");
    CHECK(message(R"({"displayname": "x"})").find("did you mean 'displayName'?") != std::string::npos);
    CHECK(message("{\"userSyncInbound\":\n {\"isSyncAlowed\": true}}") ==
          "'p.json' line 2: unknown key 'userSyncInbound.isSyncAlowed' (known in userSyncInbound: isSyncAllowed); "
          "nothing was sent");
    CHECK(message("{\"displayName\": \"a\",\n\"displayName\": \"b\"}") ==
          "'p.json' line 2: 'displayName' is given twice (lines 1 and 2)");
    CHECK(message("{\n\"displayName\": nope}") == "'p.json' is not valid JSON: syntax error at line 2, column 16");
    // Annotations of a saved Graph response are not keys of the policy.
    CHECK(message(R"({"@odata.context": "x", "displayName": "a", "userSyncInbound": {"@odata.type": "t"}})") ==
          "no error");
  }
  SUBCASE("beta-only properties under v1.0") {
    CHECK(kind_of([&] {
            desired_policy(std::string(R"({"roleEnabledGroupSyncInbound":{"isSyncAllowed":true}})"), "'f'", flags, kTenant,
                           false);
          }) == ErrorKind::usage);
    flags.group_sync = true;
    CHECK(kind_of([&] { desired_policy(std::nullopt, "", flags, kTenant, false); }) == ErrorKind::usage);
    flags.group_sync.reset();
    flags.external_cloud_app_id = "abc";
    CHECK(kind_of([&] { desired_policy(std::nullopt, "", flags, kTenant, false); }) == ErrorKind::usage);
    flags.external_cloud_app_id.reset();
    flags.user_sync = true;
    CHECK_NOTHROW(desired_policy(std::nullopt, "", flags, kTenant, false));
  }
}

TEST_CASE("graph::plan_set") {
  const Policy wanted = policy_from(R"({"displayName":"Fabrikam","userSyncInbound":{"isSyncAllowed":true}})");

  SUBCASE("absent policy: create with every wanted property") {
    const auto plan = plan_set(std::nullopt, wanted);
    CHECK(plan.action == SetAction::create);
    CHECK(body_of(plan) == R"({"displayName":"Fabrikam","userSyncInbound":{"isSyncAllowed":true}})");
    CHECK(plan.changed == std::vector<std::string>{"displayName", "userSyncInbound"});
  }
  SUBCASE("present policy: patch only what differs") {
    const auto current = policy_from(R"({"tenantId":"t","displayName":"Fabrikam","userSyncInbound":{"isSyncAllowed":false},
                                          "groupSyncInbound":{"isSyncAllowed":true}})");
    const auto plan = plan_set(current, wanted);
    CHECK(plan.action == SetAction::update);
    CHECK(body_of(plan) == R"({"userSyncInbound":{"isSyncAllowed":true}})");
    CHECK(plan.changed == std::vector<std::string>{"userSyncInbound"});
  }
  SUBCASE("nothing differs: no write") {
    const auto current = policy_from(R"({"tenantId":"t","displayName":"Fabrikam",
        "userSyncInbound":{"isSyncAllowed":true,"serverSideExtra":1}})");
    const auto plan = plan_set(current, wanted);
    CHECK(plan.action == SetAction::unchanged);
    CHECK(plan.changed.empty());
  }
  SUBCASE("null settings and unknown properties are compared too") {
    const auto current = policy_from(R"({"tenantId":"t","displayName":null,"userSyncInbound":null,"custom":{"a":1}})");
    const auto plan = plan_set(current, policy_from(R"({"displayName":null,"userSyncInbound":{"isSyncAllowed":false},
                                                        "custom":{"a":2},"other":null})"));
    CHECK(plan.action == SetAction::update);
    CHECK(body_of(plan) == R"({"userSyncInbound":{"isSyncAllowed":false},"custom":{"a":2}})");
  }
}

TEST_SUITE_END();
