#include <doctest/doctest.h>

#include <sstream>

#include "error.hpp"
#include "http/debug_transport.hpp"
#include "support/fake_transport.hpp"

using namespace xtsync;
using namespace xtsync::http;

TEST_SUITE_BEGIN("http");

TEST_CASE("http::redact_header") {
  CHECK(redact_header("Authorization", "Bearer eyJ0eXAi.secret") == "Bearer [REDACTED]");
  CHECK(redact_header("proxy-authorization", "Basic dXNlcjpwdw==") == "Basic [REDACTED]");
  CHECK(redact_header("X-Ms-Token-Aad", "abc") == "[REDACTED]");
  CHECK(redact_header("X-IDENTITY-HEADER", "managed-identity-secret") == "[REDACTED]");
  CHECK(redact_header("client-request-id", "1234") == "1234");
}

TEST_CASE("http::redact_body") {
  CHECK(redact_body(R"({"access_token":"s3cr3t","token_type":"Bearer","expires_in":3599})") ==
        R"({"access_token":"[REDACTED]","token_type":"[REDACTED]","expires_in":3599})");
  CHECK(redact_body(R"({"error":{"code":"Request_ResourceNotFound","message":"m"}})") ==
        R"({"error":{"code":"Request_ResourceNotFound","message":"m"}})");
  CHECK(redact_body("client_id=abc&client_secret=s3cr3t&grant_type=client_credentials&code=xyz") ==
        "client_id=abc&client_secret=[REDACTED]&grant_type=client_credentials&code=[REDACTED]");
  CHECK(redact_body("plain text body") == "plain text body");
  CHECK(redact_body(R"({"count":1,"value":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"})") ==
        R"({"count":1,"value":"[REDACTED]"})");
}

TEST_CASE("http::redact_url") {
  CHECK(redact_url("https://h/p?$skiptoken=abc&code=xyz") == "https://h/p?$skiptoken=[REDACTED]&code=[REDACTED]");
  CHECK(redact_url("http://user:pw@proxy:8080/") == "http://[REDACTED]@proxy:8080/");
  CHECK(redact_url("https://graph.microsoft.com/beta/x") == "https://graph.microsoft.com/beta/x");
}

TEST_CASE("http::DebugTransport logs the exchange without the token") {
  testing::FakeTransport fake;
  fake.respond(200, R"({"tenantId":"t"})", {{"request-id", "rid-1"}}).fail("cannot connect to h:1: refused");
  std::ostringstream log;
  DebugTransport debug(fake, log);
  Request request{"GET", "https://graph.microsoft.com/beta/x", {{"Authorization", "Bearer super-secret-token"}}, ""};
  const auto response = debug.send(request);
  CHECK(response.status == 200);
  CHECK(fake.requests.at(0).headers.at(0).value == "Bearer super-secret-token");  // sent unchanged
  const std::string text = log.str();
  CHECK(text.find("debug: > GET https://graph.microsoft.com/beta/x\n") != std::string::npos);
  CHECK(text.find("debug: > Authorization: Bearer [REDACTED]\n") != std::string::npos);
  CHECK(text.find("debug: < 200 OK (") != std::string::npos);
  CHECK(text.find("debug: < request-id: rid-1\n") != std::string::npos);
  CHECK(text.find("super-secret-token") == std::string::npos);
  CHECK_THROWS_AS(debug.send(request), Error);
  CHECK(log.str().find("debug: ! cannot connect to h:1: refused") != std::string::npos);
}

TEST_SUITE_END();
