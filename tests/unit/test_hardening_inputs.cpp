// Hostile or broken input from servers, files, the environment and flags: each case below
// once passed through unchecked (wrong host, undefined behaviour, a silent default).
#include <doctest/doctest.h>

#include "auth/client_secret.hpp"
#include "auth/device_code.hpp"
#include "auth/github_oidc.hpp"
#include "auth/managed_identity.hpp"
#include "auth/token_endpoint.hpp"
#include "auth/token_source.hpp"
#include "http/retry.hpp"
#include "http/url.hpp"
#include "support/process.hpp"
#include "test_auth_support.hpp"
#include "unit/cli_fixture.hpp"
#include "util/strings.hpp"

using namespace xtsync;
using namespace xtsync::auth_test;
using std::chrono::milliseconds;

namespace {

const std::string k_partner = "9c5d131d-b1c3-4fc4-9e3f-c6557947d551";

ErrorKind kind(auto&& f) { return error_of(f).kind(); }

}  // namespace

TEST_SUITE_BEGIN("hardening");

TEST_CASE("hardening: URLs are parsed strictly before any token is sent") {
  // Boost.URL 1.81 reads this as host 127.0.0.1, port 80, path "x:5555".
  CHECK(kind([] { http::parse_url("http://127.0.0.1x:5555"); }) == ErrorKind::usage);
  CHECK(kind([] { http::parse_url("http://%31%32%37.0.0.1/"); }) == ErrorKind::usage);
  CHECK(kind([] { http::parse_url("http://127.0.0.1:65536/"); }) == ErrorKind::usage);
  CHECK(http::parse_url("http://127.0.0.1:8080/beta?x=1").target == "/beta?x=1");
  CHECK(http::parse_url("https://graph.microsoft.us").host == "graph.microsoft.us");
  CHECK_FALSE(http::is_metadata_service_host("169.254.1.1"));
  CHECK(http::is_metadata_service_host("169.254.169.254"));
}

TEST_CASE("hardening: Retry-After in all three HTTP-date forms") {
  const auto now = std::chrono::system_clock::from_time_t(784111767);  // 1994-11-06 08:49:27 UTC
  CHECK(http::parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now) == milliseconds(10000));
  CHECK(http::parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now) == milliseconds(10000));
  CHECK(http::parse_retry_after("Sun Nov  6 08:49:37 1994", now) == milliseconds(10000));
  CHECK_FALSE(http::parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT trailing", now));
  CHECK_FALSE(http::parse_retry_after("06/11/1994", now));
}

TEST_CASE_FIXTURE(AuthFixture, "hardening: absurd lifetimes from servers are clamped, not overflowed") {
  for (const char* answer : {R"({"access_token":"eyJ.a.b","expires_in":9223372036854775807})",
                             R"({"access_token":"eyJ.a.b","expires_in":"-9223372036854775807"})",
                             R"({"access_token":"eyJ.a.b","expires_in":1e300})"}) {
    transport.respond(200, answer);
    const auto token = auth::ClientSecretCredential(context(), "s").get_token();
    CHECK(token.expires_on >= kNow);
    CHECK(token.expires_on <= kNow + auth::k_max_token_lifetime);
  }
  transport.respond(200, R"({"access_token":"eyJ.a.b","expires_on":"99999999999999999"})");
  const auto token = auth::ManagedIdentityCredential(context()).get_token();
  CHECK(token.expires_on <= kNow + auth::k_max_token_lifetime);
  CHECK(auth::epoch_time(std::numeric_limits<std::int64_t>::max()) > kNow);
  CHECK(auth::epoch_time(-5) == std::chrono::system_clock::time_point{});
}

TEST_CASE_FIXTURE(AuthFixture, "hardening: a device code asking to poll once an hour is polled every minute") {
  auto ctx = context();
  std::vector<milliseconds> sleeps;
  ctx.sleep = [&](milliseconds d) { sleeps.push_back(d); };
  transport.respond(200, R"({"device_code":"dc","user_code":"U","verification_uri":"https://x","interval":3600,"expires_in":9223372036854775807})")
      .respond(200, R"({"access_token":"eyJ.a.b","expires_in":60})");
  auth::sign_in_with_device_code(ctx);
  REQUIRE(sleeps.size() == 1);
  CHECK(sleeps[0] == std::chrono::seconds(60));
}

TEST_CASE_FIXTURE(AuthFixture, "hardening: only the metadata address may be reached without TLS, and only by IMDS") {
  env["IDENTITY_ENDPOINT"] = "http://169.254.10.10/msi/token";
  env["IDENTITY_HEADER"] = "h";
  CHECK(kind([&] { auth::ManagedIdentityCredential{context()}; }) == ErrorKind::usage);
  env["IDENTITY_ENDPOINT"] = "http://127.0.0.1:41741/msi/token";  // App Service: loopback
  CHECK_NOTHROW(auth::ManagedIdentityCredential{context()});
  env.clear();
  env["IMDS_ENDPOINT"] = "http://169.254.10.10";
  CHECK(kind([&] { auth::ManagedIdentityCredential{context()}; }) == ErrorKind::usage);
  CHECK(kind([&] { auth::GitHubOidcCredential(context(), "http://169.254.169.254/token", "t"); }) == ErrorKind::usage);
  CHECK_NOTHROW(auth::GitHubOidcCredential(context(), "https://token.actions.githubusercontent.com/x", "t"));
  CHECK(transport.requests.empty());
}

TEST_CASE("hardening: tokens and secrets from files and the environment") {
  testing::TempDir dir;
  std::istringstream none;
  SUBCASE("a UTF-8 BOM is not sent as part of a token or secret") {
    const auto file = dir.write("token", "\xEF\xBB\xBF" "eyJ.a.b\n");
    auto source = auth::resolve_token_source({file, std::nullopt}, none);
    CHECK(source->access_token() == "eyJ.a.b");
    CHECK(auth::read_client_secret_file(dir.write("secret", "\xEF\xBB\xBF" "s3cret\n"), none) == "s3cret");
  }
  SUBCASE("a 100 KB XTSYNC_ACCESS_TOKEN is a clear usage error") {
    const auto e = error_of([&] { auth::resolve_token_source({"", std::string(100 * 1024, 'a')}, none); });
    CHECK(e.kind() == ErrorKind::usage);
    CHECK(std::string(e.what()).find("not an access token") != std::string::npos);
  }
}

TEST_CASE("hardening: util::is_valid_utf8") {
  CHECK(util::is_valid_utf8("Fabrikam \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80"));
  CHECK_FALSE(util::is_valid_utf8("\xC3"));          // truncated
  CHECK_FALSE(util::is_valid_utf8("\xC0\xAF"));      // overlong '/'
  CHECK_FALSE(util::is_valid_utf8("\xED\xA0\x80"));  // a surrogate
  CHECK_FALSE(util::is_valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  CHECK_FALSE(util::is_valid_utf8("\xFF"));
}

TEST_CASE_FIXTURE(testing::Cli, "hardening: flags that would send nonsense are usage errors, before any request") {
  CHECK(run({"set", k_partner, "--display-name", "bad \xFF name"}) == 2);
  CHECK(err.find("--display-name is not valid UTF-8") != std::string::npos);
  CHECK(run({"set", k_partner, "--external-cloud-app-id", "\xC3"}) == 2);
  // An empty --graph-url (a script's unset variable) must not mean production Graph.
  CHECK(run({"get", k_partner, "--graph-url", ""}) == 2);
  CHECK(err.find("--graph-url is empty") != std::string::npos);
  CHECK(run({"get", k_partner, "--graph-url", "http://127.0.0.1x:5555"}) == 2);
  for (const char* t : {"nan", "inf", "-inf"}) {
    CHECK(run({"get", k_partner, "--timeout", t}) == 2);
  }
  CHECK(fake.requests.empty());
}

TEST_SUITE_END();

TEST_SUITE_BEGIN("hardening");

TEST_CASE_FIXTURE(testing::Cli, "hardening: a number that cannot round-trip is refused, never passed on altered") {
  testing::TempDir dir;
  const auto file = dir.write("p.json", R"({"displayName":"F","futureSetting":123456789012345678901234567890})");
  CHECK(run({"set", k_partner, "--from-file", file}) == 2);
  CHECK(err.find("123456789012345678901234567890") != std::string::npos);
  CHECK(fake.requests.empty());
  fake.respond(200, R"({"tenantId":")" + k_partner + R"(","futureSetting":-0})");
  CHECK(run({"get", k_partner, "-o", "json"}) == 1);
  CHECK(err.find("the number -0") != std::string::npos);
  CHECK(out.empty());
}

TEST_SUITE_END();
