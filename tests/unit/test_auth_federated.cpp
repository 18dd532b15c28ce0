#include <doctest/doctest.h>

#include <fmt/format.h>

#include "auth/github_oidc.hpp"
#include "auth/workload_identity.hpp"
#include "support/process.hpp"
#include "test_auth_support.hpp"

using namespace xtsync;
using namespace xtsync::auth;
using namespace xtsync::auth_test;

namespace {

const std::string kAssertionPrefix =
    "client_id=" + kClientId +
    "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"
    "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
    "&client_assertion=";

std::string assertion_form(const std::string& assertion) {
  return kAssertionPrefix + assertion + "&grant_type=client_credentials";
}

}  // namespace

TEST_SUITE_BEGIN("auth");

TEST_CASE_FIXTURE(AuthFixture, "workload identity re-reads the token file on every get_token") {
  testing::TempDir dir;
  const auto file = dir.write("token", "eyJ.first.jwt\n");
  WorkloadIdentityCredential credential(context(), file);
  CHECK(credential.name() == "workload-identity");

  transport.respond(200, R"({"expires_in":3599,"access_token":"t1"})");
  CHECK(credential.get_token().value == "t1");
  dir.write("token", "eyJ.rotated.jwt");  // the kubelet rotated it
  transport.respond(200, R"({"expires_in":3599,"access_token":"t2"})");
  CHECK(credential.get_token().value == "t2");

  REQUIRE(transport.requests.size() == 2);
  CHECK(transport.requests[0].url == kTokenUrl);
  CHECK(transport.requests[0].body == assertion_form("eyJ.first.jwt"));
  CHECK(transport.requests[1].body == assertion_form("eyJ.rotated.jwt"));
}

TEST_CASE_FIXTURE(AuthFixture, "a missing or empty federated token file is an auth error naming it") {
  testing::TempDir dir;
  const Error missing = error_of([&] { WorkloadIdentityCredential(context(), dir.file("gone")).get_token(); });
  CHECK(missing.kind() == ErrorKind::auth);
  CHECK(std::string(missing.what()).find(dir.file("gone")) != std::string::npos);

  const auto empty_file = dir.write("empty", " \n");
  const Error empty = error_of([&] { WorkloadIdentityCredential(context(), empty_file).get_token(); });
  CHECK(empty.kind() == ErrorKind::auth);
  CHECK(std::string(empty.what()).find(empty_file) != std::string::npos);
  CHECK(std::string(empty.what()).find("empty") != std::string::npos);
  CHECK(transport.requests.empty());
}

TEST_CASE_FIXTURE(AuthFixture, "a federated credential mismatch shows the platform's error and a hint") {
  testing::TempDir dir;
  transport.respond(400, R"({"error":"invalid_client","error_description":"AADSTS700213: No matching federated identity record found for presented assertion subject 'system:serviceaccount:x:y'.","error_codes":[700213],"trace_id":"t","correlation_id":"c"})");
  const Error e = error_of([&] { WorkloadIdentityCredential(context(), dir.write("t", "eyJ.a.b")).get_token(); });
  CHECK(e.graph_code == "AADSTS700213");
  CHECK(std::string(e.what()).find("No matching federated identity record") != std::string::npos);
  CHECK(std::string(e.what()).find("eyJ.a.b") == std::string::npos);
  CHECK(e.hint.find("subject") != std::string::npos);
}

TEST_CASE_FIXTURE(AuthFixture, "GitHub OIDC fetches an ID token for the audience on every get_token") {
  const std::string request_url = "https://pipelines.actions.githubusercontent.com/abc/idtoken/1?api-version=2.0";
  GitHubOidcCredential credential(context(), request_url, "gh-request-token");
  CHECK(credential.name() == "github-oidc");

  for (int i = 1; i <= 2; ++i) {
    transport.respond(200, fmt::format(R"({{"count":1,"value":"eyJ.gh{}.jwt"}})", i));
    transport.respond(200, fmt::format(R"({{"expires_in":3599,"access_token":"t{}"}})", i));
    CHECK(credential.get_token().value == fmt::format("t{}", i));
  }
  REQUIRE(transport.requests.size() == 4);
  for (std::size_t i : {0u, 2u}) {
    const auto& r = transport.requests[i];
    CHECK(r.method == "GET");
    CHECK(r.url == request_url + "&audience=api%3A%2F%2FAzureADTokenExchange");
    CHECK(header_of(r, "Authorization") == "bearer gh-request-token");
  }
  CHECK(transport.requests[1].url == kTokenUrl);
  CHECK(transport.requests[1].body == assertion_form("eyJ.gh1.jwt"));
  CHECK(transport.requests[3].body == assertion_form("eyJ.gh2.jwt"));
}

TEST_CASE_FIXTURE(AuthFixture, "GitHub OIDC starts a query when the URL has none, with the cloud's audience") {
  auto ctx = context();
  ctx.cloud = cloud_by_name("china");
  transport.respond(200, R"({"value":"eyJ.cn.jwt"})");
  CHECK(GitHubOidcCredential(ctx, "https://token.example.test/idtoken", "x").fetch_id_token() == "eyJ.cn.jwt");
  CHECK(transport.requests.at(0).url == "https://token.example.test/idtoken?audience=api%3A%2F%2FAzureADTokenExchangeChina");
}

TEST_CASE_FIXTURE(AuthFixture, "GitHub OIDC failures name the GitHub step and the permission") {
  SUBCASE("HTTP error") {
    transport.respond(401, R"({"message":"Unauthorized"})");
    const Error e = error_of([&] { GitHubOidcCredential(context(), "https://gh.test/t?x=1", "secret-req").get_token(); });
    CHECK(e.kind() == ErrorKind::auth);
    CHECK(std::string(e.what()).starts_with("cannot get an ID token from GitHub Actions: HTTP 401"));
    CHECK(std::string(e.what()).find("secret-req") == std::string::npos);
    CHECK(e.hint.find("id-token: write") != std::string::npos);
    CHECK(transport.requests.size() == 1);  // nothing sent to the identity platform
  }
  SUBCASE("no value") {
    transport.respond(200, R"({"count":0})");
    const Error e = error_of([&] { GitHubOidcCredential(context(), "https://gh.test/t", "r").get_token(); });
    CHECK(std::string(e.what()).find("GitHub Actions") != std::string::npos);
    CHECK(std::string(e.what()).find("value") != std::string::npos);
  }
}

TEST_SUITE_END();
