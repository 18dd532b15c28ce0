// Identity calls take the same request path as Graph calls: throttling is retried and, when it
// persists, is exit 6; a token request whose answer was lost is never resent blind.
#include <doctest/doctest.h>

#include "auth/client_secret.hpp"
#include "auth/github_oidc.hpp"
#include "auth/managed_identity.hpp"
#include "test_auth_support.hpp"

using namespace xtsync;
using namespace xtsync::auth;
using namespace xtsync::auth_test;
using std::chrono::milliseconds;

namespace {

const std::string k_token_answer = R"({"token_type":"Bearer","expires_in":3599,"access_token":"eyJ.tok.en"})";

struct RetryFixture : AuthFixture {
  std::vector<milliseconds> waits;
  AuthContext retrying() {
    auto ctx = context();
    ctx.sleep = [this](milliseconds d) { waits.push_back(d); };
    return ctx;
  }
};

}  // namespace

TEST_SUITE_BEGIN("auth");

TEST_CASE_FIXTURE(RetryFixture, "a throttled token request is retried after its Retry-After") {
  transport.respond(429, R"({"error":"temporarily_unavailable"})", {{"Retry-After", "1"}})
      .respond(200, k_token_answer);
  ClientSecretCredential credential(retrying(), "s3cret");
  CHECK(credential.get_token().value == "eyJ.tok.en");
  CHECK(transport.requests.size() == 2);
  CHECK(waits == std::vector<milliseconds>{milliseconds(1000)});
  CHECK(header_of(transport.requests[1], "Retry-Attempt") == "1");
}

TEST_CASE_FIXTURE(RetryFixture, "throttling that persists is exit 6, not an auth failure") {
  for (int i = 0; i < 5; ++i) transport.respond(503, "", {{"Retry-After", "0"}});
  const Error e = error_of([&] { ClientSecretCredential(retrying(), "s3cret").get_token(); });
  CHECK(e.kind() == ErrorKind::throttled);
  CHECK(exit_code(e.kind()) == 6);
  CHECK(std::string(e.what()).find("login.microsoftonline.com") != std::string::npos);
  CHECK(std::string(e.what()).find("gave up after 5 attempts") != std::string::npos);
  CHECK(transport.requests.size() == 5);
}

TEST_CASE_FIXTURE(RetryFixture, "a token request whose answer was lost is not resent") {
  transport.fail("the connection was closed before a response arrived");
  const Error e = error_of([&] { ClientSecretCredential(retrying(), "s3cret").get_token(); });
  CHECK(e.kind() == ErrorKind::network);
  CHECK(transport.requests.size() == 1);
  CHECK(waits.empty());
}

TEST_CASE_FIXTURE(RetryFixture, "managed identity and GitHub OIDC are retried too") {
  SUBCASE("managed identity: 429 then a token") {
    transport.respond(429, "", {{"Retry-After", "2"}}).respond(200, k_token_answer);
    CHECK(ManagedIdentityCredential(retrying()).get_token().value == "eyJ.tok.en");
    CHECK(waits == std::vector<milliseconds>{milliseconds(2000)});
  }
  SUBCASE("GitHub's ID-token endpoint: 503 then an ID token, then the token endpoint") {
    transport.respond(503, "", {{"Retry-After", "0"}})
        .respond(200, R"({"value":"eyJ.id.token"})")
        .respond(200, k_token_answer);
    GitHubOidcCredential credential(retrying(), "https://token.actions.example.com/id?api-version=2.0",
                                    "gh-req");
    CHECK(credential.get_token().value == "eyJ.tok.en");
    CHECK(transport.requests.size() == 3);
    CHECK(transport.resets == 1);  // a 503 asks for a fresh connection
  }
  SUBCASE("GitHub throttling that persists is exit 6") {
    for (int i = 0; i < 5; ++i) transport.respond(429, "", {{"Retry-After", "0"}});
    GitHubOidcCredential credential(retrying(), "https://token.actions.example.com/id?api-version=2.0",
                                    "gh-req");
    CHECK(error_of([&] { credential.get_token(); }).kind() == ErrorKind::throttled);
  }
}

TEST_SUITE_END();
