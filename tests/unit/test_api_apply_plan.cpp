// lib/api/apply_plan.cpp: what apply would do, from the file's wishes and the live state.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "api/apply.hpp"

using namespace xtsync;
using namespace xtsync::api;
namespace json = boost::json;

namespace {

const std::string k_a = "0a000000-0000-0000-0000-000000000001";
const std::string k_b = "0b000000-0000-0000-0000-000000000002";
const std::string k_c = "0c000000-0000-0000-0000-000000000003";
const std::string k_d = "0d000000-0000-0000-0000-000000000004";

graph::Policy policy(const char* text) { return json::value_to<graph::Policy>(json::parse(text)); }

WantedPartner want(const std::string& tenant, const char* desired, DesiredState state = DesiredState::present) {
  return {tenant, tenant, 1, state, policy(desired)};
}

}  // namespace

TEST_SUITE_BEGIN("api");

TEST_CASE("api::make_plan: each action, with the changes old to new") {
  const std::vector<graph::PartnerEntry> live = {
      {k_a, policy(R"({"tenantId":"a","displayName":"A","userSyncInbound":{"isSyncAllowed":false}})")},
      {k_b, std::nullopt},
      {k_c, policy(R"({"tenantId":"c","displayName":"C"})")},
      {k_d, policy(R"({"tenantId":"d","displayName":"D"})")},
  };
  const std::vector<WantedPartner> wanted = {
      want(k_a, R"({"displayName":"A","userSyncInbound":{"isSyncAllowed":true}})"),  // update userSync
      want(k_b, R"({"displayName":"B"})"),                                           // create
      want(k_c, R"({"displayName":"C"})"),                                           // unchanged
      want("0e000000-0000-0000-0000-000000000005", R"({"displayName":"E"})"),        // blocked
      want(k_d, "{}", DesiredState::absent),                                         // delete
  };
  const auto plan = make_plan(wanted, live, false, false);
  REQUIRE(plan.items.size() == 5);
  CHECK(plan.items[0].action == PlanAction::update);
  REQUIRE(plan.items[0].changes.size() == 1);
  CHECK(plan.items[0].changes[0].property == "userSync");
  CHECK(plan.items[0].changes[0].from == "block");
  CHECK(plan.items[0].changes[0].to == "allow");
  CHECK(json::value_from(plan.items[0].body) == json::parse(R"({"userSyncInbound":{"isSyncAllowed":true}})"));
  CHECK(plan.items[1].action == PlanAction::create);
  CHECK(plan.items[1].changes[0].from.is_null());
  CHECK(plan.items[2].action == PlanAction::unchanged);
  CHECK(plan.items[3].action == PlanAction::blocked);
  CHECK(plan.items[4].action == PlanAction::remove);
  CHECK_FALSE(plan.empty());
  CHECK(plan.count(PlanAction::unchanged) == 1);

  const auto with_partners = make_plan(wanted, live, false, true);
  CHECK(with_partners.items[3].action == PlanAction::create);
  CHECK(with_partners.items[3].create_partner);
  CHECK(with_partners.partners_to_create() == 1);
}

TEST_CASE("api::make_plan: --prune deletes what the file does not name, and absent of nothing is unchanged") {
  const std::vector<graph::PartnerEntry> live = {
      {k_a, policy(R"({"tenantId":"a","displayName":"A"})")},
      {k_b, policy(R"({"tenantId":"b","displayName":"B"})")},
      {k_c, std::nullopt},
  };
  const std::vector<WantedPartner> wanted = {want(k_a, R"({"displayName":"A"})"),
                                             want(k_d, "{}", DesiredState::absent)};
  const auto kept = make_plan(wanted, live, false, false);
  CHECK(kept.empty());
  const auto pruned = make_plan(wanted, live, true, false);
  REQUIRE(pruned.items.size() == 3);
  CHECK(pruned.items[2].tenant == k_b);
  CHECK(pruned.items[2].action == PlanAction::remove);
  CHECK(pruned.items[2].line == 0);
}

TEST_CASE("api::make_plan: keys the file leaves out are not managed") {
  const std::vector<graph::PartnerEntry> live = {
      {k_a, policy(R"({"tenantId":"a","displayName":"A","userSyncInbound":{"isSyncAllowed":true}})")}};
  CHECK(make_plan({want(k_a, R"({"displayName":"A"})")}, live, false, false).empty());
}

TEST_SUITE_END();
