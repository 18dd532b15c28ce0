// Every credential source end to end: the real xtsync gets a token from the emulator's
// identity endpoints and uses it against the emulator's Graph. All output is scanned for the
// secret values used, which must never appear.
#include <sys/stat.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>

#include "auth/jwt.hpp"
#include "harness.hpp"
#include "support/test_ca.hpp"
#include "util/base64.hpp"

using namespace xtsync::testing;
namespace json = boost::json;

namespace {

// Every secret any test in this file hands to xtsync; every run is scanned for all of them.
std::vector<std::string>& canaries() {
  static std::vector<std::string> values;
  return values;
}

std::string canary(std::string value) {
  canaries().push_back(value);
  return value;
}

const std::string kHome = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const std::string kClient = "aaaabbbb-0000-cccc-1111-dddd2222eeee";
const std::string kSecret = canary("canary-secret-7c1e");

json::object seeded() {
  return json::object{{"policies", json::array{json::object{{"tenantId", kTenant}, {"displayName", "F"}}}}};
}

// Secret values, and their base64 forms, must appear in no output.
void expect_no_secrets(const ProcessResult& r, const std::vector<std::string>& secrets) {
  for (const auto& s : secrets) {
    for (const auto& form : {s, xtsync::util::base64_encode(s), xtsync::util::base64url_encode(s)}) {
      CHECK_MESSAGE(r.out.find(form) == std::string::npos, "stdout leaks a secret");
      CHECK_MESSAGE(r.err.find(form) == std::string::npos, "stderr leaks a secret");
    }
  }
}

// run_cli, then the canary scan of stdout and stderr (which holds --debug output).
ProcessResult scanned_cli(Emulator& emu, std::vector<std::string> args, ProcessOptions options = {}) {
  auto result = run_cli(emu, std::move(args), std::move(options));
  expect_no_secrets(result, canaries());
  return result;
}

// xtsync with an app registration in the environment and the emulator as login host; no ready token.
ProcessOptions app_env(Emulator& emu) {
  ProcessOptions o;
  o.env = {{"XTSYNC_ACCESS_TOKEN", ""},
           {"AZURE_AUTHORITY_HOST", emu.url()},
           {"AZURE_TENANT_ID", kHome},
           {"AZURE_CLIENT_ID", kClient}};
  return o;
}

json::object identity_counters(Emulator& emu) {
  auto r = emu.control("GET", "/identity");
  REQUIRE(r.status == 200);
  return json::parse(r.body).as_object();
}

std::int64_t counter(const json::object& c, const char* group, const char* name = nullptr) {
  const json::value& v = name ? c.at(group).at(name) : c.at(group);
  return v.to_number<std::int64_t>();
}

std::string unsigned_jwt(const json::object& claims) {
  return xtsync::util::base64url_encode(R"({"alg":"RS256","typ":"JWT"})") + "." +
         xtsync::util::base64url_encode(json::serialize(claims)) + ".c2lnbmF0dXJl";
}

}  // namespace

TEST_SUITE_BEGIN("integration");

TEST_CASE("auth: client secret") {
  Emulator emu({"--client-secret", kClient + "=" + kSecret});
  emu.seed(seeded());
  auto env = app_env(emu);
  env.env["AZURE_CLIENT_SECRET"] = kSecret;
  auto r = scanned_cli(emu, {"get", kTenant, "--debug"}, env);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("client_secret=[REDACTED]") != std::string::npos);
  expect_no_secrets(r, {kSecret});

  r = scanned_cli(emu, {"auth", "status", "-o", "json"}, env);
  REQUIRE(r.exit_code == 0);
  const auto status = json::parse(r.out).as_object();
  CHECK(status.at("source") == "client-secret");
  CHECK(status.at("tenant").as_string() == kHome);
  CHECK(status.at("clientId").as_string() == kClient);
  CHECK(status.at("roles").as_array().size() >= 1);
  CHECK(r.out.find("eyJ") == std::string::npos);  // no token

  env.env["AZURE_CLIENT_SECRET"] = canary("canary-wrong-secret");
  r = scanned_cli(emu, {"get", kTenant}, env);
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("AADSTS7000215") != std::string::npos);
  CHECK(r.err.find("hint:") != std::string::npos);
  expect_no_secrets(r, {"canary-wrong-secret", kSecret});

  // The secret from a file, and from standard input.
  TempDir dir;
  env.env.erase("AZURE_CLIENT_SECRET");
  CHECK(scanned_cli(emu, {"get", kTenant, "--client-secret-file", dir.write("secret", kSecret + "\n")}, env)
            .exit_code == 0);
  env.stdin_data = kSecret;
  CHECK(scanned_cli(emu, {"get", kTenant, "--client-secret-file", "-"}, env).exit_code == 0);
}

TEST_CASE("auth: client certificate, PS256 by default and RS256 on request") {
  const auto ca = xtsync::test::make_test_ca();
  const auto rsa = xtsync::test::KeyType::rsa2048;
  const auto cert = ca.issue("app", "DNS:app.test", -std::chrono::hours(1), std::chrono::hours(24), rsa);
  TempDir dir;
  std::string pem;
  for (const auto& path : {cert.cert, cert.key}) {
    std::ifstream f(path);
    pem += std::string(std::istreambuf_iterator<char>(f), {});
  }
  const auto bundle = dir.write("app.pem", pem);
  Emulator emu({"--client-cert", kClient + "=" + cert.cert});
  emu.seed(seeded());
  auto env = app_env(emu);
  env.env["AZURE_CLIENT_CERTIFICATE_PATH"] = bundle;
  auto r = scanned_cli(emu, {"get", kTenant, "--debug"}, env);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("client_assertion=[REDACTED]") != std::string::npos);
  CHECK(scanned_cli(emu, {"get", kTenant, "--certificate-algorithm", "RS256"}, env).exit_code == 0);

  // A certificate the app does not have is refused by the identity platform.
  const auto other = ca.issue("other", "DNS:other.test", -std::chrono::hours(1), std::chrono::hours(24), rsa);
  std::string other_pem;
  for (const auto& path : {other.cert, other.key}) {
    std::ifstream f(path);
    other_pem += std::string(std::istreambuf_iterator<char>(f), {});
  }
  env.env["AZURE_CLIENT_CERTIFICATE_PATH"] = dir.write("other.pem", other_pem);
  r = scanned_cli(emu, {"get", kTenant}, env);
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("AADSTS") != std::string::npos);
  CHECK(r.err.find("PRIVATE KEY") == std::string::npos);
}

TEST_CASE("auth: workload identity federation reads the token file") {
  const std::string issuer = "https://kubernetes.example.test";
  const std::string subject = "system:serviceaccount:ops:xtsync";
  Emulator emu({"--federated-credential", kClient + "=" + issuer + "|" + subject});
  emu.seed(seeded());
  TempDir dir;
  const auto now = std::time(nullptr);
  const std::string assertion = canary(unsigned_jwt(json::object{{"iss", issuer},
                                                                 {"sub", subject},
                                                                 {"aud", "api://AzureADTokenExchange"},
                                                                 {"iat", now},
                                                                 {"exp", now + 3600}}));
  auto env = app_env(emu);
  env.env["AZURE_FEDERATED_TOKEN_FILE"] = dir.write("token", assertion);
  auto r = scanned_cli(emu, {"get", kTenant, "--debug"}, env);
  CHECK(r.exit_code == 0);
  expect_no_secrets(r, {assertion});

  const std::string wrong = unsigned_jwt(json::object{{"iss", issuer},
                                                      {"sub", "system:serviceaccount:ops:intruder"},
                                                      {"aud", "api://AzureADTokenExchange"},
                                                      {"iat", now},
                                                      {"exp", now + 3600}});
  env.env["AZURE_FEDERATED_TOKEN_FILE"] = dir.write("wrong", wrong);
  r = scanned_cli(emu, {"get", kTenant}, env);
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("AADSTS70021") != std::string::npos);
}

TEST_CASE("auth: GitHub Actions OIDC fetches a fresh ID token for every Entra token request") {
  const std::string request_token = canary("canary-gh-request-token");
  Emulator emu(
      {"--github-request-token", request_token, "--federated-credential",
       kClient + "=https://token.actions.githubusercontent.com|repo:contoso/pipelines:ref:refs/heads/main",
       "--token-lifetime", "60"});
  emu.seed(seeded());
  auto env = app_env(emu);
  env.env["ACTIONS_ID_TOKEN_REQUEST_URL"] = emu.url() + "/_github/idtoken?api-version=2.0";
  env.env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = request_token;
  // set = GET, PATCH, GET: with 60-second tokens (inside the 5-minute margin) each request needs a new one.
  const auto r = scanned_cli(emu, {"set", kTenant, "--display-name", "G", "--debug"}, env);
  CHECK(r.exit_code == 0);
  const auto c = identity_counters(emu);
  CHECK(counter(c, "tokenRequests", "client_credentials") == 3);
  CHECK(counter(c, "githubIdTokens") == 3);
  expect_no_secrets(r, {request_token});
  CHECK(r.err.find("\"value\":\"[REDACTED]\"") != std::string::npos);  // the GitHub ID token
  CHECK(r.err.find("eyJ") == std::string::npos);                       // no JWT at all in --debug

  env.env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = canary("canary-bad-request-token");
  const auto bad = scanned_cli(emu, {"get", kTenant}, env);
  CHECK(bad.exit_code == 4);
  CHECK(bad.err.find("GitHub") != std::string::npos);
  expect_no_secrets(bad, {"canary-bad-request-token"});
}

TEST_CASE("auth: managed identity, App Service style and instance metadata") {
  const std::string header = canary("canary-identity-header");
  Emulator emu({"--identity-header", header, "--imds"});
  emu.seed(seeded());
  ProcessOptions env;
  env.env = {{"XTSYNC_ACCESS_TOKEN", ""},
             {"IDENTITY_ENDPOINT", emu.url() + "/_msi/token"},
             {"IDENTITY_HEADER", header}};
  auto r = scanned_cli(emu, {"get", kTenant, "--debug"}, env);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("debug: credentials: managed-identity") != std::string::npos);
  expect_no_secrets(r, {header});

  // The metadata service is only used when asked for, here on loopback.
  ProcessOptions imds;
  imds.env = {{"XTSYNC_ACCESS_TOKEN", ""}, {"IMDS_ENDPOINT", emu.url()}};
  CHECK(scanned_cli(emu, {"get", kTenant}, imds).exit_code == 4);  // not probed implicitly
  CHECK(scanned_cli(emu, {"get", kTenant, "--auth", "managed-identity"}, imds).exit_code == 0);
  CHECK(counter(identity_counters(emu), "managedIdentityRequests") == 2);
}

TEST_CASE("auth: the Azure CLI's token") {
  Emulator emu;
  emu.seed(seeded());
  TempDir dir;
  const auto expires = std::to_string(std::time(nullptr) + 3600);
  dir.write("az",
            "#!/bin/sh\n"
            "echo \"$@\" > \"" +
                dir.file("args") +
                "\"\n"
                "echo '{\"accessToken\": \"" +
                std::string(kEmulatorToken) + "\", \"expires_on\": " + expires +
                ", \"tokenType\": \"Bearer\"}'\n",
            0755);
  ProcessOptions env;
  env.env = {{"XTSYNC_ACCESS_TOKEN", ""}, {"PATH", dir.path() + ":/usr/bin:/bin"}};
  auto r = scanned_cli(emu, {"get", kTenant, "--debug"}, env);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("debug: credentials: azure-cli") != std::string::npos);
  std::ifstream args(dir.file("args"));
  const std::string argline(std::istreambuf_iterator<char>(args), {});
  CHECK(argline.find("account get-access-token --resource-type ms-graph --output json") != std::string::npos);
  expect_no_secrets(r, {kEmulatorToken});

  dir.write("az", "#!/bin/sh\necho \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1\n", 0755);
  r = scanned_cli(emu, {"get", kTenant}, env);
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("az login") != std::string::npos);
}

TEST_CASE("auth: device-code login, cached refresh token, logout") {
  Emulator emu({"--device-interval", "0", "--device-pending-polls", "2", "--token-lifetime", "60"});
  emu.seed(seeded());
  TempDir state;
  ProcessOptions env;
  env.env = {
      {"XTSYNC_ACCESS_TOKEN", ""}, {"AZURE_AUTHORITY_HOST", emu.url()}, {"XDG_STATE_HOME", state.path()}};

  auto r = scanned_cli(emu, {"login", "--tenant", kHome}, env);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("enter the code") != std::string::npos);
  CHECK(r.out.empty());

  struct stat st {};
  REQUIRE(stat((state.path() + "/xtsync").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(state.path() + "/xtsync")) {
    REQUIRE(stat(entry.path().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    ++files;
  }
  CHECK(files >= 1);

  // The cached login is picked up without any variable; the 60-second token is refreshed.
  r = scanned_cli(emu, {"get", kTenant, "--debug"}, env);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("debug: credentials: device-code") != std::string::npos);
  CHECK(r.err.find("refresh_token=[REDACTED]") != std::string::npos);
  CHECK(counter(identity_counters(emu), "tokenRequests", "refresh_token") >= 1);
  CHECK(r.err.find("\"refresh_token\":\"[REDACTED]\"") != std::string::npos);

  r = scanned_cli(emu, {"logout"}, env);
  CHECK(r.exit_code == 0);
  CHECK(scanned_cli(emu, {"get", kTenant}, env).exit_code == 4);

  // A declined sign-in.
  REQUIRE(emu.control("POST", "/device", R"({"pendingPolls":0,"outcome":"decline"})").status < 300);
  r = scanned_cli(emu, {"login", "--tenant", kHome}, env);
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("declined") != std::string::npos);
}

TEST_CASE("auth: a login made with a domain name is found by that name and by the tenant ID") {
  Emulator emu({"--device-interval", "0", "--device-pending-polls", "0"});
  emu.seed(seeded());
  TempDir state;
  ProcessOptions env;
  env.env = {
      {"XTSYNC_ACCESS_TOKEN", ""}, {"AZURE_AUTHORITY_HOST", emu.url()}, {"XDG_STATE_HOME", state.path()}};
  auto r = scanned_cli(emu, {"login", "--tenant", "Contoso.onmicrosoft.com", "-o", "json"}, env);
  REQUIRE(r.exit_code == 0);
  const std::string tenant(json::parse(r.out).at("tenant").as_string());
  CHECK(tenant.size() == 36);

  CHECK(scanned_cli(emu, {"get", kTenant, "--tenant", "contoso.onmicrosoft.com"}, env).exit_code == 0);
  CHECK(scanned_cli(emu, {"get", kTenant, "--tenant", tenant}, env).exit_code == 0);
  ProcessOptions by_variable = env;
  by_variable.env["AZURE_TENANT_ID"] = "CONTOSO.onmicrosoft.com";
  CHECK(scanned_cli(emu, {"get", kTenant}, by_variable).exit_code == 0);

  // Another tenant: the error names the one looked for and the logins there are, whether the
  // source was picked from the environment or forced.
  r = scanned_cli(emu, {"get", kTenant, "--tenant", "fabrikam.com"}, env);
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("no login cached by 'xtsync login' for tenant fabrikam.com in cloud global (cached: " + tenant +
                   " (contoso.onmicrosoft.com, cloud global))") != std::string::npos);
  r = scanned_cli(emu, {"get", kTenant, "--tenant", "fabrikam.com", "--auth", "device-code"}, env);
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("not signed in to tenant fabrikam.com (cloud global)") != std::string::npos);
  CHECK(r.err.find("cached logins: " + tenant + " (contoso.onmicrosoft.com, cloud global)") != std::string::npos);

  // Logging in again by ID keeps the name; logout by the name removes the login.
  REQUIRE(scanned_cli(emu, {"login", "--tenant", tenant}, env).exit_code == 0);
  CHECK(scanned_cli(emu, {"get", kTenant, "--tenant", "contoso.onmicrosoft.com"}, env).exit_code == 0);
  r = scanned_cli(emu, {"logout", "--tenant", "contoso.onmicrosoft.com"}, env);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("Removed the cached login for tenant " + tenant) != std::string::npos);
  r = scanned_cli(emu, {"get", kTenant, "--tenant", tenant, "--auth", "device-code"}, env);
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("there are no cached logins") != std::string::npos);
}

TEST_CASE("auth: a claims challenge gets one new token and one resend") {
  Emulator emu({"--client-secret", kClient + "=" + kSecret});
  emu.seed(seeded());
  emu.fault(json::object{
      {"path", "/identitySynchronization"},
      {"status", 401},
      {"count", 1},
      {"headers",
       json::object{
           {"WWW-Authenticate",
            R"(Bearer realm="", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnt9fQ==")"}}}});
  auto env = app_env(emu);
  env.env["AZURE_CLIENT_SECRET"] = kSecret;
  const auto r = scanned_cli(emu, {"get", kTenant}, env);
  CHECK(r.exit_code == 0);
  CHECK(counter(identity_counters(emu), "tokenRequests", "client_credentials") == 2);
}

TEST_SUITE_END();

TEST_CASE("auth: parallel commands sharing one cached login all succeed") {
  // Before: 9 of 12 parallel runs exited 4, each redeeming a refresh token another had just
  // rotated away. The refresh is now locked per login and the file read again under the lock.
  Emulator emu({"--device-interval", "0", "--device-pending-polls", "0", "--token-lifetime", "60"});
  emu.seed(seeded());
  TempDir state;
  ProcessOptions env;
  env.env = {{"XTSYNC_ACCESS_TOKEN", ""}, {"AZURE_AUTHORITY_HOST", emu.url()}, {"XDG_STATE_HOME", state.path()}};
  REQUIRE(scanned_cli(emu, {"login", "--tenant", kHome}, env).exit_code == 0);

  std::vector<std::future<ProcessResult>> runs;
  for (int i = 0; i < 12; ++i) {
    ProcessOptions o = env;
    o.args = {"get", kTenant};
    o.env["XTSYNC_GRAPH_URL"] = emu.url();
    runs.push_back(std::async(std::launch::async, [o] { return run_process(XTSYNC_BIN, o); }));
  }
  int failures = 0;
  for (auto& run : runs) {
    const auto r = run.get();
    if (r.exit_code != 0) {
      ++failures;
      MESSAGE(r.err);
    }
    expect_no_secrets(r, canaries());
  }
  CHECK(failures == 0);
}
