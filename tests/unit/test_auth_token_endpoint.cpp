#include <doctest/doctest.h>

#include <sstream>

#include "auth/client_secret.hpp"
#include "auth/token_endpoint.hpp"
#include "util/strings.hpp"
#include "support/process.hpp"
#include "test_auth_support.hpp"

using namespace xtsync;
using namespace xtsync::auth;
using namespace xtsync::auth_test;
using std::chrono::seconds;

namespace {

const std::string kSecret = "s3cr3t~value+with/odd=chars&more";

// The identity platform's documented error body, with one code.
std::string aad_error(const std::string& error, long code, const std::string& text) {
  return R"({"error":")" + error + R"(","error_description":"AADSTS)" + std::to_string(code) + ": " + text +
         R"(\r\nTrace ID: 255d1aef\r\nCorrelation ID: fb3d2015\r\nTimestamp: 2016-01-09 02:02:12Z","error_codes":[)" +
         std::to_string(code) +
         R"(],"timestamp":"2016-01-09 02:02:12Z","trace_id":"255d1aef-8c98","correlation_id":"fb3d2015-bc17"})";
}

}  // namespace

TEST_SUITE_BEGIN("auth");

TEST_CASE("util::percent_encode keeps only unreserved characters") {
  CHECK(util::percent_encode("AZaz09-._~") == "AZaz09-._~");
  CHECK(util::percent_encode("https://graph.microsoft.com/.default") == "https%3A%2F%2Fgraph.microsoft.com%2F.default");
  CHECK(util::percent_encode("a b+c&d=e%") == "a%20b%2Bc%26d%3De%25");
  CHECK(util::percent_encode("\xc3\xa9") == "%C3%A9");
  CHECK(form_encode({{"a", "1"}, {"b c", "x&y"}}) == "a=1&b%20c=x%26y");
}

TEST_CASE_FIXTURE(AuthFixture, "ClientSecretCredential posts the client_credentials grant") {
  transport.respond(200, R"({"token_type":"Bearer","expires_in":3599,"access_token":"eyJ.tok.en"})");
  ClientSecretCredential credential(context(), kSecret);
  CHECK(credential.name() == "client-secret");
  const auto token = credential.get_token();
  CHECK(token.value == "eyJ.tok.en");
  CHECK(token.expires_on == kNow + seconds(3599));

  REQUIRE(transport.requests.size() == 1);
  const auto& r = transport.requests[0];
  CHECK(r.method == "POST");
  CHECK(r.url == kTokenUrl);
  CHECK(r.body == "client_id=" + kClientId +
                      "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"
                      "&client_secret=s3cr3t~value%2Bwith%2Fodd%3Dchars%26more"
                      "&grant_type=client_credentials");
  CHECK(header_of(r, "Content-Type") == "application/x-www-form-urlencoded");
  CHECK(header_of(r, "Accept") == "application/json");
  CHECK(header_of(r, "User-Agent") == "xtsync/" XTSYNC_VERSION);
  CHECK(header_of(r, "client-request-id").size() == 36);
  CHECK(header_of(r, "Authorization").empty());
}

TEST_CASE_FIXTURE(AuthFixture, "the token endpoint follows the cloud and the tenant") {
  auto ctx = context();
  ctx.cloud = cloud_by_name("usgov");
  ctx.tenant = "contoso.onmicrosoft.us";
  transport.respond(200, R"({"expires_in":"3600","access_token":"t"})");
  const auto token = ClientSecretCredential(ctx, "x").get_token();
  CHECK(token.expires_on == kNow + seconds(3600));  // numeric string
  CHECK(transport.requests.at(0).url == "https://login.microsoftonline.us/contoso.onmicrosoft.us/oauth2/v2.0/token");
  CHECK(transport.requests.at(0).body.find("scope=https%3A%2F%2Fgraph.microsoft.us%2F.default") != std::string::npos);
}

TEST_CASE_FIXTURE(AuthFixture, "request_token_response returns the refresh token and scope") {
  transport.respond(200, R"({"access_token":"a","refresh_token":"r","scope":"Policy.Read.All","expires_in":60.0})");
  const auto token = request_token_response(context(), {{"grant_type", "refresh_token"}, {"refresh_token", "old"}});
  CHECK(token.access_token == "a");
  CHECK(token.refresh_token == "r");
  CHECK(token.scope == "Policy.Read.All");
  CHECK(token.expires_on == kNow + seconds(60));
}

TEST_CASE_FIXTURE(AuthFixture, "post_form exposes the OAuth error fields for polling") {
  transport.respond(400, R"({"error":"authorization_pending","error_description":"AADSTS70016: pending","error_codes":[70016]})");
  const auto reply = post_form(context(), kTokenUrl, {{"grant_type", "urn:ietf:params:oauth:grant-type:device_code"}});
  CHECK_FALSE(reply.ok());
  CHECK(reply.status == 400);
  CHECK(reply.error == "authorization_pending");
  CHECK(reply.error_codes == std::vector<std::int64_t>{70016});
  CHECK(transport.requests.at(0).body == "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code");
}

TEST_CASE_FIXTURE(AuthFixture, "token endpoint errors name the host, the code and the IDs, with a hint") {
  struct Case {
    long code;
    const char* error;
    const char* hint_part;
  };
  const Case cases[] = {
      {7000215, "invalid_client", "secret"},      {7000222, "invalid_client", "expired"},
      {90002, "invalid_request", "--tenant"},     {700016, "unauthorized_client", "client ID"},
      {65001, "invalid_grant", "consent"},        {70021, "invalid_request", "federated credential"},
      {700213, "invalid_request", "subject"},     {700212, "invalid_request", "audience"},
      {700027, "invalid_client", "certificate"},  {700024, "invalid_client", "clock"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.code);
    transport.respond(401, aad_error(c.error, c.code, "Something went wrong " + kSecret + "."));
    const Error e = error_of([&] { ClientSecretCredential(context(), kSecret).get_token(); });
    const std::string what = e.what();
    CHECK(e.kind() == ErrorKind::auth);
    CHECK(e.http_status == 401);
    CHECK(e.graph_code == "AADSTS" + std::to_string(c.code));
    CHECK(what.find("login.microsoftonline.com") != std::string::npos);
    CHECK(what.find(c.error) != std::string::npos);
    CHECK(what.find("AADSTS" + std::to_string(c.code) + ": Something went wrong") != std::string::npos);
    CHECK(what.find("trace ID 255d1aef-8c98, correlation ID fb3d2015-bc17") != std::string::npos);
    CHECK(what.find("Timestamp") == std::string::npos);  // only the first line of the description
    CHECK(what.find(kSecret) == std::string::npos);      // redacted even when echoed
    CHECK(e.hint.find(c.hint_part) != std::string::npos);
    CHECK(e.client_request_id.size() == 36);
  }
}

TEST_CASE_FIXTURE(AuthFixture, "an assertion echoed in an error description is redacted") {
  transport.respond(400, R"({"error":"invalid_client","error_description":"AADSTS50027: bad token eyJhbGciOi.eyJzdWIi.c2ln"})");
  const Error e = error_of([&] { request_token_with_assertion(context(), "eyJhbGciOi.eyJzdWIi.c2ln"); });
  CHECK(std::string(e.what()).find("eyJ") == std::string::npos);
  CHECK(e.graph_code == "AADSTS50027");  // from the description when error_codes is missing
  CHECK(e.hint.empty());
}

TEST_CASE_FIXTURE(AuthFixture, "unexpected answers from the token endpoint are auth errors with the status") {
  SUBCASE("HTML") {
    transport.respond(502, "<html>Bad gateway " + kSecret + "</html>");
    const Error e = error_of([&] { ClientSecretCredential(context(), kSecret).get_token(); });
    CHECK(e.kind() == ErrorKind::auth);
    CHECK(e.http_status == 502);
    CHECK(std::string(e.what()).find("HTTP 502") != std::string::npos);
    CHECK(std::string(e.what()).find(kSecret) == std::string::npos);
  }
  SUBCASE("JSON without a token") {
    transport.respond(200, R"({"token_type":"Bearer"})");
    const Error e = error_of([&] { ClientSecretCredential(context(), kSecret).get_token(); });
    CHECK(e.kind() == ErrorKind::auth);
    CHECK(std::string(e.what()).find("no access_token") != std::string::npos);
  }
  SUBCASE("an error status without details") {
    transport.respond(500, "{}");
    const Error e = error_of([&] { ClientSecretCredential(context(), kSecret).get_token(); });
    CHECK(e.kind() == ErrorKind::auth);
    CHECK(std::string(e.what()).find("HTTP 500") != std::string::npos);
  }
  SUBCASE("transport failures stay network errors") {
    transport.fail("connection refused");
    const Error e = error_of([&] { ClientSecretCredential(context(), kSecret).get_token(); });
    CHECK(e.kind() == ErrorKind::network);
  }
}

TEST_CASE("read_client_secret_file trims one trailing newline and refuses empty secrets") {
  testing::TempDir dir;
  std::istringstream none;
  CHECK(read_client_secret_file(dir.write("s", "abc\n"), none) == "abc");
  CHECK(read_client_secret_file(dir.write("crlf", "abc\r\n"), none) == "abc");
  CHECK(read_client_secret_file(dir.write("raw", " a b "), none) == " a b ");
  std::istringstream in("from-stdin\n");
  CHECK(read_client_secret_file("-", in) == "from-stdin");

  const Error empty = error_of([&] { read_client_secret_file(dir.write("e", "\n"), none); });
  CHECK(empty.kind() == ErrorKind::usage);
  CHECK(std::string(empty.what()).find("empty") != std::string::npos);
  const Error missing = error_of([&] { read_client_secret_file(dir.file("nope"), none); });
  CHECK(missing.kind() == ErrorKind::usage);
  CHECK(std::string(missing.what()).find(dir.file("nope")) != std::string::npos);
  std::istringstream blank("");
  CHECK(error_of([&] { read_client_secret_file("-", blank); }).kind() == ErrorKind::usage);
}

TEST_SUITE_END();
