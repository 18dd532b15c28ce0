// The Azure CLI is replaced by small shell scripts put first on the context's PATH.
#include <doctest/doctest.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "auth/azure_cli.hpp"
#include "support/process.hpp"
#include "test_auth_support.hpp"

using namespace xtsync;
using namespace xtsync::auth;
using namespace xtsync::auth_test;
using std::chrono::seconds;
using std::chrono::system_clock;

namespace {

struct AzFixture : AuthFixture {
  testing::TempDir dir;

  // Installs `body` as the fake az; it also records its arguments, directory and stdin.
  void install_az(const std::string& body) {
    std::string script = "#!/bin/sh\n";
    script += "printf '%s\\n' \"$@\" > '" + dir.file("args") + "'\n";
    script += "pwd > '" + dir.file("cwd") + "'\n";
    script += "cat > '" + dir.file("stdin") + "'\n";
    script += body;
    dir.write("az", script, 0755);
    env["PATH"] = dir.path() + ":/usr/bin:/bin";
  }

  std::string recorded(const char* name) const {
    std::ifstream in(dir.file(name));
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
};

}  // namespace

TEST_SUITE_BEGIN("auth");

TEST_CASE_FIXTURE(AzFixture, "the Azure CLI's token and expires_on are used") {
  install_az(R"(cat <<'JSON'
{
  "accessToken": "eyJ.az.tok",
  "expiresOn": "2026-01-01 12:34:56.000000",
  "expires_on": 1767270896,
  "tenant": "t",
  "tokenType": "Bearer"
}
JSON
)");
  AzureCliCredential credential(context());
  CHECK(credential.name() == "azure-cli");
  const auto token = credential.get_token();
  CHECK(token.value == "eyJ.az.tok");
  CHECK(token.expires_on == system_clock::time_point(seconds(1767270896)));
  CHECK(recorded("args") == "account\nget-access-token\n--resource-type\nms-graph\n--output\njson\n--tenant\n" +
                                kTenant + "\n");
  CHECK(recorded("cwd") == "/\n");
  CHECK(recorded("stdin").empty());
  CHECK(transport.requests.empty());
}

TEST_CASE_FIXTURE(AzFixture, "without expires_on the local-time expiresOn is read, and no tenant is passed when unset") {
  install_az(R"(echo '{"accessToken":"tok","expiresOn":"2026-03-04 05:06:07.123456"}')" "\n");
  auto ctx = context();
  ctx.tenant.clear();
  const auto token = AzureCliCredential(ctx).get_token();
  std::tm tm{};
  tm.tm_year = 2026 - 1900;
  tm.tm_mon = 2;
  tm.tm_mday = 4;
  tm.tm_hour = 5;
  tm.tm_min = 6;
  tm.tm_sec = 7;
  tm.tm_isdst = -1;
  CHECK(token.expires_on == system_clock::from_time_t(std::mktime(&tm)));
  CHECK(recorded("args") == "account\nget-access-token\n--resource-type\nms-graph\n--output\njson\n");
}

TEST_CASE_FIXTURE(AzFixture, "a signed-out Azure CLI asks for az login") {
  install_az("echo \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1\n");
  const Error e = error_of([&] { AzureCliCredential(context()).get_token(); });
  CHECK(e.kind() == ErrorKind::auth);
  CHECK(std::string(e.what()) == "the Azure CLI is not signed in: run 'az login'");
}

TEST_CASE_FIXTURE(AzFixture, "a missing az is named") {
  env["PATH"] = dir.path();
  const Error e = error_of([&] { AzureCliCredential(context()).get_token(); });
  CHECK(e.kind() == ErrorKind::auth);
  CHECK(std::string(e.what()) == "the Azure CLI ('az') was not found on PATH");
  env.erase("PATH");
  CHECK(error_of([&] { AzureCliCredential(context()).get_token(); }).kind() == ErrorKind::auth);
}

TEST_CASE_FIXTURE(AzFixture, "empty and relative PATH entries are not searched") {
  install_az("echo '{\"accessToken\":\"planted\",\"expires_on\":1}'\n");
  const auto previous = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());  // ./az exists here
  env["PATH"] = ":.:relative";
  const Error e = error_of([&] { AzureCliCredential(context()).get_token(); });
  std::filesystem::current_path(previous);
  CHECK(std::string(e.what()) == "the Azure CLI ('az') was not found on PATH");
}

TEST_CASE_FIXTURE(AzFixture, "other az failures show its stderr with tokens redacted") {
  install_az(R"(echo 'ERROR: something broke; "accessToken": "secret-value-1", also eyJhbGci.eyJzdWIi.c2ln here' >&2
exit 2
)");
  const Error e = error_of([&] { AzureCliCredential(context()).get_token(); });
  const std::string what = e.what();
  CHECK(e.kind() == ErrorKind::auth);
  CHECK(what.find("exit code 2") != std::string::npos);
  CHECK(what.find("something broke") != std::string::npos);
  CHECK(what.find("secret-value-1") == std::string::npos);
  CHECK(what.find("eyJ") == std::string::npos);
  CHECK(what.find("\"accessToken\": \"[redacted]\"") != std::string::npos);
}

TEST_CASE_FIXTURE(AzFixture, "unreadable az output is not echoed") {
  install_az("echo 'accessToken=eyJleaked.x.y not json'\n");
  const Error e = error_of([&] { AzureCliCredential(context()).get_token(); });
  CHECK(e.kind() == ErrorKind::auth);
  CHECK(std::string(e.what()).find("eyJleaked") == std::string::npos);
}

TEST_CASE_FIXTURE(AzFixture, "a hanging az is killed after the timeout") {
  install_az("exec sleep 30\n");
  const auto start = std::chrono::steady_clock::now();
  const Error e = error_of([&] { AzureCliCredential(context(), seconds(1)).get_token(); });
  CHECK(std::chrono::steady_clock::now() - start < seconds(10));
  CHECK(std::string(e.what()).find("did not answer within 1 s") != std::string::npos);
}

TEST_CASE("redact_azure_cli_output hides accessToken values and JWTs") {
  CHECK(redact_azure_cli_output(R"({"accessToken":"abc","x":1})") == R"({"accessToken":"[redacted]","x":1})");
  CHECK(redact_azure_cli_output(R"("accessToken" : "a\"b")") == R"("accessToken" : "[redacted]")");
  CHECK(redact_azure_cli_output("plain") == "plain");
}

TEST_SUITE_END();
