// The /_emulator control API: health, seed, state, request log, faults and reset.
#include <doctest/doctest.h>

#include "emulator/emulator.hpp"
#include "test_emulator_helpers.hpp"

using namespace emutest;

namespace {

Response control(emu::Emulator& emulator, std::string method, std::string target, std::string body = {}) {
  Request request;
  request.method = std::move(method);
  request.url = std::move(target);
  request.body = std::move(body);
  return emulator.handle(request);
}

}  // namespace

TEST_SUITE_BEGIN("emulator");

TEST_CASE("emulator::ControlApi") {
  emu::Emulator emulator(emu::EmulatorOptions{}, k_base);

  SUBCASE("health needs no token") {
    const auto health = control(emulator, "GET", "/_emulator/health");
    CHECK(health.status == 200);
    CHECK(body_of(health) == json::parse(R"({"status":"ok"})"));
  }
  SUBCASE("seed, then state shows it and Graph serves it") {
    const auto seeded =
        control(emulator, "POST", "/_emulator/seed",
                R"({"partners":["9C5D131D-B1C3-4FC4-9E3F-C6557947D551"],)"
                R"("policies":[{"tenantId":"90e29127-71ad-49c7-9ce8-db3f41ea06f1","displayName":"F"}],)"
                R"("deleted":[{"tenantId":"01d0e717-bc90-46ba-94a9-71b4a811fddb",)"
                R"("deletedDateTime":"2025-06-18T23:11:01Z"}]})");
    CHECK(seeded.status == 204);
    const auto state = body_of(control(emulator, "GET", "/_emulator/state")).as_object();
    CHECK(state.at("partners").as_array().size() == 2);
    CHECK(state.at("policies").as_array()[0].at("displayName") == "F");
    CHECK(state.at("deleted").as_array()[0].at("deletedDateTime") == "2025-06-18T23:11:01Z");
    CHECK(emulator.handle(make_request("GET", policy_path(k_tenant))).status == 200);
    CHECK(emulator.handle(make_request("GET", k_deleted + "/01d0e717-bc90-46ba-94a9-71b4a811fddb")).status ==
          200);
  }
  SUBCASE("a bad seed is rejected whole") {
    const auto bad = control(emulator, "POST", "/_emulator/seed",
                             R"({"partners":["90e29127-71ad-49c7-9ce8-db3f41ea06f1","nope"]})");
    CHECK(bad.status == 400);
    CHECK(emulator.state().partners().empty());
  }
  SUBCASE("a seed of the wrong types, or with numbers JSON cannot carry, is refused") {
    const auto typed = control(emulator, "POST", "/_emulator/seed",
                               R"({"policies":[{"tenantId":"90e29127-71ad-49c7-9ce8-db3f41ea06f1","displayName":true}]})");
    CHECK(typed.status == 400);
    const auto infinite = control(emulator, "POST", "/_emulator/seed",
                                  R"({"policies":[{"tenantId":"90e29127-71ad-49c7-9ce8-db3f41ea06f1","x":1e400}]})");
    CHECK(infinite.status == 400);
    CHECK(body_of(infinite).at("error").at("message").as_string().find("Infinity") != std::string::npos);
    CHECK(emulator.state().policies().empty());
    // Before the fix this state answered with "x":Infinity, which no JSON parser reads.
    CHECK(control(emulator, "GET", "/_emulator/state").body.find("Infinity") == std::string::npos);
  }
  SUBCASE("the request log records Graph requests as received, and can be cleared") {
    auto request = make_request("PUT", policy_path(k_tenant), R"({"displayName":"X"})");
    request.headers.push_back({"Client-Request-Id", "abc"});
    const emu::Plan plan = emulator.plan(request, 3);
    REQUIRE(plan.handle);
    emulator.handle(request);
    control(emulator, "GET", "/_emulator/health");  // control traffic is not logged
    const auto log = body_of(control(emulator, "GET", "/_emulator/requests")).as_array();
    REQUIRE(log.size() == 1);
    CHECK(log[0].at("method") == "PUT");
    CHECK(str(log[0].at("target")) == policy_path(k_tenant));
    CHECK(log[0].at("headers").at("authorization") == "Bearer emulator-token");
    CHECK(log[0].at("headers").at("client-request-id") == "abc");
    CHECK(log[0].at("body") == R"({"displayName":"X"})");
    CHECK(control(emulator, "DELETE", "/_emulator/requests").status == 204);
    CHECK(body_of(control(emulator, "GET", "/_emulator/requests")).as_array().empty());
  }
  SUBCASE("faults are added, listed and cleared") {
    const auto added = control(emulator, "POST", "/_emulator/faults", R"({"status":503,"count":2})");
    CHECK(added.status == 201);
    CHECK(body_of(added).at("id") == 1);
    CHECK(body_of(control(emulator, "GET", "/_emulator/faults")).as_array().size() == 1);
    CHECK(control(emulator, "POST", "/_emulator/faults", R"({"action":"nope"})").status == 400);
    CHECK(control(emulator, "POST", "/_emulator/faults", "not json").status == 400);
    CHECK(control(emulator, "DELETE", "/_emulator/faults").status == 204);
    CHECK(emulator.faults().empty());
  }
  SUBCASE("reset clears state, faults and the log") {
    emulator.state().put_partner(k_tenant, json::object{{"tenantId", k_tenant}});
    control(emulator, "POST", "/_emulator/faults", R"({"status":503})");
    emulator.plan(make_request("GET", k_partners), 1);
    CHECK(control(emulator, "POST", "/_emulator/reset").status == 204);
    CHECK(emulator.state().partners().empty());
    CHECK(emulator.faults().empty());
    CHECK(emulator.requests().size() == 0);
  }
  SUBCASE("unknown endpoints and methods") {
    CHECK(control(emulator, "GET", "/_emulator/nothing").status == 404);
    CHECK(control(emulator, "DELETE", "/_emulator/health").status == 405);
    CHECK(control(emulator, "GET", "/_emulator/reset").status == 405);
  }
}

TEST_SUITE_END();
