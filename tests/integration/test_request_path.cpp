// The one request path, end to end: identity-platform calls are retried like Graph calls.
#include "harness.hpp"

using namespace xtsync::testing;
namespace json = boost::json;

namespace {

const std::string k_home = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const std::string k_client = "aaaabbbb-0000-cccc-1111-dddd2222eeee";
const std::string k_secret = "canary-secret-path-4d2a";

ProcessOptions client_secret_env(Emulator& emu) {
  ProcessOptions o;
  o.env = {{"XTSYNC_ACCESS_TOKEN", ""},
           {"AZURE_AUTHORITY_HOST", emu.url()},
           {"AZURE_TENANT_ID", k_home},
           {"AZURE_CLIENT_ID", k_client},
           {"AZURE_CLIENT_SECRET", k_secret}};
  return o;
}

std::size_t count_requests(Emulator& emu, std::string_view path_part) {
  std::size_t n = 0;
  for (const auto& line : request_lines(emu)) n += line.find(path_part) != std::string::npos;
  return n;
}

}  // namespace

TEST_SUITE_BEGIN("integration");

TEST_CASE("request path: a 429 from the token endpoint is waited out, not an auth failure") {
  Emulator emu({"--client-secret", k_client + "=" + k_secret});
  emu.seed(
      json::object{{"policies", json::array{json::object{{"tenantId", kTenant}, {"displayName", "F"}}}}});
  emu.fault(json::object{{"path", "/oauth2/v2.0/token"}, {"status", 429}, {"retryAfter", "1"}, {"count", 1}});
  const auto r = run_cli(emu, {"get", kTenant}, client_secret_env(emu));
  CHECK(r.exit_code == 0);
  CHECK(count_requests(emu, "/oauth2/v2.0/token") == 2);
  CHECK(r.err.find(k_secret) == std::string::npos);
}

TEST_CASE("request path: identity throttling that persists is exit 6") {
  Emulator emu({"--client-secret", k_client + "=" + k_secret});
  emu.fault(
      json::object{{"path", "/oauth2/v2.0/token"}, {"status", 503}, {"retryAfter", "0"}, {"count", 10}});
  const auto r = run_cli(emu, {"get", kTenant, "--max-retries", "2"}, client_secret_env(emu));
  CHECK(r.exit_code == 6);
  CHECK(r.err.find("cannot get a token from 127.0.0.1") != std::string::npos);
  CHECK(r.err.find("gave up after 3 attempts") != std::string::npos);
  CHECK(count_requests(emu, "/oauth2/v2.0/token") == 3);
  CHECK(count_requests(emu, "/identitySynchronization") == 0);
}

TEST_CASE("request path: a token request whose answer was lost is not resent blind") {
  Emulator emu({"--client-secret", k_client + "=" + k_secret});
  emu.fault(json::object{{"path", "/oauth2/v2.0/token"}, {"action", "close"}, {"apply", true}});
  const auto r = run_cli(emu, {"get", kTenant}, client_secret_env(emu));
  CHECK(r.exit_code == 7);
  CHECK(count_requests(emu, "/oauth2/v2.0/token") == 1);
  CHECK(count_requests(emu, "/identitySynchronization") == 0);
}

TEST_SUITE_END();
