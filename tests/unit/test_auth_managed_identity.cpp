// Only the FakeTransport is used here: nothing is ever sent to 169.254.169.254.
#include <doctest/doctest.h>

#include "auth/managed_identity.hpp"
#include "test_auth_support.hpp"

using namespace xtsync;
using namespace xtsync::auth;
using namespace xtsync::auth_test;
using std::chrono::seconds;
using std::chrono::system_clock;

TEST_SUITE_BEGIN("auth");

TEST_CASE_FIXTURE(AuthFixture, "managed identity uses IMDS when no identity endpoint is set") {
  auto ctx = context();
  ctx.client_id.clear();  // system-assigned
  ManagedIdentityCredential credential(ctx);
  CHECK(credential.name() == "managed-identity");
  transport.respond(
      200,
      R"({"access_token":"mi-tok","expires_on":"1767229200","resource":"https://graph.microsoft.com","token_type":"Bearer"})");
  const auto token = credential.get_token();
  CHECK(token.value == "mi-tok");
  CHECK(token.expires_on == system_clock::time_point(seconds(1767229200)));

  const auto& r = transport.requests.at(0);
  CHECK(r.method == "GET");
  CHECK(r.url ==
        "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01"
        "&resource=https%3A%2F%2Fgraph.microsoft.com");
  CHECK(header_of(r, "Metadata") == "true");
  CHECK(header_of(r, "X-IDENTITY-HEADER").empty());
}

TEST_CASE_FIXTURE(AuthFixture, "IMDS_ENDPOINT and a user-assigned client ID are honoured") {
  env["IMDS_ENDPOINT"] = "http://127.0.0.1:8080/";
  transport.respond(200, R"({"access_token":"t","expires_in":"3600"})");
  const auto token = ManagedIdentityCredential(context()).get_token();
  CHECK(token.expires_on == kNow + seconds(3600));
  CHECK(transport.requests.at(0).url ==
        "http://127.0.0.1:8080/metadata/identity/oauth2/token?api-version=2018-02-01"
        "&resource=https%3A%2F%2Fgraph.microsoft.com&client_id=" +
            kClientId);
}

TEST_CASE_FIXTURE(AuthFixture, "managed identity uses IDENTITY_ENDPOINT with its header when both are set") {
  env["IDENTITY_ENDPOINT"] = "http://127.0.0.1:41741/msi/token";
  env["IDENTITY_HEADER"] = "hdr-secret";
  auto ctx = context();
  ctx.cloud = cloud_by_name("usgov");
  transport.respond(
      200, R"({"access_token":"as-tok","expires_on":1767229200,"resource":"https://graph.microsoft.us"})");
  const auto token = ManagedIdentityCredential(ctx).get_token();
  CHECK(token.value == "as-tok");
  CHECK(token.expires_on == system_clock::time_point(seconds(1767229200)));
  const auto& r = transport.requests.at(0);
  CHECK(r.url ==
        "http://127.0.0.1:41741/msi/token?api-version=2019-08-01&resource=https%3A%2F%2Fgraph.microsoft.us"
        "&client_id=" +
            kClientId);
  CHECK(header_of(r, "X-IDENTITY-HEADER") == "hdr-secret");
  CHECK(header_of(r, "Metadata").empty());
}

TEST_CASE_FIXTURE(AuthFixture,
                  "IDENTITY_ENDPOINT without IDENTITY_HEADER is an error, never a silent IMDS request") {
  env["IDENTITY_ENDPOINT"] = "http://127.0.0.1:41741/msi/token";
  CHECK_THROWS_WITH_AS(ManagedIdentityCredential{context()},
                       "IDENTITY_ENDPOINT is set but IDENTITY_HEADER is not", xtsync::Error);
}

TEST_CASE_FIXTURE(AuthFixture, "managed identity errors say what the endpoint answered") {
  SUBCASE("IMDS without an identity") {
    transport.respond(400, R"({"error":"invalid_request","error_description":"Identity not found"})");
    const Error e = error_of([&] { ManagedIdentityCredential(context()).get_token(); });
    CHECK(e.kind() == ErrorKind::auth);
    CHECK(e.http_status == 400);
    CHECK(std::string(e.what()).find("IMDS") != std::string::npos);
    CHECK(std::string(e.what()).find("invalid_request: Identity not found") != std::string::npos);
    CHECK(e.hint.find("user-assigned") != std::string::npos);
  }
  SUBCASE("App Service error shape, header never shown") {
    env["IDENTITY_ENDPOINT"] = "http://127.0.0.1:41741/msi/token";
    env["IDENTITY_HEADER"] = "hdr-secret";
    transport.respond(
        500, R"({"statusCode":500,"message":"An unexpected error occured while fetching the AAD Token."})");
    const Error e = error_of([&] { ManagedIdentityCredential(context()).get_token(); });
    CHECK(std::string(e.what()).find("IDENTITY_ENDPOINT") != std::string::npos);
    CHECK(std::string(e.what()).find("unexpected error") != std::string::npos);
    CHECK(std::string(e.what()).find("hdr-secret") == std::string::npos);
  }
  SUBCASE("no token") {
    transport.respond(200, "{}");
    CHECK(std::string(error_of([&] { ManagedIdentityCredential(context()).get_token(); }).what())
              .find("no access_token") != std::string::npos);
  }
  SUBCASE("unreachable, after the request path's retries (a GET is safe to repeat)") {
    for (int i = 0; i < 5; ++i) transport.fail("timed out connecting");
    CHECK(error_of([&] { ManagedIdentityCredential(context()).get_token(); }).kind() == ErrorKind::network);
    CHECK(transport.requests.size() == 5);
  }
}

TEST_SUITE_END();
