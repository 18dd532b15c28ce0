// Help that helps and errors that suggest: what a new user meets in the first minutes.
#include <doctest/doctest.h>

#include "build_info.hpp"
#include "cli_fixture.hpp"

using namespace xtsync::testing;

TEST_SUITE_BEGIN("cli");

namespace {
constexpr const char* kPartner = "9c5d131d-b1c3-4fc4-9e3f-c6557947d551";
}

TEST_CASE_FIXTURE(Cli, "help: bare xtsync, help and --help show the commands first, then the global flags") {
  for (const auto& args : {std::vector<std::string>{}, {"help"}, {"--help"}}) {
    CHECK(run(args) == 0);
    CHECK(err.empty());
    const auto commands = out.find("COMMANDS");
    const auto globals = out.find("GLOBAL FLAGS");
    REQUIRE(commands != std::string::npos);
    REQUIRE(globals != std::string::npos);
    CHECK(commands < globals);
    CHECK(out.find("list-deleted") < globals);
    CHECK(out.find("man xtsync") != std::string::npos);
  }
  CHECK(fake.requests.empty());
}

TEST_CASE_FIXTURE(Cli, "help: a command's page has usage, its flags, inherited flags and examples") {
  REQUIRE(run({"get", "--help"}) == 0);
  const std::string page = out;
  CHECK(page.find("xtsync get PARTNER [flags]") != std::string::npos);
  const auto flags = page.find("\nFLAGS\n");
  const auto inherited = page.find("\nINHERITED FLAGS\n");
  const auto examples = page.find("\nEXAMPLES\n");
  REQUIRE(flags != std::string::npos);
  REQUIRE(inherited != std::string::npos);
  REQUIRE(examples != std::string::npos);
  CHECK(flags < inherited);
  CHECK(inherited < examples);
  CHECK(page.find("--deleted") < inherited);
  CHECK(page.find("--timeout SECONDS", inherited) != std::string::npos);
  CHECK(page.find("xtsync get contoso.com -o json", examples) != std::string::npos);
  // `help get` is the same page, and nothing runs.
  CHECK(run({"help", "get"}) == 0);
  CHECK(out == page);
  CHECK(run({"help", "auth", "status"}) == 0);
  CHECK(out.find("xtsync auth status [flags]") != std::string::npos);
  CHECK(run({"auth"}) == 0);  // a group alone shows its commands
  CHECK(out.find("status") != std::string::npos);
  CHECK(fake.requests.empty());
}

TEST_CASE_FIXTURE(Cli, "help: version as -v, and its long form as a command") {
  for (const char* form : {"-v", "--version"}) {
    CHECK(run({form}) == 0);
    CHECK(out == xtsync::cli::version_line() + "\n");
  }
  CHECK(xtsync::cli::version_line().starts_with("xtsync " XTSYNC_VERSION));
  CHECK(run({"version"}) == 0);
  CHECK(out.starts_with(xtsync::cli::version_line() + "\nlicence:  MIT"));
  CHECK(out.find("homepage: https://") != std::string::npos);
}

TEST_CASE_FIXTURE(Cli, "errors: an unknown command is named, with the nearest one suggested") {
  CHECK(run({"lsit-deleted"}) == 2);
  CHECK(err.find("error: unknown command \"lsit-deleted\" for \"xtsync\"") != std::string::npos);
  CHECK(err.find("hint: did you mean 'xtsync list-deleted'?") != std::string::npos);
  CHECK(run({"gte", kPartner}) == 2);
  CHECK(err.find("did you mean 'xtsync get'?") != std::string::npos);
  CHECK(run({"auth", "stauts"}) == 2);
  CHECK(err.find("did you mean 'xtsync auth status'?") != std::string::npos);
  CHECK(run({"help", "sett"}) == 2);
  CHECK(err.find("did you mean 'xtsync set'?") != std::string::npos);
  CHECK(run({"zzzzzzzz"}) == 2);
  CHECK(err.find("did you mean") == std::string::npos);
  // A global flag's value before the command is not taken for the command.
  CHECK(run({"-o", "json", "lsit"}) == 2);
  CHECK(err.find("unknown command \"lsit\"") != std::string::npos);
  CHECK(fake.requests.empty());
}

TEST_CASE_FIXTURE(Cli, "errors: an unknown flag is named with the nearest flag, in the tool's own format") {
  CHECK(run({"set", kPartner, "--user-snyc", "allow"}) == 2);
  CHECK(err.find("error: unknown flag \"--user-snyc\" for \"xtsync set\"") != std::string::npos);
  CHECK(err.find("hint: did you mean --user-sync?") != std::string::npos);
  CHECK(err.find("The following arguments") == std::string::npos);  // no raw CLI11 text
  CHECK(run({"get", kPartner, "--time-out", "5"}) == 2);  // a global flag is suggested too
  CHECK(err.find("did you mean --timeout?") != std::string::npos);
  CHECK(run({"get", kPartner, "extra"}) == 2);
  CHECK(err.find("unexpected argument \"extra\" for \"xtsync get\"") != std::string::npos);
  CHECK(fake.requests.empty());
}

TEST_CASE_FIXTURE(Cli, "errors: values that are not numbers say so") {
  CHECK(run({"get", kPartner, "--timeout", "abc"}) == 2);
  CHECK(err.find("--timeout: \"abc\" is not a number") != std::string::npos);
  CHECK(run({"get", kPartner, "--max-retries", "1.5"}) == 2);
  CHECK(err.find("not a whole number") != std::string::npos);
  CHECK(run({"get", kPartner, "--max-retries", "11"}) == 2);
  CHECK(err.find("out of range: use 0 to 10") != std::string::npos);
  CHECK(fake.requests.empty());
}

TEST_CASE_FIXTURE(Cli, "errors: a missing PARTNER says what --tenant means when it was given") {
  CHECK(run({"get"}) == 2);
  CHECK(err.find("needs PARTNER") != std::string::npos);
  CHECK(err.find("contoso.com") != std::string::npos);
  CHECK(run({"get", "--tenant", kPartner}) == 2);
  CHECK(err.find("--tenant names the tenant you sign in to, not the partner") != std::string::npos);
  CHECK(fake.requests.empty());
}

TEST_CASE_FIXTURE(Cli, "errors: a retry is announced on stderr, unless -q") {
  fake.respond(429, R"({"error":{"code":"TooManyRequests","message":"slow down"}})", {{"Retry-After", "2"}});
  const std::string policy = std::string(R"({"tenantId":")") + kPartner + R"(","displayName":"Fabrikam"})";
  fake.respond(200, policy);
  CHECK(run({"get", kPartner}) == 0);
  CHECK(err.find("throttled by Graph (429); retrying in 2.0 s (1/4)") != std::string::npos);
  fake.respond(503, "{}");
  fake.respond(200, policy);
  CHECK(run({"get", kPartner, "-q"}) == 0);
  CHECK(err.find("retrying") == std::string::npos);
}

TEST_CASE_FIXTURE(Cli, "scripts: --ignore-not-found makes delete and purge of nothing exit 0") {
  const std::string missing = R"({"error":{"code":"Request_ResourceNotFound","message":"not found"}})";
  fake.respond(404, missing);
  CHECK(run({"delete", kPartner}) == 3);
  fake.respond(404, missing);
  CHECK(run({"delete", kPartner, "--ignore-not-found"}) == 0);
  CHECK(err.find("nothing to delete") != std::string::npos);
  fake.respond(404, missing);
  CHECK(run({"purge", kPartner, "--yes", "--ignore-not-found"}) == 0);
  CHECK(err.find("nothing to purge") != std::string::npos);
  // Only "not found" is forgiven.
  fake.respond(403, R"({"error":{"code":"Authorization_RequestDenied","message":"no"}})");
  CHECK(run({"delete", kPartner, "--ignore-not-found"}) == 4);
}

TEST_CASE_FIXTURE(Cli, "scripts: --user-sync takes what the table shows, and true/false") {
  const std::string blocked =
      std::string(R"({"tenantId":")") + kPartner + R"(","userSyncInbound":{"isSyncAllowed":false}})";
  const std::string allowed =
      std::string(R"({"tenantId":")") + kPartner + R"(","userSyncInbound":{"isSyncAllowed":true}})";
  for (const char* value : {"allowed", "true"}) {
    fake.requests.clear();
    fake.respond(200, blocked);
    fake.respond(204, "");
    fake.respond(200, allowed);
    CHECK(run({"set", kPartner, "--user-sync", value}) == 0);
    bool patched = false;
    for (const auto& r : fake.requests) {
      if (r.method == "PATCH") patched = r.body.find(R"("isSyncAllowed":true)") != std::string::npos;
    }
    CHECK(patched);
  }
  CHECK(run({"set", kPartner, "--user-sync", "maybe"}) == 2);
}
