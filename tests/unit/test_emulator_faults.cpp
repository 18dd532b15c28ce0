// Scripted faults: parsing, matching, consumption, and the plan the server follows.
#include <doctest/doctest.h>

#include "emulator/emulator.hpp"
#include "emulator/faults.hpp"
#include "test_emulator_helpers.hpp"

using namespace emutest;

namespace {

emu::Fault fault(const char* spec) {
  return emu::parse_fault(json::parse(spec));
}

}  // namespace

TEST_SUITE_BEGIN("emulator");

TEST_CASE("emulator::parse_fault") {
  const auto f = fault(R"({"method":"get","path":"/identitySynchronization","count":2,"status":429,)"
                       R"("retryAfter":"2","delayMs":150,"headers":{"x-ms-throttle-scope":"Tenant"}})");
  CHECK(f.method == "GET");
  CHECK(f.remaining == 2);
  CHECK(f.action == emu::FaultAction::respond);
  CHECK(f.status == 429);
  CHECK(f.retry_after == "2");
  CHECK(f.delay == std::chrono::milliseconds(150));

  CHECK(fault(R"({"retryAfter":2.128})").retry_after == "2.128");
  CHECK(fault(R"({"action":"close-mid-body"})").action == emu::FaultAction::close_mid_body);
  CHECK(fault(R"({"action":"close","apply":true})").apply);

  CHECK_THROWS_AS(fault(R"({"action":"explode"})"), std::invalid_argument);
  CHECK_THROWS_AS(fault(R"({"count":0})"), std::invalid_argument);
  CHECK_THROWS_AS(fault(R"({"status":99})"), std::invalid_argument);
  CHECK_THROWS_AS(fault(R"({"delayMs":-1})"), std::invalid_argument);
  CHECK_THROWS_AS(fault(R"({"stauts":503})"), std::invalid_argument);
  CHECK_THROWS_AS(fault(R"({"apply":true})"), std::invalid_argument);
  CHECK_THROWS_AS(fault(R"([])"), std::invalid_argument);
}

TEST_CASE("emulator::FaultList matches in order and consumes counts") {
  emu::FaultList faults;
  faults.add(fault(R"({"method":"PATCH","status":503})"));
  faults.add(fault(R"({"path":"deletedItems","count":2,"status":504})"));
  faults.add(fault(R"({"status":500})"));

  CHECK(faults.take("GET", "/beta/policies/DELETEDITEMS/crossTenantSyncPolicyPartners")->status == 504);
  CHECK(faults.take("PATCH", "/beta/policies/deletedItems/x")->status == 503);  // first added wins
  CHECK(faults.take("GET", "/beta/policies/deletedItems/x")->status == 504);
  CHECK(faults.take("GET", "/beta/policies/deletedItems/x")->status == 500);  // the 504 is used up
  CHECK_FALSE(faults.take("GET", "/beta/policies/deletedItems/x"));
  CHECK(faults.empty());
}

TEST_CASE("emulator::Fault default response") {
  const emu::CallContext ctx{"req-id", "client-id", emu::Clock::from_time_t(0)};
  const auto throttled = fault(R"({"status":429,"retryAfter":"5"})").response(ctx);
  CHECK(throttled.status == 429);
  CHECK(throttled.header("Retry-After") == "5");
  CHECK(throttled.header("request-id") == "req-id");
  CHECK(error_code(throttled) == "TooManyRequests");
  CHECK(body_of(throttled).at("error").at("innerError").at("client-request-id") == "client-id");

  const auto raw = fault(R"({"status":502,"body":"<html>proxy</html>"})").response(ctx);
  CHECK(raw.body == "<html>proxy</html>");
  CHECK(raw.header("Content-Type") == "text/plain; charset=utf-8");
}

TEST_CASE("emulator::Emulator::plan logs Graph requests and applies faults") {
  emu::Emulator emulator(emu::EmulatorOptions{}, k_base);
  emulator.state().put_partner(k_tenant, json::object{{"tenantId", k_tenant}});

  SUBCASE("respond: the scripted answer, and the state is untouched") {
    emulator.faults().add(fault(R"({"method":"PUT","status":503,"retryAfter":"1"})"));
    const auto put = make_request("PUT", policy_path(k_tenant), R"({"displayName":"X"})");
    const emu::Plan plan = emulator.plan(put, 7);
    CHECK_FALSE(plan.handle);
    REQUIRE(plan.response);
    CHECK(plan.response->status == 503);
    CHECK(emulator.state().policy(k_tenant) == nullptr);
    CHECK(emulator.requests().size() == 1);
    CHECK(emulator.requests().entries()[0].at("connection") == 7);
    // The retry is not faulted and is handled for real.
    const emu::Plan retry = emulator.plan(put, 8);
    CHECK(retry.handle);
    CHECK(emulator.handle(put).status == 204);
  }
  SUBCASE("delay without a status: wait, then handle normally") {
    emulator.faults().add(fault(R"({"delayMs":250})"));
    const emu::Plan plan = emulator.plan(make_request("GET", k_partners), 1);
    CHECK(plan.handle);
    CHECK(plan.delay == std::chrono::milliseconds(250));
    CHECK(plan.action == emu::FaultAction::respond);
  }
  SUBCASE("close, with and without applying the request first") {
    emulator.faults().add(fault(R"({"action":"close"})"));
    emulator.faults().add(fault(R"({"action":"close","apply":true})"));
    const auto get = make_request("GET", k_partners);
    const emu::Plan lost = emulator.plan(get, 1);
    CHECK(lost.action == emu::FaultAction::close);
    CHECK_FALSE(lost.handle);
    const emu::Plan applied = emulator.plan(get, 1);
    CHECK(applied.action == emu::FaultAction::close);
    CHECK(applied.handle);
  }
  SUBCASE("control requests are never faulted or logged") {
    emulator.faults().add(fault(R"({"status":500})"));
    const emu::Plan plan = emulator.plan(make_request("GET", "/_emulator/health"), 1);
    CHECK(plan.handle);
    CHECK_FALSE(plan.fault_id);
    CHECK(emulator.requests().size() == 0);
    CHECK_FALSE(emulator.faults().empty());
  }
}

TEST_SUITE_END();
