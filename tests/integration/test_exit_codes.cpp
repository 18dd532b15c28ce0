// Every exit code of the contract, produced by the real binary against the emulator.
#include <chrono>
#include <csignal>

#include "harness.hpp"
#include "support/test_ca.hpp"

using namespace xtsync::testing;
namespace json = boost::json;

namespace {
json::object seeded_policy() {
  return json::object{{"policies", json::array{json::object{{"tenantId", kTenant},
                                                            {"displayName", "Fabrikam"},
                                                            {"userSyncInbound", json::object{{"isSyncAllowed", true}}}}}}};
}
}  // namespace

TEST_SUITE_BEGIN("integration");

TEST_CASE("exit 0 and 1: success, and an unexpected server error") {
  Emulator emu;
  emu.seed(seeded_policy());
  CHECK(run_cli(emu, {"get", kTenant}).exit_code == 0);
  emu.fault(json::object{{"method", "GET"}, {"path", "/identitySynchronization"}, {"status", 500}, {"count", 1}});
  const auto r = run_cli(emu, {"get", kTenant});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("HTTP 500") != std::string::npos);
}

TEST_CASE("exit 2: usage errors send nothing") {
  Emulator emu;
  // A domain name is resolved now (test_partner_names); what is neither is a usage error.
  CHECK(run_cli(emu, {"get", "not a partner"}).exit_code == 2);
  CHECK(run_cli(emu, {"get", "contoso"}).exit_code == 2);
  CHECK(run_cli(emu, {"set", kTenant}).exit_code == 2);
  CHECK(run_cli(emu, {"list-deleted", "--api-version", "v1.0"}).exit_code == 2);
  CHECK(run_cli(emu, {"bogus"}).exit_code == 2);
  const auto r = run_cli(emu, {"purge", kTenant});  // stdin is a pipe, not a terminal
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--yes") != std::string::npos);
  CHECK(emu.requests().empty());
}

TEST_CASE("exit 3: not found") {
  Emulator emu({"--partner", kTenant});
  auto r = run_cli(emu, {"get", kTenant});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("Request_ResourceNotFound") != std::string::npos);
  CHECK(r.err.find("request-id") != std::string::npos);
  CHECK(run_cli(emu, {"delete", kTenant}).exit_code == 3);
  CHECK(run_cli(emu, {"purge", kTenant, "--yes"}).exit_code == 3);
  // A missing partner configuration names the flag that fixes it.
  r = run_cli(emu, {"set", kOtherTenant, "--user-sync", "allow"});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("--create-partner") != std::string::npos);
}

TEST_CASE("exit 4: no credentials, a rejected token, missing permissions") {
  Emulator emu({"--read-only-token", "reader-token"});
  emu.seed(seeded_policy());
  ProcessOptions no_token;
  no_token.env["XTSYNC_ACCESS_TOKEN"] = "";
  auto r = run_cli(emu, {"get", kTenant}, no_token);
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("XTSYNC_ACCESS_TOKEN") != std::string::npos);

  ProcessOptions wrong;
  wrong.env["XTSYNC_ACCESS_TOKEN"] = "not-a-valid-token";
  r = run_cli(emu, {"get", kTenant}, wrong);
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("InvalidAuthenticationToken") != std::string::npos);
  CHECK(r.err.find("not-a-valid-token") == std::string::npos);

  ProcessOptions reader;
  reader.env["XTSYNC_ACCESS_TOKEN"] = "reader-token";
  CHECK(run_cli(emu, {"get", kTenant}, reader).exit_code == 0);
  r = run_cli(emu, {"delete", kTenant}, reader);
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("Authorization_RequestDenied") != std::string::npos);
  CHECK(r.err.find("Policy.ReadWrite.CrossTenantAccess") != std::string::npos);
  CHECK(emu.state().at("policies").as_array().size() == 1);
}

TEST_CASE("exit 4: token from a file, and a bad token file is a usage error") {
  Emulator emu;
  emu.seed(seeded_policy());
  TempDir dir;
  ProcessOptions no_env;
  no_env.env["XTSYNC_ACCESS_TOKEN"] = "";
  const auto token_file = dir.write("token", std::string(kEmulatorToken) + "\n");
  CHECK(run_cli(emu, {"get", kTenant, "--access-token-file", token_file}, no_env).exit_code == 0);
  CHECK(run_cli(emu, {"get", kTenant, "--access-token-file", dir.file("nope")}, no_env).exit_code == 2);
  CHECK(run_cli(emu, {"get", kTenant, "--access-token-file", dir.write("empty", "")}, no_env).exit_code == 2);
}

TEST_CASE("exit 5: conflict") {
  Emulator emu;
  emu.seed(seeded_policy());
  emu.seed(json::object{{"deleted", json::array{json::object{{"tenantId", kTenant},
                                                             {"deletedDateTime", "2026-11-01T10:00:00Z"}}}}});
  const auto r = run_cli(emu, {"restore", kTenant});  // an active policy already exists
  CHECK(r.exit_code == 5);
  CHECK(r.err.find("Request_MultipleObjectsWithSameKeyValue") != std::string::npos);
}

TEST_CASE("exit 6: throttled or unavailable after all retries") {
  Emulator emu;
  emu.seed(seeded_policy());
  emu.fault(json::object{{"path", "/identitySynchronization"}, {"status", 429}, {"retryAfter", "0.1"}, {"count", 3}});
  auto r = run_cli(emu, {"get", kTenant, "--max-retries", "2"});
  CHECK(r.exit_code == 6);
  CHECK(r.err.find("gave up after 3 attempts") != std::string::npos);
  CHECK(emu.requests().size() == 3);

  // The same fault with one retry more succeeds on the fourth attempt.
  emu.clear_requests();
  emu.fault(json::object{{"path", "/identitySynchronization"}, {"status", 503}, {"retryAfter", "0"}, {"count", 3}});
  r = run_cli(emu, {"get", kTenant, "--max-retries", "3"});
  CHECK(r.exit_code == 0);
  const auto log = emu.requests();
  REQUIRE(log.size() == 4);
  CHECK(log[0].at("headers").at("client-request-id") == log[3].at("headers").at("client-request-id"));
  CHECK(log[3].at("headers").at("retry-attempt") == "3");
}

TEST_CASE("exit 7: network and TLS failures") {
  // Port 1 on loopback: nothing listens there, so the connection is refused.
  Emulator emu;
  ProcessOptions options;
  options.env["XTSYNC_GRAPH_URL"] = "http://127.0.0.1:1";
  auto r = run_cli(emu, {"get", kTenant, "--max-retries", "0"}, options);
  CHECK(r.exit_code == 7);
  CHECK(r.err.find("127.0.0.1:1") != std::string::npos);

  // The connection drops before any response.
  emu.fault(json::object{{"path", "/identitySynchronization"}, {"action", "close"}, {"count", 2}});
  r = run_cli(emu, {"get", kTenant, "--max-retries", "1"});
  CHECK(r.exit_code == 7);

  // A request that takes longer than --timeout.
  emu.fault(json::object{{"path", "/identitySynchronization"}, {"delayMs", 3000}, {"count", 1}});
  r = run_cli(emu, {"get", kTenant, "--max-retries", "0", "--timeout", "0.5"});
  CHECK(r.exit_code == 7);
  CHECK(r.err.find("timed out") != std::string::npos);
}

TEST_CASE("exit 130: interrupted, saying what was and was not done") {
  Emulator emu;
  emu.seed(seeded_policy());
  using clock = std::chrono::steady_clock;

  SUBCASE("Ctrl-C while a GET waits for Graph") {
    emu.fault(json::object{{"path", "/identitySynchronization"}, {"delayMs", 10000}, {"count", 1}});
    ProcessOptions options;
    options.interrupt_after_ms = 500;
    const auto start = clock::now();
    const auto r = run_cli(emu, {"get", kTenant}, options);
    CHECK(r.exit_code == 130);
    CHECK(clock::now() - start < std::chrono::seconds(5));  // not the 10 s the server takes
    CHECK(r.out.empty());
    CHECK(r.err.find("interrupted") != std::string::npos);
    CHECK(r.err.find("changed nothing") != std::string::npos);
  }
  SUBCASE("SIGTERM during a retry wait: nothing more is sent") {
    emu.fault(json::object{{"path", "/identitySynchronization"}, {"status", 503}, {"retryAfter", "30"}, {"count", 1}});
    ProcessOptions options;
    options.interrupt_after_ms = 500;
    options.interrupt_signal = SIGTERM;
    const auto r = run_cli(emu, {"delete", kTenant}, options);
    CHECK(r.exit_code == 130);
    CHECK(r.err.find("changed nothing") != std::string::npos);
    CHECK(emu.requests().size() == 1);
    CHECK(emu.state().at("policies").as_array().size() == 1);
  }
  SUBCASE("Ctrl-C after a write went out: the user is told it may have been applied") {
    emu.fault(json::object{{"method", "PATCH"}, {"delayMs", 10000}, {"count", 1}});
    ProcessOptions options;
    options.interrupt_after_ms = 700;
    const auto r = run_cli(emu, {"set", kTenant, "--display-name", "Changed"}, options);
    CHECK(r.exit_code == 130);
    CHECK(r.err.find("may have applied it") != std::string::npos);
    CHECK(r.err.find("xtsync get") != std::string::npos);
  }
}

TEST_SUITE_END();
