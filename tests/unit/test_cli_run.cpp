// The whole CLI in process: argv → run() → (stdout, stderr, exit code), with a scripted transport.
#include <doctest/doctest.h>

#include <map>
#include <sstream>

#include "unit/cli_fixture.hpp"

using namespace xtsync;
using xtsync::testing::Cli;
using xtsync::testing::FakeTransport;

namespace {

const std::string kTenant = "9c5d131d-b1c3-4fc4-9e3f-c6557947d551";
const std::string kPolicy = R"({"tenantId":")" + kTenant +
                            R"(","displayName":"Fabrikam","userSyncInbound":{"isSyncAllowed":true}})";
const std::string kNotFound = R"({"error":{"code":"Request_ResourceNotFound","message":"not found"}})";

}  // namespace

TEST_SUITE_BEGIN("cli");

TEST_CASE_FIXTURE(Cli, "cli: usage errors exit 2 and send nothing") {
  CHECK(run({"get", "not-a-guid"}) == 2);
  // (a domain name is a valid way to name a partner now: it is resolved, see test_cli_partner)
  CHECK(err.find("is neither a tenant ID") != std::string::npos);
  CHECK(run({"set", kTenant}) == 2);
  CHECK(err.find("at least one field") != std::string::npos);
  CHECK(run({"set", kTenant, "--user-sync", "maybe"}) == 2);
  CHECK(run({"list-deleted", "--api-version", "v1.0"}) == 2);
  CHECK(run({"get", kTenant, "--deleted", "--api-version", "v1.0"}) == 2);
  CHECK(run({"restore", kTenant, "--api-version", "v1.0"}) == 2);
  CHECK(run({"set", kTenant, "--group-sync", "allow", "--api-version", "v1.0"}) == 2);
  CHECK(run({"get", kTenant, "--graph-url", "http://graph.example.com"}) == 2);
  CHECK(run({"get", kTenant, "-o", "yaml"}) == 2);
  CHECK(run({"-o", "json"}) == 2);  // flags but no command
  CHECK(run({"frobnicate"}) == 2);
  env["XTSYNC_OUTPUT"] = "xml";
  CHECK(run({"get", kTenant}) == 2);
  CHECK(fake.requests.empty());
}

TEST_CASE_FIXTURE(Cli, "cli: --help and --version exit 0 on stdout") {
  CHECK(run({"--version"}) == 0);
  CHECK(out.starts_with("xtsync " XTSYNC_VERSION));
  CHECK(run({"--help"}) == 0);
  CHECK(out.find("list-deleted") != std::string::npos);
  CHECK(run({"set", "--help"}) == 0);
  CHECK(out.find("--create-partner") != std::string::npos);
}

TEST_CASE_FIXTURE(Cli, "cli: no credentials exit 4 with instructions") {
  env.clear();
  CHECK(run({"get", kTenant}) == 4);
  CHECK(err.find("XTSYNC_ACCESS_TOKEN") != std::string::npos);
  CHECK(err.find("--access-token-file") != std::string::npos);
  CHECK(fake.requests.empty());
}

TEST_CASE_FIXTURE(Cli, "cli: the token can come from stdin") {
  env.clear();
  stdin_text = "  tok-from-stdin\n";
  fake.respond(200, kPolicy);
  CHECK(run({"get", kTenant, "--access-token-file", "-"}) == 0);
  CHECK(fake.requests.at(0).headers.size() > 0);
  CHECK(http::find_header(fake.requests.at(0).headers, "Authorization") == "Bearer tok-from-stdin");
}

TEST_CASE_FIXTURE(Cli, "cli: get prints each format, and options go before or after the command") {
  fake.respond(200, kPolicy).respond(200, kPolicy).respond(200, kPolicy);
  CHECK(run({"get", kTenant.substr(0, 8) + "-B1C3-4FC4-9E3F-C6557947D551"}) == 0);
  CHECK(out ==
        "PROPERTY               VALUE\n"
        "TENANT ID              9c5d131d-b1c3-4fc4-9e3f-c6557947d551\n"
        "DISPLAY NAME           Fabrikam\n"
        "USER SYNC              allowed\n"
        "GROUP SYNC             -\n"
        "EXTERNAL CLOUD APP ID  -\n");
  CHECK(fake.requests.at(0).url.find(kTenant) != std::string::npos);  // sent lower-case
  CHECK(run({"-o", "json", "get", kTenant}) == 0);
  CHECK(out.starts_with("{\n  \"tenantId\": \"" + kTenant + "\""));
  env["XTSYNC_OUTPUT"] = "tsv";
  CHECK(run({"get", kTenant}) == 0);
  CHECK(out == kTenant + "\tFabrikam\ttrue\t\n");
}

TEST_CASE_FIXTURE(Cli, "cli: set creates, patches only differences, or leaves alone") {
  SUBCASE("absent policy, existing partner: PUT then read back") {
    // The third GET looks for a soft-deleted copy (none here).
    fake.respond(404, kNotFound).respond(200, "{}").respond(404, kNotFound).respond(204).respond(200, kPolicy);
    CHECK(run({"set", kTenant, "--display-name", "Fabrikam", "--user-sync", "allow", "-o", "json"}) == 0);
    REQUIRE(fake.requests.size() == 5);
    CHECK(fake.requests[2].url.find("deletedItems") != std::string::npos);
    CHECK(fake.requests[3].method == "PUT");
    CHECK(fake.requests[3].body == R"({"displayName":"Fabrikam","userSyncInbound":{"isSyncAllowed":true}})");
    CHECK(out.find("\"displayName\": \"Fabrikam\"") != std::string::npos);
    CHECK(err.find("Created the sync policy") != std::string::npos);
  }
  SUBCASE("present policy: PATCH of the changed field only") {
    fake.respond(200, kPolicy).respond(204).respond(200, kPolicy);
    CHECK(run({"set", kTenant, "--display-name", "Fabrikam", "--user-sync", "block"}) == 0);
    REQUIRE(fake.requests.size() == 3);
    CHECK(fake.requests[1].method == "PATCH");
    CHECK(fake.requests[1].body == R"({"userSyncInbound":{"isSyncAllowed":false}})");
    CHECK(err.find("Updated userSyncInbound") != std::string::npos);
  }
  SUBCASE("nothing differs: no write, says unchanged") {
    fake.respond(200, kPolicy);
    CHECK(run({"set", kTenant, "--user-sync", "allow"}) == 0);
    CHECK(fake.requests.size() == 1);
    CHECK(err.find("Unchanged") != std::string::npos);
    fake.respond(200, kPolicy);
    CHECK(run({"set", kTenant, "--user-sync", "allow", "-q"}) == 0);
    CHECK(err.empty());
  }
  SUBCASE("missing partner without --create-partner names the flag") {
    fake.respond(404, kNotFound).respond(404, kNotFound);
    CHECK(run({"set", kTenant, "--user-sync", "allow"}) == 3);
    CHECK(err.find("--create-partner") != std::string::npos);
    CHECK(fake.requests.size() == 2);
  }
  SUBCASE("--create-partner: POST partner, then PUT") {
    fake.respond(404, kNotFound).respond(404, kNotFound).respond(404, kNotFound).respond(201, "{}").respond(204).respond(200, kPolicy);
    CHECK(run({"set", kTenant, "--user-sync", "allow", "--create-partner"}) == 0);
    CHECK(fake.requests[3].method == "POST");
    CHECK(fake.requests[4].method == "PUT");
  }
  SUBCASE("--dry-run reads but never writes") {
    fake.respond(404, kNotFound).respond(404, kNotFound).respond(404, kNotFound);
    CHECK(run({"set", kTenant, "--user-sync", "allow", "--create-partner", "--dry-run", "-o", "json"}) == 0);
    CHECK(fake.requests.size() == 3);
    CHECK(out.find("\"method\": \"POST\"") != std::string::npos);
    CHECK(out.find("\"method\": \"PUT\"") != std::string::npos);
  }
  SUBCASE("--show-outcome tells scripts what was done, in every format") {
    fake.respond(200, kPolicy).respond(204).respond(200, kPolicy);
    CHECK(run({"set", kTenant, "--user-sync", "block", "--show-outcome", "-o", "json"}) == 0);
    const auto doc = boost::json::parse(out).as_object();
    CHECK(doc.at("outcome") == "updated");
    CHECK(doc.at("changed") == boost::json::array{"userSyncInbound"});
    CHECK(doc.at("partnerCreated") == false);
    CHECK(doc.at("policy").at("tenantId").as_string() == kTenant);
    fake.respond(200, kPolicy);
    CHECK(run({"set", kTenant, "--user-sync", "allow", "--show-outcome", "-o", "tsv"}) == 0);
    CHECK(out == "unchanged\t\tfalse\t" + kTenant + "\tFabrikam\ttrue\t\n");
    fake.respond(404, kNotFound).respond(404, kNotFound).respond(404, kNotFound).respond(201, "{}").respond(204)
        .respond(200, kPolicy);
    CHECK(run({"set", kTenant, "--user-sync", "allow", "--display-name", "Fabrikam", "--create-partner",
               "--show-outcome"}) == 0);
    CHECK(out.starts_with("PROPERTY               VALUE\n"
                          "OUTCOME                created\n"
                          "CHANGED                displayName,userSyncInbound\n"
                          "PARTNER CREATED        yes\n"
                          "TENANT ID              " + kTenant + "\n"));
  }
  SUBCASE("--dry-run in TSV: one line per request, the body compact") {
    fake.respond(200, kPolicy);
    CHECK(run({"set", kTenant, "--user-sync", "block", "--dry-run", "-o", "tsv"}) == 0);
    CHECK(out == "PATCH\thttps://graph.microsoft.com/beta/policies/crossTenantAccessPolicy/partners/" + kTenant +
                     "/identitySynchronization\t{\"userSyncInbound\":{\"isSyncAllowed\":false}}\n");
    fake.respond(200, kPolicy);
    CHECK(run({"set", kTenant, "--user-sync", "allow", "--dry-run", "-o", "json"}) == 0);
    CHECK(boost::json::parse(out).at("action") == "unchanged");
    CHECK(boost::json::parse(out).at("requests").as_array().empty());
  }
  SUBCASE("--from-file - with flags winning") {
    stdin_text = R"({"displayName":"From file","userSyncInbound":{"isSyncAllowed":true}})";
    fake.respond(200, kPolicy).respond(204).respond(200, kPolicy);
    CHECK(run({"set", kTenant, "--from-file", "-", "--user-sync", "block"}) == 0);
    CHECK(fake.requests[1].body == R"({"displayName":"From file","userSyncInbound":{"isSyncAllowed":false}})");
  }
}

TEST_CASE_FIXTURE(Cli, "cli: purge asks on a terminal and refuses without one") {
  CHECK(run({"purge", kTenant}) == 2);
  CHECK(err.find("--yes") != std::string::npos);
  CHECK(fake.requests.empty());

  tty = true;
  stdin_text = "n\n";
  CHECK(run({"purge", kTenant}) == 2);
  CHECK(fake.requests.empty());

  stdin_text = "yes\n";
  fake.respond(204);
  CHECK(run({"purge", kTenant}) == 0);
  REQUIRE(fake.requests.size() == 1);
  CHECK(fake.requests[0].method == "DELETE");
  CHECK(fake.requests[0].url.find("/deletedItems/crossTenantSyncPolicyPartners/" + kTenant) != std::string::npos);

  tty = false;
  fake.respond(204);
  CHECK(run({"purge", kTenant, "--yes"}) == 0);
  CHECK(out.empty());
}

TEST_CASE_FIXTURE(Cli, "cli: Graph errors map to exit codes with code and request-id") {
  const std::string denied = R"({"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation.","innerError":{"request-id":"rid-403"}}})";
  fake.respond(403, denied);
  CHECK(run({"delete", kTenant}) == 4);
  CHECK(err.find("Authorization_RequestDenied") != std::string::npos);
  CHECK(err.find("rid-403") != std::string::npos);
  CHECK(err.find("hint: ") != std::string::npos);
  fake.respond(404, kNotFound);
  CHECK(run({"get", kTenant}) == 3);
  fake.respond(409, R"({"error":{"code":"Request_MultipleObjectsWithSameKeyValue","message":"exists"}})");
  CHECK(run({"restore", kTenant}) == 5);
  for (int i = 0; i < 5; ++i) fake.respond(503);
  CHECK(run({"get", kTenant}) == 6);
  // A lost restore is read back (not restored here, and no deleted copy left to restore), so
  // the network error stands, saying the restore may have been applied.
  fake.fail("cannot connect to 127.0.0.1:1: Connection refused").respond(404, kNotFound).respond(404, kNotFound);
  CHECK(run({"restore", kTenant}) == 7);
  CHECK(err.find("may have been applied") != std::string::npos);
  fake.respond(500, "oops");
  CHECK(run({"get", kTenant}) == 1);
}

TEST_CASE_FIXTURE(Cli, "cli: --debug shows exchanges but never the token") {
  fake.respond(200, kPolicy);
  CHECK(run({"get", kTenant, "--debug"}) == 0);
  CHECK(err.find("debug: > GET ") != std::string::npos);
  CHECK(err.find("Bearer [REDACTED]") != std::string::npos);
  CHECK(err.find("tok-cli") == std::string::npos);
  CHECK(out.find("tok-cli") == std::string::npos);
}

TEST_SUITE_END();

TEST_CASE_FIXTURE(Cli, "cli: --cloud picks the Graph root, and deleted items warn outside the global cloud") {
  fake.respond(200, R"({"value":[]})").respond(200, kPolicy);
  CHECK(run({"list-deleted", "--cloud", "usgov"}) == 0);
  CHECK(fake.requests.at(0).url == "https://graph.microsoft.us/beta/policies/deletedItems/crossTenantSyncPolicyPartners");
  CHECK(err.find("warning: Graph documents deleted items for the global cloud only") != std::string::npos);
  env["XTSYNC_CLOUD"] = "china";
  CHECK(run({"get", kTenant}) == 0);
  CHECK(fake.requests.at(1).url.starts_with("https://microsoftgraph.chinacloudapi.cn/beta/"));
  CHECK(err.empty());
}
