// The emulated identity platform: client secrets, scopes and tenants, device code, refresh
// rotation, issued tokens at Graph, the GitHub and managed-identity providers, and counters.
#include <doctest/doctest.h>

#include "test_emulator_identity_helpers.hpp"
#include "util/base64.hpp"

using namespace emutest;

namespace {

emu::IdentityOptions secret_client(std::string secret = "s3cret") {
  emu::IdentityOptions options;
  options.client_secrets = {{k_client, std::move(secret)}};
  return options;
}

std::string credentials_body(const std::string& secret, const std::string& scope = "https%3A%2F%2Fgraph.microsoft.com%2F.default") {
  return fmt::format("client_id={}&scope={}&client_secret={}&grant_type=client_credentials", k_client, scope, secret);
}

std::string device_body(const std::string& code) {
  return fmt::format("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&client_id={}&device_code={}",
                     k_client, code);
}

std::string start_device(IdentityFixture& f, const std::string& scope) {
  const auto started = f.post_form(k_device_path, fmt::format("client_id={}&scope={}", k_client, scope));
  REQUIRE(started.status == 200);
  return str(body_of(started).at("device_code"));
}

}  // namespace

TEST_SUITE_BEGIN("emulator");

TEST_CASE("emulator::Identity client credentials with a secret") {
  IdentityFixture f(secret_client());

  SUBCASE("success: a JWT-shaped app token for the resource") {
    const auto response = f.token(credentials_body("s3cret"));
    REQUIRE(response.status == 200);
    CHECK(response.header("Cache-Control") == "no-store, no-cache");
    const auto body = body_of(response).as_object();
    CHECK(body.at("token_type") == "Bearer");
    CHECK(body.at("expires_in") == 3600);
    CHECK(body.at("ext_expires_in") == 3600);
    CHECK_FALSE(body.contains("refresh_token"));
    const std::string token = str(body.at("access_token"));
    const auto parsed = emu::parse_jwt(token);
    REQUIRE(parsed);
    CHECK(parsed->header.at("alg") == "RS256");
    CHECK(parsed->header.at("typ") == "JWT");
    CHECK(parsed->header.at("kid") == "xtsync-emulator");
    const auto& claims = parsed->payload;
    CHECK(claims.at("aud") == "https://graph.microsoft.com");
    CHECK(str(claims.at("iss")) == fmt::format("{}/{}/v2.0", k_base, k_tenant));
    CHECK(claims.at("tid") == k_tenant);
    CHECK(claims.at("appid") == k_client);
    CHECK(claims.at("azp") == k_client);
    CHECK(claims.at("oid").is_string());
    CHECK(claims.at("exp").as_int64() == claims.at("iat").as_int64() + 3600);
    CHECK(claims.at("nbf") == claims.at("iat"));
    CHECK(claims.at("roles") == json::array{"Policy.ReadWrite.CrossTenantAccess"});
    CHECK_FALSE(claims.contains("scp"));
  }
  SUBCASE("the secret may come in HTTP Basic authentication") {
    Request request;
    request.method = "POST";
    request.url = k_token_path;
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"},
                       {"Authorization", fmt::format("Basic {}", xtsync::util::base64url_encode(fmt::format("{}:s3cret", k_client)))}};
    request.body = "grant_type=client_credentials&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default";
    CHECK(f.emulator->handle(request).status == 200);
  }
  SUBCASE("a wrong secret is 401 invalid_client AADSTS7000215 in the identity platform's shape") {
    Request request;
    request.method = "POST";
    request.url = k_token_path;
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"client-request-id", "corr-1"}};
    request.body = credentials_body("nope");
    const auto response = f.emulator->handle(request);
    CHECK(response.status == 401);
    const auto body = body_of(response).as_object();
    CHECK(body.at("error") == "invalid_client");
    CHECK(body.at("error_codes") == json::array{7000215});
    CHECK(body.at("correlation_id") == "corr-1");
    const std::string description = str(body.at("error_description"));
    CHECK(description.starts_with("AADSTS7000215: Invalid client secret provided."));
    CHECK(description.find(fmt::format("\r\nTrace ID: {}\r\nCorrelation ID: corr-1\r\nTimestamp: 2025-06-18 23:11:01Z",
                                       str(body.at("trace_id")))) != std::string::npos);
    CHECK(body.at("timestamp") == "2025-06-18 23:11:01Z");
  }
  SUBCASE("an unknown client is 400 unauthorized_client AADSTS700016") {
    const auto response = f.token(
        "client_id=99999999-2222-3333-4444-555555555555&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"
        "&client_secret=s3cret&grant_type=client_credentials");
    CHECK(response.status == 400);
    CHECK(oauth_error(response) == "unauthorized_client");
    CHECK(aadsts(response) == 700016);
  }
  SUBCASE("no credential at all is 401 invalid_client AADSTS7000218") {
    const auto response =
        f.token(fmt::format("client_id={}&scope={}&grant_type=client_credentials", k_client, k_graph_default));
    CHECK(response.status == 401);
    CHECK(aadsts(response) == 7000218);
  }
  SUBCASE("scope must be one <resource>/.default") {
    for (const std::string scope : {"https%3A%2F%2Fgraph.microsoft.com%2FPolicy.Read.All",
                                    "https%3A%2F%2Fgraph.microsoft.com%2F.default+offline_access", ""}) {
      CAPTURE(scope);
      const auto response = f.token(credentials_body("s3cret", scope));
      CHECK(response.status == 400);
      if (scope.empty()) {
        CHECK(oauth_error(response) == "invalid_request");
        CHECK(aadsts(response) == 900144);
      } else {
        CHECK(oauth_error(response) == "invalid_scope");
        CHECK(aadsts(response) == 70011);
      }
    }
  }
  SUBCASE("a body that is not a form misses grant_type; GET is refused") {
    Request json_request;
    json_request.method = "POST";
    json_request.url = k_token_path;
    json_request.headers = {{"Content-Type", "application/json"}};
    json_request.body = R"({"grant_type":"client_credentials"})";
    const auto response = f.emulator->handle(json_request);
    CHECK(response.status == 400);
    CHECK(oauth_error(response) == "invalid_request");
    CHECK(aadsts(response) == 900144);
    const auto get = f.get(k_token_path);
    CHECK(get.status == 400);
    CHECK(aadsts(get) == 900561);
  }
  SUBCASE("unsupported grant types") {
    const auto response = f.token("grant_type=password&client_id=x");
    CHECK(response.status == 400);
    CHECK(oauth_error(response) == "unsupported_grant_type");
  }
  SUBCASE("client credentials need a specific tenant") {
    const auto response = f.post_form("/common/oauth2/v2.0/token", credentials_body("s3cret"));
    CHECK(response.status == 400);
    CHECK(aadsts(response) == 50059);
  }
}

TEST_CASE("emulator::Identity tenants") {
  SUBCASE("without --tenant-id any GUID or domain is accepted, and a domain maps to the default tid") {
    IdentityFixture f(secret_client());
    const auto response = f.post_form("/contoso.onmicrosoft.com/oauth2/v2.0/token", credentials_body("s3cret"));
    REQUIRE(response.status == 200);
    CHECK(str(claims_of(str(body_of(response).at("access_token"))).at("tid")) == emu::k_default_tenant_id);
    const auto bad = f.post_form("/not_a_tenant/oauth2/v2.0/token", credentials_body("s3cret"));
    CHECK(bad.status == 400);
    CHECK(oauth_error(bad) == "invalid_request");
    CHECK(aadsts(bad) == 90002);
  }
  SUBCASE("with --tenant-id only those exist") {
    auto options = secret_client();
    options.tenants = {"contoso.onmicrosoft.com", "90E29127-71AD-49C7-9CE8-DB3F41EA06F1"};
    IdentityFixture f(options);
    CHECK(f.token(credentials_body("s3cret")).status == 200);
    const auto by_domain = f.post_form("/Contoso.onmicrosoft.com/oauth2/v2.0/token", credentials_body("s3cret"));
    REQUIRE(by_domain.status == 200);
    CHECK(claims_of(str(body_of(by_domain).at("access_token"))).at("tid") == k_tenant);
    const auto other = f.post_form(fmt::format("/{}/oauth2/v2.0/token", k_other), credentials_body("s3cret"));
    CHECK(aadsts(other) == 90002);
  }
}

TEST_CASE("emulator::Identity issued tokens at Graph") {
  auto options = secret_client();
  options.client_secrets.emplace_back("22222222-2222-3333-4444-555555555555", "reader");
  options.read_only_clients = {"22222222-2222-3333-4444-555555555555"};
  options.token_lifetime = std::chrono::seconds(600);
  IdentityFixture f(options);
  const auto issue = [&](const std::string& client, const std::string& secret,
                         const std::string& scope = "https%3A%2F%2Fgraph.microsoft.com%2F.default") {
    const auto response = f.token(
        fmt::format("client_id={}&scope={}&client_secret={}&grant_type=client_credentials", client, scope, secret));
    REQUIRE(response.status == 200);
    return str(body_of(response).at("access_token"));
  };
  const std::string writer = issue(k_client, "s3cret");

  SUBCASE("accepted for reads and writes until exp, then 401 expired") {
    CHECK(f.graph("GET", k_partners, writer).status == 200);
    CHECK(f.graph("POST", k_partners, writer, fmt::format(R"({{"tenantId":"{}"}})", k_tenant)).status == 201);
    f.now += std::chrono::seconds(599);
    CHECK(f.graph("GET", k_partners, writer).status == 200);
    f.now += std::chrono::seconds(1);
    const auto expired = f.graph("GET", k_partners, writer);
    CHECK(expired.status == 401);
    CHECK(error_code(expired) == "InvalidAuthenticationToken");
    CHECK(body_of(expired).at("error").at("message") == "Lifetime validation failed, the token is expired.");
    // The --token values keep working alongside.
    CHECK(f.graph("GET", k_partners, "emulator-token").status == 200);
  }
  SUBCASE("a read-only client's token gets Policy.Read.All: reads pass, writes are 403") {
    const std::string reader = issue("22222222-2222-3333-4444-555555555555", "reader");
    CHECK(claims_of(reader).at("roles") == json::array{"Policy.Read.All"});
    CHECK(f.graph("GET", k_partners, reader).status == 200);
    const auto write = f.graph("POST", k_partners, reader, fmt::format(R"({{"tenantId":"{}"}})", k_tenant));
    CHECK(write.status == 403);
    CHECK(error_code(write) == "Authorization_RequestDenied");
  }
  SUBCASE("a token for another resource is refused as an invalid audience") {
    const std::string other = issue(k_client, "s3cret", "https%3A%2F%2Fmanagement.azure.com%2F.default");
    CHECK(claims_of(other).at("aud") == "https://management.azure.com");
    const auto response = f.graph("GET", k_partners, other);
    CHECK(response.status == 401);
    CHECK(body_of(response).at("error").at("message") == "Access token validation failure. Invalid audience.");
  }
  SUBCASE("national-cloud Graph audiences and the emulator's own base URL are Graph") {
    CHECK(f.graph("GET", k_partners, issue(k_client, "s3cret", "https%3A%2F%2Fgraph.microsoft.us%2F.default"))
              .status == 200);
    CHECK(f.graph("GET", k_partners, issue(k_client, "s3cret", "http%3A%2F%2F127.0.0.1%3A8080%2F.default")).status ==
          200);
  }
  SUBCASE("a made-up JWT is unknown") {
    CHECK(f.graph("GET", k_partners, writer + "x").status == 401);
  }
}

TEST_CASE("emulator::Identity device code flow") {
  emu::IdentityOptions options;
  options.device_interval = std::chrono::seconds(5);
  options.device_pending_polls = 1;
  IdentityFixture f(options);
  const std::string scope =
      "https%3A%2F%2Fgraph.microsoft.com%2FPolicy.ReadWrite.CrossTenantAccess+offline_access+openid+profile";

  SUBCASE("the devicecode answer") {
    const auto started = f.post_form(k_device_path, fmt::format("client_id={}&scope={}", k_client, scope));
    REQUIRE(started.status == 200);
    const auto body = body_of(started).as_object();
    const std::string user_code = str(body.at("user_code"));
    CHECK(user_code.size() == 9);
    CHECK(std::all_of(user_code.begin(), user_code.end(), [](char c) { return c >= 'A' && c <= 'Z'; }));
    CHECK(str(body.at("verification_uri")) == fmt::format("{}/devicelogin", k_base));
    CHECK(body.at("expires_in") == 900);
    CHECK(body.at("interval") == 5);
    CHECK(str(body.at("message")) ==
          fmt::format("To sign in, use a web browser to open the page {}/devicelogin and enter the code {} to "
                      "authenticate.",
                      k_base, user_code));
    CHECK_FALSE(str(body.at("device_code")).empty());
    CHECK(f.get("/devicelogin").status == 200);
  }
  SUBCASE("pending, slow_down when too fast, then approved with refresh and id tokens") {
    const std::string code = start_device(f, scope);
    const auto pending = f.token(device_body(code));
    CHECK(pending.status == 400);
    CHECK(oauth_error(pending) == "authorization_pending");
    CHECK(aadsts(pending) == 70016);
    f.now += std::chrono::seconds(2);
    CHECK(oauth_error(f.token(device_body(code))) == "slow_down");
    f.now += std::chrono::seconds(5);
    const auto approved = f.token(device_body(code));
    REQUIRE(approved.status == 200);
    const auto body = body_of(approved).as_object();
    CHECK(body.at("token_type") == "Bearer");
    CHECK(str(body.at("scope")) ==
          "https://graph.microsoft.com/Policy.ReadWrite.CrossTenantAccess offline_access openid profile");
    CHECK(body.contains("refresh_token"));
    CHECK(claims_of(str(body.at("id_token"))).at("aud") == k_client);
    const auto claims = claims_of(str(body.at("access_token")));
    CHECK(claims.at("scp") == "Policy.ReadWrite.CrossTenantAccess openid profile");
    CHECK_FALSE(claims.contains("roles"));
    CHECK(claims.at("aud") == "https://graph.microsoft.com");
    CHECK(f.graph("PUT", policy_path(k_tenant), str(body.at("access_token")), "{}").status == 404);  // no partner
    // The code is used up.
    f.now += std::chrono::seconds(5);
    CHECK(oauth_error(f.token(device_body(code))) == "bad_verification_code");
    const auto counters = f.counters();
    CHECK(counters.at("tokenRequests").at("device_code") == 4);
    CHECK(counters.at("devicePolls") == 4);
    CHECK(counters.at("deviceCodeRequests") == 1);
    CHECK(counters.at("tokensIssued") == 1);
  }
  SUBCASE("a delegated token without the write scope can read but not write") {
    const std::string code = start_device(f, "Policy.Read.All");
    f.token(device_body(code));
    f.now += std::chrono::seconds(5);
    const auto approved = f.token(device_body(code));
    REQUIRE(approved.status == 200);
    CHECK_FALSE(body_of(approved).as_object().contains("refresh_token"));
    const std::string token = str(body_of(approved).at("access_token"));
    CHECK(f.graph("GET", k_partners, token).status == 200);
    CHECK(f.graph("POST", k_partners, token, fmt::format(R"({{"tenantId":"{}"}})", k_tenant)).status == 403);
  }
  SUBCASE("a token with neither permission cannot even read") {
    const std::string code = start_device(f, "User.Read");
    f.token(device_body(code));
    f.now += std::chrono::seconds(5);
    const auto approved = f.token(device_body(code));
    REQUIRE(approved.status == 200);
    CHECK(f.graph("GET", k_partners, str(body_of(approved).at("access_token"))).status == 403);
  }
  SUBCASE("scripted: slow_down answers first, then pending, then approve") {
    const auto scripted =
        f.post_form("/_emulator/device", R"({"pendingPolls":2,"slowDown":1,"outcome":"approve"})");
    CHECK(scripted.status == 200);
    CHECK(body_of(f.get("/_emulator/device")) == json::parse(R"({"pendingPolls":2,"slowDown":1,"outcome":"approve"})"));
    const std::string code = start_device(f, scope);
    std::vector<std::string> answers;
    for (int i = 0; i < 4; ++i) {
      const auto response = f.token(device_body(code));
      answers.push_back(response.status == 200 ? "ok" : oauth_error(response));
      f.now += std::chrono::seconds(5);
    }
    CHECK(answers == std::vector<std::string>{"slow_down", "authorization_pending", "authorization_pending", "ok"});
  }
  SUBCASE("scripted decline and expire") {
    REQUIRE(f.post_form("/_emulator/device", R"({"pendingPolls":0,"outcome":"decline"})").status == 200);
    const std::string declined = start_device(f, scope);
    const auto response = f.token(device_body(declined));
    CHECK(oauth_error(response) == "authorization_declined");
    CHECK(aadsts(response) == 70000);
    REQUIRE(f.post_form("/_emulator/device", R"({"pendingPolls":0,"outcome":"expire"})").status == 200);
    const auto expired = f.token(device_body(start_device(f, scope)));
    CHECK(oauth_error(expired) == "expired_token");
    CHECK(aadsts(expired) == 70020);
    CHECK(f.post_form("/_emulator/device", R"({"outcome":"maybe"})").status == 400);
    CHECK(f.post_form("/_emulator/device", R"({"pendingpolls":1})").status == 400);
  }
  SUBCASE("codes expire after expires_in; unknown codes and other clients' codes are bad") {
    const std::string code = start_device(f, scope);
    f.now += std::chrono::seconds(900);
    CHECK(oauth_error(f.token(device_body(code))) == "expired_token");
    CHECK(oauth_error(f.token(device_body("nope"))) == "bad_verification_code");
    const std::string other = start_device(f, scope);
    const auto response = f.token(fmt::format(
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&client_id=abc&device_code={}", other));
    CHECK(oauth_error(response) == "bad_verification_code");
  }
  SUBCASE("a bad scope is refused when the flow starts") {
    const auto response = f.post_form(
        k_device_path, fmt::format("client_id={}&scope=https%3A%2F%2Fgraph.microsoft.com%2FA+https%3A%2F%2Fvault."
                                   "azure.net%2FB",
                                   k_client));
    CHECK(response.status == 400);
    CHECK(oauth_error(response) == "invalid_scope");
  }
}

TEST_CASE("emulator::Identity device code: --public-client and interval 0") {
  emu::IdentityOptions options;
  options.public_clients = {k_client};
  options.device_interval = std::chrono::seconds(0);
  options.device_pending_polls = 0;
  IdentityFixture f(options);
  const auto refused =
      f.post_form(k_device_path, "client_id=99999999-2222-3333-4444-555555555555&scope=Policy.Read.All");
  CHECK(refused.status == 400);
  CHECK(oauth_error(refused) == "unauthorized_client");
  CHECK(aadsts(refused) == 700016);
  const auto started = f.post_form(k_device_path, fmt::format("client_id={}&scope=Policy.Read.All", k_client));
  REQUIRE(started.status == 200);
  CHECK(body_of(started).at("interval") == 0);
  CHECK(f.token(device_body(str(body_of(started).at("device_code")))).status == 200);
}

TEST_CASE("emulator::Identity refresh token rotation") {
  emu::IdentityOptions options;
  options.device_pending_polls = 0;
  IdentityFixture f(options);
  const std::string code = start_device(f, "https%3A%2F%2Fgraph.microsoft.com%2F.default+offline_access");
  const auto approved = f.token(device_body(code));
  REQUIRE(approved.status == 200);
  CHECK(claims_of(str(body_of(approved).at("access_token"))).at("scp") == "Policy.ReadWrite.CrossTenantAccess");
  const std::string first = str(body_of(approved).at("refresh_token"));
  const auto refresh = [&](const std::string& token, const std::string& client = k_client) {
    return f.token(fmt::format("grant_type=refresh_token&client_id={}&refresh_token={}", client, token));
  };

  CHECK(oauth_error(refresh(first, "someone-else")) == "invalid_grant");
  const auto renewed = refresh(first);
  REQUIRE(renewed.status == 200);
  const std::string second = str(body_of(renewed).at("refresh_token"));
  CHECK(second != first);
  CHECK(f.graph("GET", k_partners, str(body_of(renewed).at("access_token"))).status == 200);

  const auto reused = refresh(first);
  CHECK(reused.status == 400);
  CHECK(oauth_error(reused) == "invalid_grant");
  CHECK(aadsts(reused) == 70000);

  SUBCASE("a new scope on refresh") {
    const auto narrowed = f.token(fmt::format(
        "grant_type=refresh_token&client_id={}&refresh_token={}&scope=https%3A%2F%2Fgraph.microsoft.com%2FPolicy."
        "Read.All",
        k_client, second));
    REQUIRE(narrowed.status == 200);
    CHECK(claims_of(str(body_of(narrowed).at("access_token"))).at("scp") == "Policy.Read.All");
    CHECK(body_of(narrowed).as_object().contains("refresh_token"));
  }
  SUBCASE("90 days of inactivity") {
    f.now += std::chrono::hours(24 * 91);
    const auto stale = refresh(second);
    CHECK(oauth_error(stale) == "invalid_grant");
    CHECK(aadsts(stale) == 700082);
  }
  CHECK(f.counters().at("tokenRequests").at("refresh_token").as_int64() >= 3);
}

TEST_CASE("emulator::Identity GitHub Actions ID tokens") {
  emu::IdentityOptions options;
  options.github_request_token = "gh-request";
  options.federated_credentials = {{k_client, {std::string(emu::k_github_issuer), std::string(emu::k_default_github_subject)}}};
  IdentityFixture f(options);
  const std::string url = "/_github/idtoken?api-version=2.0&audience=api%3A%2F%2FAzureADTokenExchange";

  CHECK(f.get(url).status == 401);
  CHECK(f.get(url, {{"Authorization", "bearer wrong"}}).status == 401);
  const auto first = f.get(url, {{"Authorization", "bearer gh-request"}});
  REQUIRE(first.status == 200);
  CHECK(body_of(first).at("count") == 1);
  const std::string jwt = str(body_of(first).at("value"));
  const auto claims = claims_of(jwt);
  CHECK(claims.at("iss") == "https://token.actions.githubusercontent.com");
  CHECK(claims.at("sub") == "repo:contoso/pipelines:ref:refs/heads/main");
  CHECK(claims.at("aud") == "api://AzureADTokenExchange");
  CHECK(claims.at("exp").as_int64() == claims.at("iat").as_int64() + 300);

  const auto second = f.get("/_github/idtoken?audience=custom", {{"Authorization", "Bearer gh-request"}});
  REQUIRE(second.status == 200);
  CHECK(claims_of(str(body_of(second).at("value"))).at("aud") == "custom");
  const auto no_audience = f.get("/_github/idtoken", {{"AUTHORIZATION", "BEARER gh-request"}});
  CHECK(claims_of(str(body_of(no_audience).at("value"))).at("aud") == "https://github.com/contoso");
  CHECK(f.counters().at("githubIdTokens") == 3);

  const auto exchange = [&](const std::string& assertion) {
    return f.token(fmt::format(
        "client_id={}&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&grant_type=client_credentials"
        "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
        "&client_assertion={}",
        k_client, assertion));
  };
  SUBCASE("the GitHub token federates; one with the wrong audience does not") {
    CHECK(exchange(jwt).status == 200);
    const auto wrong_aud = exchange(str(body_of(second).at("value")));
    CHECK(wrong_aud.status == 400);
    CHECK(aadsts(wrong_aud) == 70021);
  }
  SUBCASE("a GitHub-issuer token the emulator never issued is refused") {
    auto forged = emu::parse_jwt(jwt);
    const std::string fake = fmt::format("{}.{}", forged->signing_input, xtsync::util::base64url_encode("forged"));
    const auto response = exchange(fake);
    CHECK(response.status == 400);
    CHECK(oauth_error(response) == "invalid_client");
  }
  SUBCASE("expired GitHub tokens are refused") {
    f.now += std::chrono::seconds(301);
    CHECK(aadsts(exchange(jwt)) == 700024);
  }
  SUBCASE("disabled without --github-request-token") {
    IdentityFixture off{emu::IdentityOptions{}};
    CHECK(off.get(url, {{"Authorization", "bearer gh-request"}}).status == 404);
  }
}

TEST_CASE("emulator::Identity managed identity") {
  emu::IdentityOptions options;
  options.identity_header = "id-header";
  options.imds = true;
  options.token_lifetime = std::chrono::seconds(3600);
  IdentityFixture f(options);
  const long long now = emu::Clock::to_time_t(f.now);

  SUBCASE("App Service style") {
    const std::string url = "/_msi/token?api-version=2019-08-01&resource=https%3A%2F%2Fgraph.microsoft.com";
    CHECK(f.get(url).status == 401);
    CHECK(f.get(url, {{"X-IDENTITY-HEADER", "wrong"}}).status == 401);
    const auto response = f.get(url, {{"x-identity-header", "id-header"}});
    REQUIRE(response.status == 200);
    const auto body = body_of(response).as_object();
    CHECK(str(body.at("expires_on")) == std::to_string(now + 3600));
    CHECK(body.at("resource") == "https://graph.microsoft.com");
    CHECK(body.at("token_type") == "Bearer");
    CHECK(str(body.at("client_id")) == emu::k_default_managed_identity);
    const std::string token = str(body.at("access_token"));
    CHECK(str(claims_of(token).at("appid")) == emu::k_default_managed_identity);
    CHECK(f.graph("GET", k_partners, token).status == 200);
    CHECK(f.get(url + "&client_id=01010101-0000-0000-0000-000000000000", {{"X-IDENTITY-HEADER", "id-header"}})
              .status == 400);
    CHECK(f.get("/_msi/token?api-version=2019-08-01", {{"X-IDENTITY-HEADER", "id-header"}}).status == 400);
    CHECK(f.counters().at("managedIdentityRequests") == 5);
  }
  SUBCASE("IMDS style") {
    const std::string url =
        "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fgraph.microsoft.com%2F";
    const auto missing = f.get(url);
    CHECK(missing.status == 400);
    CHECK(body_of(missing).at("error_description") == "Required metadata header not specified");
    const auto response = f.get(url, {{"Metadata", "true"}});
    REQUIRE(response.status == 200);
    const auto body = body_of(response).as_object();
    CHECK(body.at("expires_in") == "3600");
    CHECK(str(body.at("expires_on")) == std::to_string(now + 3600));
    CHECK(body.at("resource") == "https://graph.microsoft.com/");
    CHECK(f.graph("POST", k_partners, str(body.at("access_token")), fmt::format(R"({{"tenantId":"{}"}})", k_tenant))
              .status == 201);
    CHECK(f.counters().at("managedIdentityRequests") == 2);
    CHECK(f.counters().at("tokensIssued") == 1);
  }

  SUBCASE("disabled by default") {
    IdentityFixture off{emu::IdentityOptions{}};
    CHECK(off.get("/_msi/token?api-version=2019-08-01&resource=x", {{"X-IDENTITY-HEADER", "id-header"}}).status ==
          404);
    CHECK(off.get("/metadata/identity/oauth2/token?api-version=2018-02-01&resource=x", {{"Metadata", "true"}})
              .status == 404);
  }
}

TEST_CASE("emulator::Identity counters, reset and the request log") {
  IdentityFixture f(secret_client());
  Request request;
  request.method = "POST";
  request.url = k_token_path;
  request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
  request.body = credentials_body("s3cret");
  const emu::Plan plan = f.emulator->plan(request, 1);
  REQUIRE(plan.handle);
  const auto response = f.emulator->handle(request);
  REQUIRE(response.status == 200);
  f.token(credentials_body("bad"));

  const auto counters = f.counters();
  CHECK(counters == json::parse(R"({"tokenRequests":{"client_credentials":2,"device_code":0,"refresh_token":0,
      "other":0},"deviceCodeRequests":0,"githubIdTokens":0,"managedIdentityRequests":0,"devicePolls":0,
      "tokensIssued":1})"));
  const auto log = body_of(f.get("/_emulator/requests")).as_array();
  REQUIRE(log.size() == 1);
  CHECK(str(log[0].at("target")) == k_token_path);
  CHECK(str(log[0].at("body")).find("client_secret=s3cret") != std::string::npos);

  const std::string token = str(body_of(response).at("access_token"));
  CHECK(f.post_form("/_emulator/reset", "").status == 204);
  CHECK(f.counters().at("tokenRequests").at("client_credentials") == 0);
  CHECK(f.counters().at("tokensIssued") == 0);
  // Issued tokens outlive a reset.
  CHECK(f.graph("GET", k_partners, token).status == 200);
}
