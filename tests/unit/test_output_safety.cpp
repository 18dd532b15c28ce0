// Server-supplied text cannot drive the terminal or forge rows, and no secret the process holds
// reaches any output, whatever a server echoes back.
#include <doctest/doctest.h>

#include <sstream>

#include "unit/cli_fixture.hpp"
#include "util/base64.hpp"
#include "util/redact.hpp"
#include "util/terminal_text.hpp"

using namespace xtsync;
using xtsync::testing::Cli;

namespace {

const std::string k_tenant = "9c5d131d-b1c3-4fc4-9e3f-c6557947d551";
const std::string k_token = "tok-canary-6f1e2d3c4b5a";
const std::string k_osc_title = "\x1b]0;pwned\x07";

std::size_t lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

struct SafeCli : Cli {
  SafeCli() { env["XTSYNC_ACCESS_TOKEN"] = k_token; }
  void no_token_anywhere() const {
    for (const auto& form : {k_token, util::base64_encode(k_token), util::base64url_encode(k_token)}) {
      CHECK_MESSAGE(out.find(form) == std::string::npos, "stdout shows the token");
      CHECK_MESSAGE(err.find(form) == std::string::npos, "stderr shows the token");
    }
  }
};

}  // namespace

TEST_SUITE_BEGIN("safety");

TEST_CASE("util::escape_controls") {
  using util::ControlEscape;
  CHECK(util::escape_controls("plain, 日本 😀") == "plain, 日本 😀");
  CHECK(util::escape_controls(k_osc_title) == "\\x1b]0;pwned\\x07");
  CHECK(util::escape_controls("a\nb\rc\x7f") == "a\\nb\\rc\\x7f");
  CHECK(util::escape_controls("a\tb") == "a\tb");
  CHECK(util::escape_controls("a\tb", ControlEscape::cell) == "a\\tb");
  CHECK(util::escape_controls("\xc2\x9b" "2J") == "\\u009b2J");  // C1 CSI
  CHECK(util::escape_controls("bad \xff byte") == "bad \\xff byte");
}

TEST_CASE("util::redact_secrets covers every form of a registered secret") {
  util::register_secret("s3cret/value+x=y");
  CHECK(util::redact_secrets("a s3cret/value+x=y b") == "a [REDACTED] b");
  CHECK(util::redact_secrets(util::base64_encode("s3cret/value+x=y")) == "[REDACTED]");
  CHECK(util::redact_secrets("client_secret=s3cret%2Fvalue%2Bx%3Dy&") == "client_secret=[REDACTED]&");
  CHECK(util::redact_secrets("s3cret%2fvalue%2bx%3dy") == "[REDACTED]");
  util::register_secret("short");  // too short to redact without damage
  CHECK(util::redact_secrets("short") == "short");

  // Through a stream: a secret written in pieces is still caught.
  std::ostringstream sink;
  {
    util::RedactingStreambuf buffer(sink);
    std::ostream out(&buffer);
    out << "token s3cret/v" << "alue+x=y here\n" << "next";
  }
  CHECK(sink.str() == "token [REDACTED] here\nnext");
}

TEST_CASE_FIXTURE(SafeCli, "safety: control characters in server data are escaped in tables and TSV, kept in JSON") {
  const std::string policy = R"({"tenantId":")" + k_tenant + R"(","displayName":"Fab\u001b]0;pwned\u0007\nrikam\tx"})";
  fake.respond(200, policy);
  REQUIRE(run({"get", k_tenant}) == 0);
  CHECK(out.find('\x1b') == std::string::npos);
  CHECK(out.find("Fab\\x1b]0;pwned\\x07\\nrikam\\tx") != std::string::npos);
  CHECK(lines(out) == 6);  // the header and the five properties: the newline forged no row
  fake.respond(200, policy);
  REQUIRE(run({"get", k_tenant, "-o", "tsv"}) == 0);
  CHECK(lines(out) == 1);
  CHECK(std::count(out.begin(), out.end(), '\t') == 3);
  fake.respond(200, policy);
  REQUIRE(run({"get", k_tenant, "-o", "json"}) == 0);
  CHECK(out.find(R"("Fab\u001b]0;pwned\u0007\nrikam\tx")") != std::string::npos);
}

TEST_CASE_FIXTURE(SafeCli, "safety: Graph's error text is escaped") {
  fake.respond(400, R"({"error":{"code":"Bad\u001b[2J","message":"clear \u001b[2J screen\u009b"}})");
  CHECK(run({"get", k_tenant}) == 1);
  CHECK(err.find('\x1b') == std::string::npos);
  CHECK(err.find("\\x1b[2J") != std::string::npos);
  CHECK(err.find("\xc2\x9b") == std::string::npos);
}

TEST_CASE_FIXTURE(SafeCli, "safety: a bearer token echoed by a server is never printed") {
  const std::string echo = R"({"error":{"code":"InvalidAuthenticationToken","message":"token Bearer )" + k_token +
                           R"( is not valid; base64 )" + util::base64_encode(k_token) + R"("}})";
  SUBCASE("in the normal error line") {
    fake.respond(401, echo);
    CHECK(run({"get", k_tenant}) == 4);
    CHECK(err.find("[REDACTED]") != std::string::npos);
  }
  SUBCASE("in --debug, inside a longer string, and percent-encoded in a URL") {
    fake.respond(302, "", {{"Location", "/beta/x?note=see%20" + k_token}}).respond(401, echo);
    CHECK(run({"get", k_tenant, "--debug"}) == 4);
  }
  SUBCASE("in a display name") {
    fake.respond(200, R"({"tenantId":")" + k_tenant + R"(","displayName":")" + k_token + R"("})");
    CHECK(run({"get", k_tenant, "-o", "json"}) == 0);
  }
  no_token_anywhere();
}

TEST_CASE_FIXTURE(SafeCli, "safety: a JWT inside a longer text in a --debug body is redacted") {
  const std::string jwt = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln";
  fake.respond(400, R"({"error":{"code":"x","message":"the id token )" + jwt + R"( was refused"}})");
  CHECK(run({"get", k_tenant, "--debug"}) == 1);
  CHECK_MESSAGE(err.find(jwt) == std::string::npos, err);
}

TEST_SUITE_END();
