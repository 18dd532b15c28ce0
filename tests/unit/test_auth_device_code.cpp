// The device code flow and refresh-token redemption against a scripted identity platform.
#include <doctest/doctest.h>

#include "unit/cli_fixture.hpp"

#include <fmt/format.h>

#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <sstream>

#include "auth/device_code.hpp"
#include "error.hpp"
#include "support/fake_transport.hpp"
#include "support/process.hpp"

using namespace xtsync;
using namespace std::chrono_literals;
using xtsync::testing::FakeTransport;

namespace {

const std::string kTid = "72f988bf-86f1-41af-91ab-2d7cd011db47";
// {"alg":"none","typ":"JWT"}.{"tid":kTid,"scp":"Policy.ReadWrite.CrossTenantAccess"}.sig
const std::string kJwt =
    "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0."
    "eyJ0aWQiOiI3MmY5ODhiZi04NmYxLTQxYWYtOTFhYi0yZDdjZDAxMWRiNDciLCJzY3AiOiJQb2xpY3kuUmVhZFdyaXRlLkNyb3NzVGVuYW50QWNjZXNzIn0"
    ".sig";
const std::string kDefaultClient = "14d82eec-204b-4c2f-b7e8-296a70dab67e";

std::string device_code_reply(int interval = 5, int expires_in = 900, bool with_message = true) {
  const std::string message =
      with_message ? R"(,"message":"To sign in, use a web browser to open the page https://microsoft.com/devicelogin )"
                     R"(and enter the code ABCD-EFGH to authenticate.")"
                   : "";
  return fmt::format(R"({{"device_code":"DC-secret","user_code":"ABCD-EFGH",)"
                     R"("verification_uri":"https://microsoft.com/devicelogin","expires_in":{},"interval":{}{}}})",
                     expires_in, interval, message);
}

std::string oauth_error(const std::string& error, int code = 70016) {
  return fmt::format(R"({{"error":"{}","error_description":"AADSTS{}: Something about it.\r\nTrace ID: t-1\r\n)"
                     R"(Correlation ID: c-1\r\nTimestamp: 2025-01-01 00:00:00Z","error_codes":[{}],)"
                     R"("trace_id":"t-1","correlation_id":"c-1"}})",
                     error, code, code);
}

const std::string kTokenReply =
    fmt::format(R"({{"token_type":"Bearer","scope":"https://graph.microsoft.com/Policy.ReadWrite.CrossTenantAccess",)"
                R"("expires_in":3599,"access_token":"{}","refresh_token":"RT-1"}})",
                kJwt);

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

std::map<std::string, std::string> form(const std::string& body) {
  std::map<std::string, std::string> fields;
  std::size_t start = 0;
  while (start < body.size()) {
    const auto end = std::min(body.find('&', start), body.size());
    const auto pair = std::string_view(body).substr(start, end - start);
    const auto eq = pair.find('=');
    fields[percent_decode(pair.substr(0, eq))] = percent_decode(pair.substr(eq + 1));
    start = end + 1;
  }
  return fields;
}

// An AuthContext over the fake, whose clock moves only when the flow sleeps.
struct Flow {
  FakeTransport fake;
  std::ostringstream err;
  std::vector<std::chrono::milliseconds> sleeps;
  std::chrono::system_clock::time_point clock = std::chrono::system_clock::time_point(1'700'000'000s);
  auth::AuthContext ctx;

  Flow() {
    ctx.cloud = auth::cloud_by_name("global");
    ctx.transport = &fake;
    ctx.err = &err;
    ctx.sleep = [this](std::chrono::milliseconds d) {
      sleeps.push_back(d);
      clock += d;
    };
    ctx.now = [this] { return clock; };
  }
};

}  // namespace

TEST_SUITE_BEGIN("auth");

TEST_CASE_FIXTURE(Flow, "device code: exact forms, and pending, then slow_down adds 5 s to every later poll") {
  fake.respond(200, device_code_reply())
      .respond(400, oauth_error("authorization_pending", 70016))
      .respond(400, R"({"error":"slow_down"})")
      .respond(400, oauth_error("authorization_pending", 70016))
      .respond(200, kTokenReply);
  const auto start = clock;
  const auth::UserToken token = auth::sign_in_with_device_code(ctx);

  REQUIRE(fake.requests.size() == 5);
  const auto& code = fake.requests[0];
  CHECK(code.method == "POST");
  CHECK(code.url == "https://login.microsoftonline.com/organizations/oauth2/v2.0/devicecode");
  CHECK(http::find_header(code.headers, "Content-Type") == "application/x-www-form-urlencoded");
  CHECK(form(code.body) == std::map<std::string, std::string>{
                               {"client_id", kDefaultClient},
                               {"scope", "https://graph.microsoft.com/Policy.ReadWrite.CrossTenantAccess offline_access"}});
  for (std::size_t i = 1; i < fake.requests.size(); ++i) {
    CHECK(fake.requests[i].url == "https://login.microsoftonline.com/organizations/oauth2/v2.0/token");
    CHECK(form(fake.requests[i].body) ==
          std::map<std::string, std::string>{{"grant_type", "urn:ietf:params:oauth:grant-type:device_code"},
                                             {"client_id", kDefaultClient},
                                             {"device_code", "DC-secret"}});
  }
  // Each poll waits first; slow_down raises the interval from 5 s to 10 s for good.
  CHECK(sleeps == std::vector<std::chrono::milliseconds>{5s, 5s, 10s, 10s});
  CHECK(err.str() ==
        "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code "
        "ABCD-EFGH to authenticate.\n");

  CHECK(token.access_token == kJwt);
  CHECK(token.refresh_token == "RT-1");
  CHECK(token.tenant == kTid);  // from the tid claim, not "organizations"
  CHECK(token.scope == "https://graph.microsoft.com/Policy.ReadWrite.CrossTenantAccess offline_access");
  CHECK(token.expires_on == start + 30s + 3599s);
}

TEST_CASE_FIXTURE(Flow, "device code: own tenant, client and cloud, and message built when the service sends none") {
  ctx.cloud = auth::cloud_by_name("usgov");
  ctx.tenant = "contoso.onmicrosoft.us";
  ctx.client_id = "11111111-2222-3333-4444-555555555555";
  fake.respond(200, device_code_reply(1, 900, false))
      .respond(200, R"({"access_token":"opaque","expires_in":"3600","refresh_token":"RT"})");
  const auto token = auth::sign_in_with_device_code(ctx);
  CHECK(fake.requests[0].url == "https://login.microsoftonline.us/contoso.onmicrosoft.us/oauth2/v2.0/devicecode");
  CHECK(form(fake.requests[0].body).at("scope") == "https://graph.microsoft.us/Policy.ReadWrite.CrossTenantAccess offline_access");
  CHECK(form(fake.requests[1].body).at("client_id") == ctx.client_id);
  CHECK(err.str().find("https://microsoft.com/devicelogin") != std::string::npos);
  CHECK(err.str().find("ABCD-EFGH") != std::string::npos);
  CHECK(token.tenant == "contoso.onmicrosoft.us");  // not a JWT: the tenant asked for
  CHECK(token.expires_on == clock + 3600s);         // expires_in as a string is accepted
  CHECK(sleeps == std::vector<std::chrono::milliseconds>{1s});
}

TEST_CASE_FIXTURE(Flow, "device code: declined, expired and refused sign-ins are auth errors") {
  auto failure = [&]() -> Error {
    try {
      auth::sign_in_with_device_code(ctx);
    } catch (const Error& e) {
      return e;
    }
    FAIL("no error");
    return Error(ErrorKind::failure, "");
  };
  SUBCASE("authorization_declined") {
    fake.respond(200, device_code_reply()).respond(400, oauth_error("authorization_declined", 70000));
    const Error e = failure();
    CHECK(e.kind() == ErrorKind::auth);
    CHECK(std::string(e.what()) == "sign-in was declined");
  }
  SUBCASE("access_denied (RFC 8628)") {
    fake.respond(200, device_code_reply()).respond(400, R"({"error":"access_denied"})");
    CHECK(std::string(failure().what()) == "sign-in was declined");
  }
  SUBCASE("expired_token") {
    fake.respond(200, device_code_reply()).respond(400, oauth_error("expired_token", 70020));
    const Error e = failure();
    CHECK(e.kind() == ErrorKind::auth);
    CHECK(std::string(e.what()).starts_with("the sign-in code expired"));
  }
  SUBCASE("past expires_in while still pending: stops polling") {
    fake.respond(200, device_code_reply(5, 10))
        .respond(400, oauth_error("authorization_pending"))
        .respond(400, oauth_error("authorization_pending"));
    const Error e = failure();
    CHECK(std::string(e.what()).starts_with("the sign-in code expired"));
    CHECK(fake.exhausted());
    CHECK(fake.requests.size() == 3);
  }
  SUBCASE("bad_verification_code: error, AADSTS code, trace and correlation IDs") {
    fake.respond(200, device_code_reply()).respond(400, oauth_error("bad_verification_code", 70019));
    const Error e = failure();
    CHECK(e.kind() == ErrorKind::auth);
    CHECK(e.graph_code == "bad_verification_code");
    CHECK(std::string(e.what()) ==
          "sign-in failed: cannot get a token from login.microsoftonline.com: HTTP 400: bad_verification_code "
          "AADSTS70019: Something about it. (trace ID t-1, correlation ID c-1)");
    CHECK(std::string(e.what()).find("DC-secret") == std::string::npos);
  }
  SUBCASE("the devicecode request itself refused, with a hint for a known code") {
    fake.respond(400, oauth_error("invalid_client", 7000218));
    const Error e = failure();
    CHECK(e.kind() == ErrorKind::auth);
    CHECK(std::string(e.what()).starts_with("could not start the sign-in: "));
    CHECK(std::string(e.what()).find("AADSTS7000218") != std::string::npos);
    CHECK(e.hint.find("public client flows") != std::string::npos);
    CHECK(err.str().empty());
  }
  SUBCASE("a non-OAuth answer") {
    fake.respond(502, "<html>bad gateway</html>");
    const Error e = failure();
    CHECK(e.kind() == ErrorKind::auth);
    CHECK(std::string(e.what()).find("HTTP 502") != std::string::npos);
  }
}

TEST_CASE_FIXTURE(Flow, "refresh token redemption: form fields, rotation and a kept token") {
  fake.respond(200, R"({"access_token":"AT-2","expires_in":3600,"refresh_token":"RT-2"})")
      .respond(200, R"({"access_token":"AT-3","expires_in":3600})");
  const std::string scope = auth::delegated_scope(ctx.cloud);
  auto token = auth::redeem_refresh_token(ctx, kTid, "RT-1", scope);
  CHECK(fake.requests[0].url == fmt::format("https://login.microsoftonline.com/{}/oauth2/v2.0/token", kTid));
  CHECK(form(fake.requests[0].body) == std::map<std::string, std::string>{{"grant_type", "refresh_token"},
                                                                          {"client_id", kDefaultClient},
                                                                          {"refresh_token", "RT-1"},
                                                                          {"scope", scope}});
  CHECK(token.access_token == "AT-2");
  CHECK(token.refresh_token == "RT-2");
  token = auth::redeem_refresh_token(ctx, kTid, "RT-2", scope);
  CHECK(token.refresh_token == "RT-2");  // none sent back: the old one stays
}

TEST_CASE_FIXTURE(Flow, "refresh token redemption: invalid_grant keeps the code and never shows the token") {
  fake.respond(400, oauth_error("invalid_grant", 700082));
  try {
    auth::redeem_refresh_token(ctx, kTid, "RT-secret", auth::delegated_scope(ctx.cloud));
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::auth);
    CHECK(e.graph_code == "invalid_grant");
    CHECK(std::string(e.what()).find("AADSTS700082") != std::string::npos);
    CHECK(std::string(e.what()).find("RT-secret") == std::string::npos);
  }
}

namespace {

// `xtsync login` / `xtsync logout` in process. run.cpp registers them (the lead's part), so this
// harness wires just these two commands the way run() does.
// The real CLI (login and logout registered in run()), with the cache in a temporary directory.
struct LoginCommands : testing::Cli {
  testing::TempDir tmp;
  LoginCommands() { env = {{"XDG_STATE_HOME", tmp.path()}}; }
  std::string dir() const { return tmp.path() + "/xtsync"; }
};

}  // namespace

TEST_CASE_FIXTURE(LoginCommands, "xtsync login: signs in, caches 0600, reports on stderr, JSON without tokens") {
  fake.respond(200, device_code_reply()).respond(400, oauth_error("authorization_pending")).respond(200, kTokenReply);
  CHECK(run({"login", "-o", "json"}) == 0);
  CHECK(fake.requests[0].url == "https://login.microsoftonline.com/organizations/oauth2/v2.0/devicecode");
  const std::string path = fmt::format("{}/login-global-{}-{}.json", dir(), kTid, kDefaultClient);
  CHECK(err.find("enter the code ABCD-EFGH") != std::string::npos);
  CHECK(err.find(fmt::format("Signed in to tenant {} (cloud global); the login is cached in {}.", kTid, path)) !=
        std::string::npos);
  CHECK(out.find(fmt::format(R"("tenant": "{}")", kTid)) != std::string::npos);
  CHECK(out.find(fmt::format(R"("clientId": "{}")", kDefaultClient)) != std::string::npos);
  CHECK(out.find(R"("expiresOn": ")") != std::string::npos);
  for (const std::string& secret : {kJwt, std::string("RT-1"), std::string("DC-secret")}) {
    CHECK(out.find(secret) == std::string::npos);
    CHECK(err.find(secret) == std::string::npos);
  }
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);

  SUBCASE("-q keeps only the sign-in instructions; table output prints nothing on stdout") {
    fake.respond(200, device_code_reply()).respond(200, kTokenReply);
    CHECK(run({"login", "-q", "--tenant", kTid}) == 0);
    CHECK(fake.requests[3].url == fmt::format("https://login.microsoftonline.com/{}/oauth2/v2.0/devicecode", kTid));
    CHECK(out.empty());
    CHECK(err.find("ABCD-EFGH") != std::string::npos);
    CHECK(err.find("Signed in") == std::string::npos);
  }
  SUBCASE("logout removes the last login, then has nothing to remove") {
    CHECK(run({"logout"}) == 0);
    CHECK(err == fmt::format("Removed the cached login for tenant {} (cloud global): {}\n", kTid, path));
    CHECK_FALSE(std::filesystem::exists(path));
    CHECK(run({"logout"}) == 0);
    CHECK(err == "No cached login in cloud global; nothing to remove.\n");
  }
  SUBCASE("logout --tenant removes that tenant's logins only; --all removes the rest") {
    CHECK(run({"logout", "--tenant", "33333333-3333-3333-3333-333333333333"}) == 0);
    CHECK(err.find("nothing to remove") != std::string::npos);
    CHECK(std::filesystem::exists(path));
    CHECK(run({"logout", "--tenant", kTid}) == 0);
    CHECK_FALSE(std::filesystem::exists(path));
    fake.respond(200, device_code_reply()).respond(200, kTokenReply);
    CHECK(run({"login", "--cloud", "usgov"}) == 0);
    CHECK(run({"logout", "--all"}) == 0);
    CHECK(err.find("(cloud usgov)") != std::string::npos);
    CHECK(std::filesystem::is_empty(dir()));
  }
}

TEST_CASE_FIXTURE(LoginCommands, "xtsync login: a tenant that is not a GUID or domain is a usage error") {
  CHECK(run({"login", "--tenant", "contoso/../x"}) == 2);
  CHECK(fake.requests.empty());
}

TEST_SUITE_END();
