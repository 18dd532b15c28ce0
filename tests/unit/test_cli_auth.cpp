// Credential selection and `auth status`, in process with a scripted transport.
#include <doctest/doctest.h>

#include "auth/jwt.hpp"
#include "unit/cli_fixture.hpp"
#include "util/base64.hpp"

using namespace xtsync;
using xtsync::testing::Cli;

namespace {

const std::string kTenant = "9c5d131d-b1c3-4fc4-9e3f-c6557947d551";
const std::string kHomeTenant = "11111111-2222-3333-4444-555555555555";
const std::string kClient = "aaaabbbb-0000-cccc-1111-dddd2222eeee";
const std::string kPolicy = R"({"tenantId":")" + kTenant + R"(","displayName":"F"})";

std::string fake_jwt(const std::string& claims) {
  return util::base64url_encode(R"({"alg":"RS256","typ":"JWT"})") + "." + util::base64url_encode(claims) +
         ".c2ln";
}

std::string token_response(const std::string& token) {
  return R"({"token_type":"Bearer","expires_in":3599,"access_token":")" + token + R"("})";
}

}  // namespace

TEST_SUITE_BEGIN("cli");

TEST_CASE_FIXTURE(Cli, "cli auth: with no source at all, exit 4 listing what was tried") {
  env.clear();
  CHECK(run({"get", kTenant}) == 4);
  for (const char* method : {"token:", "client-secret:", "client-certificate:", "workload-identity:",
                             "github-oidc:", "managed-identity:", "device-code:", "azure-cli:"}) {
    CHECK(err.find(method) != std::string::npos);
  }
  CHECK(run({"auth", "status"}) == 4);
  CHECK(fake.requests.empty());
}

TEST_CASE_FIXTURE(Cli, "cli auth: a forced source names what it lacks") {
  env = {{"AZURE_CLIENT_SECRET", "s3cr3t-canary"}};
  CHECK(run({"get", kTenant, "--auth", "client-secret"}) == 4);
  CHECK(err.find("AZURE_TENANT_ID") != std::string::npos);
  CHECK(err.find("s3cr3t-canary") == std::string::npos);
  CHECK(run({"get", kTenant, "--auth", "github-oidc"}) == 4);
  CHECK(run({"get", kTenant, "--auth", "nonsense"}) == 2);
  CHECK(fake.requests.empty());
}

TEST_CASE_FIXTURE(Cli, "cli auth: client secret from the environment, token reused across requests") {
  env = {{"AZURE_TENANT_ID", kHomeTenant},
         {"AZURE_CLIENT_ID", kClient},
         {"AZURE_CLIENT_SECRET", "s3cr3t-canary"}};
  const std::string issued =
      fake_jwt(R"({"tid":")" + kHomeTenant + R"(","roles":["Policy.ReadWrite.CrossTenantAccess"]})");
  fake.respond(200, token_response(issued)).respond(200, kPolicy).respond(204).respond(200, kPolicy);
  CHECK(run({"set", kTenant, "--display-name", "G", "--debug"}) == 0);
  REQUIRE(fake.requests.size() == 4);
  const auto& token_request = fake.requests[0];
  CHECK(token_request.method == "POST");
  CHECK(token_request.url == "https://login.microsoftonline.com/" + kHomeTenant + "/oauth2/v2.0/token");
  CHECK(token_request.body.find("grant_type=client_credentials") != std::string::npos);
  CHECK(token_request.body.find("client_secret=s3cr3t-canary") != std::string::npos);
  CHECK(token_request.body.find("scope=https%3A%2F%2Fgraph.microsoft.com%2F.default") != std::string::npos);
  for (std::size_t i = 1; i < 4; ++i) {
    CHECK(http::find_header(fake.requests[i].headers, "Authorization") == "Bearer " + issued);
  }
  CHECK(err.find("debug: credentials: client-secret (AZURE_CLIENT_SECRET is set)") != std::string::npos);
  CHECK(err.find("s3cr3t-canary") == std::string::npos);
  CHECK(err.find(issued) == std::string::npos);
  CHECK(out.find(issued) == std::string::npos);
}

TEST_CASE_FIXTURE(Cli, "cli auth: flags override the environment, and the cloud picks the login host") {
  env = {{"AZURE_TENANT_ID", "ignored"}, {"AZURE_CLIENT_ID", "ignored"}};
  stdin_text = "from-stdin-secret\n";
  fake.respond(200, token_response("t")).respond(200, kPolicy);
  CHECK(run({"get", kTenant, "--cloud", "usgov", "--tenant", kHomeTenant, "--client-id", kClient,
             "--client-secret-file", "-"}) == 0);
  REQUIRE(fake.requests.size() == 2);
  CHECK(fake.requests[0].url == "https://login.microsoftonline.us/" + kHomeTenant + "/oauth2/v2.0/token");
  CHECK(fake.requests[0].body.find("client_secret=from-stdin-secret&") != std::string::npos);
  CHECK(fake.requests[0].body.find("scope=https%3A%2F%2Fgraph.microsoft.us%2F.default") != std::string::npos);
  CHECK(fake.requests[1].url.starts_with("https://graph.microsoft.us/beta/"));

  fake.respond(200, token_response("t")).respond(200, kPolicy);
  CHECK(run({"get", kTenant, "--tenant", kHomeTenant, "--client-id", kClient, "--client-secret-file", "-",
             "--authority-url", "login.example.test"}) == 0);
  CHECK(fake.requests[2].url == "https://login.example.test/" + kHomeTenant + "/oauth2/v2.0/token");
}

TEST_CASE_FIXTURE(Cli, "cli auth: token endpoint errors are exit 4 with the AADSTS code and a hint") {
  env = {{"AZURE_TENANT_ID", kHomeTenant},
         {"AZURE_CLIENT_ID", kClient},
         {"AZURE_CLIENT_SECRET", "wrong-canary"}};
  fake.respond(
      401,
      R"({"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value.\r\nTrace ID: 0d2f\r\nCorrelation ID: 77aa\r\nTimestamp: 2026-11-28 10:00:00Z","error_codes":[7000215],"trace_id":"0d2f","correlation_id":"77aa"})");
  CHECK(run({"get", kTenant}) == 4);
  CHECK(err.find("AADSTS7000215") != std::string::npos);
  CHECK(err.find("0d2f") != std::string::npos);
  CHECK(err.find("hint: ") != std::string::npos);
  CHECK(err.find("wrong-canary") == std::string::npos);
  CHECK(fake.requests.size() == 1);
}

TEST_CASE_FIXTURE(Cli, "cli auth status: the source and the token's claims, never the token") {
  const std::string token =
      fake_jwt(R"({"aud":"https://graph.microsoft.com","tid":")" + kHomeTenant + R"(","appid":")" + kClient +
               R"(","exp":1900000000,"roles":["Policy.Read.All","Policy.ReadWrite.CrossTenantAccess"]})");
  env = {{"XTSYNC_ACCESS_TOKEN", token}};
  CHECK(run({"auth", "status"}) == 0);
  CHECK(out.find("token (XTSYNC_ACCESS_TOKEN is set)") != std::string::npos);
  CHECK(out.find(kHomeTenant) != std::string::npos);
  CHECK(out.find(kClient) != std::string::npos);
  CHECK(out.find("2030-03-17T17:46:40Z") != std::string::npos);
  CHECK(out.find("Policy.Read.All Policy.ReadWrite.CrossTenantAccess") != std::string::npos);
  CHECK(out.find(token) == std::string::npos);
  CHECK(run({"auth", "status", "-o", "json"}) == 0);
  CHECK(out.find(R"("source": "token")") != std::string::npos);
  CHECK(out.find(R"("expiresOn": "2030-03-17T17:46:40Z")") != std::string::npos);
  CHECK(out.find(token) == std::string::npos);
  // The token has no scopes: the table says "-", TSV leaves the field empty.
  CHECK(run({"auth", "status"}) == 0);
  CHECK(out.find("SCOPES     -\n") != std::string::npos);
  CHECK(run({"auth", "status", "-o", "tsv"}) == 0);
  CHECK(out.find("SCOPES\t\n") != std::string::npos);
  CHECK(out.find("\t-") == std::string::npos);
  CHECK(fake.requests.empty());
}

TEST_SUITE_END();
