// Writes whose answers are lost: the emulator applies the request, then drops the connection.
// xtsync must neither fail a change that happened nor apply it twice.
#include "harness.hpp"

using namespace xtsync::testing;
namespace json = boost::json;

namespace {
int count_requests(Emulator& emu, const std::string& method) {
  int n = 0;
  for (const auto& r : emu.requests()) n += r.at("method") == method.c_str() ? 1 : 0;
  return n;
}
}  // namespace

TEST_SUITE_BEGIN("integration");

TEST_CASE("reliability: a DELETE applied but unanswered is resent once and counts as done") {
  Emulator emu;
  emu.seed(json::object{{"policies", json::array{json::object{{"tenantId", kTenant}, {"displayName", "F"}}}}});
  emu.fault(json::object{{"method", "DELETE"}, {"action", "close"}, {"apply", true}, {"count", 1}});
  const auto r = run_cli(emu, {"delete", kTenant});
  CHECK(r.exit_code == 0);
  CHECK(count_requests(emu, "DELETE") == 2);
  const auto state = emu.state();
  CHECK(state.at("policies").as_array().empty());
  CHECK(state.at("deleted").as_array().size() == 1);
}

TEST_CASE("reliability: a restore applied but unanswered is read back, not resent") {
  Emulator emu;
  emu.seed(json::object{{"deleted", json::array{json::object{{"tenantId", kTenant},
                                                             {"displayName", "F"},
                                                             {"deletedDateTime", "2026-11-01T10:00:00Z"}}}}});
  emu.fault(json::object{{"method", "POST"}, {"path", "/restore"}, {"action", "close"}, {"apply", true}, {"count", 1}});
  const auto r = run_cli(emu, {"restore", kTenant, "-o", "tsv"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == kTenant + "\tF\t\t\n");
  CHECK(count_requests(emu, "POST") == 1);
  CHECK(emu.state().at("policies").as_array().size() == 1);
}

TEST_CASE("reliability: set --create-partner survives a lost partner-create answer") {
  Emulator emu;
  emu.fault(json::object{{"method", "POST"}, {"path", "/partners"}, {"action", "close"}, {"apply", true}, {"count", 1}});
  const auto r = run_cli(emu, {"set", kTenant, "--create-partner", "--user-sync", "allow"});
  CHECK(r.exit_code == 0);
  CHECK(count_requests(emu, "POST") == 1);
  CHECK(count_requests(emu, "PUT") == 1);
  CHECK(emu.state().at("partners").as_array().size() == 1);
}

TEST_SUITE_END();

TEST_SUITE_BEGIN("integration");

TEST_CASE("reliability: set whose create-only PUT answer was lost is done, not a conflict") {
  // Before: the transport resent the PUT on a fresh connection, Graph answered 409
  // Request_MultipleObjectsWithSameKeyValue, and a successful create was reported as exit 5.
  Emulator emu({"--partner", kTenant});
  emu.fault(json::object{{"method", "PUT"}, {"action", "close"}, {"apply", true}, {"count", 1}});
  const auto r = run_cli(emu, {"set", kTenant, "--display-name", "F", "--user-sync", "allow", "-o", "json"});
  CHECK(r.exit_code == 0);
  CHECK(count_requests(emu, "PUT") == 1);
  CHECK(json::parse(r.out).at("displayName") == "F");
}

TEST_CASE("reliability: a PATCH applied but unanswered is read back and not sent again") {
  Emulator emu;
  emu.seed(json::object{{"policies", json::array{json::object{{"tenantId", kTenant}, {"displayName", "Old"}}}}});
  emu.fault(json::object{{"method", "PATCH"}, {"action", "close"}, {"apply", true}, {"count", 1}});
  const auto r = run_cli(emu, {"set", kTenant, "--display-name", "New"});
  CHECK(r.exit_code == 0);
  CHECK(count_requests(emu, "PATCH") == 1);
  CHECK(emu.state().at("policies").as_array()[0].at("displayName") == "New");
}

TEST_CASE("reliability: a Ctrl-C that lands while the first GET completes stops set before it writes") {
  // Before: the flag was looked at only between 100 ms slices of an outstanding response, so a
  // Ctrl-C at ~40 ms into an 80 ms GET was lost and the PATCH still went out (10 of 10 runs).
  Emulator emu;
  emu.seed(json::object{{"policies", json::array{json::object{{"tenantId", kTenant}, {"displayName", "Old"}}}}});
  emu.fault(json::object{{"method", "GET"}, {"path", "/identitySynchronization"}, {"delayMs", 80}, {"count", 1}});
  ProcessOptions options;
  options.interrupt_after_ms = 40;
  const auto r = run_cli(emu, {"set", kTenant, "--display-name", "New"}, options);
  CHECK(r.exit_code == 130);
  CHECK(count_requests(emu, "PATCH") == 0);
  CHECK(emu.state().at("policies").as_array()[0].at("displayName") == "Old");
}

TEST_SUITE_END();
