// The whole policy lifecycle with the real binary over TCP, checking output and server state.
#include "harness.hpp"

using namespace xtsync::testing;
namespace json = boost::json;

TEST_SUITE_BEGIN("integration");

TEST_CASE("lifecycle: create, read, change, delete, restore, purge") {
  Emulator emu;

  // Create: policy and partner configuration are both missing.
  auto r = run_cli(emu, {"set", kTenant, "--create-partner", "--display-name", "Fabrikam", "--user-sync", "allow",
                        "--group-sync", "block"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out ==
        "PROPERTY               VALUE\n"
        "TENANT ID              9c5d131d-b1c3-4fc4-9e3f-c6557947d551\n"
        "DISPLAY NAME           Fabrikam\n"
        "USER SYNC              allowed\n"
        "GROUP SYNC             blocked\n"
        "EXTERNAL CLOUD APP ID  -\n");
  CHECK(r.err.find("Created the partner configuration") != std::string::npos);
  CHECK(request_lines(emu) == std::vector<std::string>{
                                  "GET " + policy_path(kTenant),
                                  "GET /beta/policies/crossTenantAccessPolicy/partners/" + kTenant,
                                  "GET " + deleted_path(kTenant),
                                  "POST /beta/policies/crossTenantAccessPolicy/partners",
                                  "PUT " + policy_path(kTenant),
                                  "GET " + policy_path(kTenant),
                              });
  emu.clear_requests();

  // Read in every format.
  r = run_cli(emu, {"get", kTenant, "-o", "json"});
  REQUIRE(r.exit_code == 0);
  const auto got = json::parse(r.out).as_object();
  CHECK(got.at("tenantId").as_string() == kTenant);
  CHECK(got.at("displayName") == "Fabrikam");
  CHECK(got.at("userSyncInbound").at("isSyncAllowed") == true);
  CHECK(got.at("groupSyncInbound").at("isSyncAllowed") == false);
  CHECK(r.out.find("@odata") == std::string::npos);
  r = run_cli(emu, {"get", kTenant, "-o", "tsv"});
  CHECK(r.out == kTenant + "\tFabrikam\ttrue\tfalse\n");

  // Change one field: only it is PATCHed.
  emu.clear_requests();
  r = run_cli(emu, {"set", kTenant, "--display-name", "Fabrikam", "--group-sync", "allow", "-o", "json"});
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out).at("groupSyncInbound").at("isSyncAllowed") == true);
  auto log = emu.requests();
  REQUIRE(log.size() == 3);
  CHECK(log[1].at("method") == "PATCH");
  CHECK(json::parse(log[1].at("body").as_string()) == json::parse(R"({"groupSyncInbound":{"isSyncAllowed":true}})"));

  // The same again: nothing is written.
  emu.clear_requests();
  r = run_cli(emu, {"set", kTenant, "--group-sync", "allow"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("Unchanged") != std::string::npos);
  CHECK(request_lines(emu) == std::vector<std::string>{"GET " + policy_path(kTenant)});

  // Soft delete; it shows up in deleted items.
  r = run_cli(emu, {"delete", kTenant});
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(run_cli(emu, {"get", kTenant}).exit_code == 3);
  r = run_cli(emu, {"list-deleted", "-o", "json"});
  REQUIRE(r.exit_code == 0);
  const auto deleted = json::parse(r.out).as_array();
  REQUIRE(deleted.size() == 1);
  CHECK(deleted[0].at("tenantId").as_string() == kTenant);
  CHECK(deleted[0].at("deletedDateTime").is_string());
  r = run_cli(emu, {"get", kTenant, "--deleted"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("DELETED") != std::string::npos);
  CHECK(r.out.find(kTenant) != std::string::npos);

  // Restore brings the same settings back.
  r = run_cli(emu, {"restore", kTenant, "-o", "json"});
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out).at("displayName") == "Fabrikam");
  r = run_cli(emu, {"get", kTenant, "-o", "tsv"});
  CHECK(r.out == kTenant + "\tFabrikam\ttrue\ttrue\n");
  CHECK(run_cli(emu, {"list-deleted", "-o", "json"}).out == "[]\n");

  // Delete and purge: gone for good.
  CHECK(run_cli(emu, {"delete", kTenant}).exit_code == 0);
  r = run_cli(emu, {"purge", kTenant, "--yes"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(run_cli(emu, {"get", kTenant, "--deleted"}).exit_code == 3);
  CHECK(run_cli(emu, {"restore", kTenant}).exit_code == 3);
  const auto state = emu.state();
  CHECK(state.at("policies").as_array().empty());
  CHECK(state.at("deleted").as_array().empty());
}

TEST_CASE("lifecycle: every request carries correlation and identity headers") {
  Emulator emu;
  emu.seed(json::object{{"policies", json::array{json::object{{"tenantId", kTenant}, {"displayName", "F"}}}}});
  REQUIRE(run_cli(emu, {"get", kTenant}).exit_code == 0);
  const auto log = emu.requests();
  REQUIRE(log.size() == 1);
  const auto& headers = log[0].at("headers").as_object();
  CHECK(headers.at("authorization") == "Bearer emulator-token");
  CHECK(headers.at("user-agent").as_string().starts_with("xtsync/"));
  CHECK(headers.at("client-request-id").as_string().size() == 36);
}

TEST_CASE("lifecycle: set --from-file, stdin, and v1.0") {
  Emulator emu({"--partner", kTenant});
  TempDir dir;
  const auto file = dir.write("policy.json", R"({"displayName":"From file","userSyncInbound":{"isSyncAllowed":false}})");
  auto r = run_cli(emu, {"set", kTenant, "--from-file", file, "--api-version", "v1.0", "-o", "json"});
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out).at("displayName") == "From file");
  CHECK(request_lines(emu).at(0) == "GET " + policy_path(kTenant, "v1.0"));

  ProcessOptions piped;
  piped.stdin_data = R"({"displayName":"Piped"})";
  r = run_cli(emu, {"set", kTenant, "--from-file", "-", "--user-sync", "allow", "-o", "tsv"}, piped);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == kTenant + "\tPiped\ttrue\t\n");

  // A file that is not a policy is refused before anything is sent.
  emu.clear_requests();
  const auto bad = dir.write("bad.json", R"({"displayName": 42})");
  r = run_cli(emu, {"set", kTenant, "--from-file", bad});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("displayName") != std::string::npos);
  const auto typo = dir.write("typo.json", "{\n  \"displayName\": \"x\",\n  \"bogus\": true\n}\n");
  r = run_cli(emu, {"set", kTenant, "--from-file", typo});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("line 3: unknown key 'bogus'") != std::string::npos);
  const auto broken = dir.write("broken.json", "{\n  \"displayName\": \"x\"\n  \"userSyncInbound\": {}\n}\n");
  r = run_cli(emu, {"set", kTenant, "--from-file", broken});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("is not valid JSON: syntax error at line 3, column 3") != std::string::npos);
  r = run_cli(emu, {"set", kTenant, "--from-file", dir.file("missing.json")});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("No such file or directory") != std::string::npos);
  CHECK(emu.requests().empty());
}

TEST_CASE("lifecycle: --dry-run sends no write") {
  Emulator emu;
  auto r = run_cli(emu, {"set", kTenant, "--user-sync", "allow", "--create-partner", "--dry-run"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("POST ") != std::string::npos);
  CHECK(r.out.find("PUT ") != std::string::npos);
  for (const auto& line : request_lines(emu)) CHECK(line.starts_with("GET "));
  CHECK(emu.state().at("partners").as_array().empty());
}

TEST_CASE("lifecycle: errors and warnings say what to do next") {
  Emulator emu({"--partner", kTenant});

  // Nothing configured yet: get says how to create it.
  auto r = run_cli(emu, {"get", kTenant});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("hint: 'xtsync set " + kTenant + " --create-partner") != std::string::npos);
  // Purge of something that is not in deleted items.
  r = run_cli(emu, {"purge", kTenant, "--yes"});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("only a deleted policy can be purged") != std::string::npos);

  REQUIRE(run_cli(emu, {"set", kTenant, "--user-sync", "allow"}).exit_code == 0);
  // Restore of a live policy: it is not deleted.
  r = run_cli(emu, {"restore", kTenant});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("it is not deleted; it is active") != std::string::npos);
  CHECK(r.err.find("hint: 'xtsync get " + kTenant + "' shows it") != std::string::npos);

  // A new policy beside a soft-deleted one: set warns, and restore's 409 says what to do.
  REQUIRE(run_cli(emu, {"delete", kTenant}).exit_code == 0);
  r = run_cli(emu, {"set", kTenant, "--user-sync", "block", "--dry-run"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("warning: partner " + kTenant + " has a soft-deleted sync policy (deleted 20") != std::string::npos);
  CHECK(r.err.find("would create a new one") != std::string::npos);
  r = run_cli(emu, {"set", kTenant, "--user-sync", "block"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("this creates a new one beside it") != std::string::npos);
  r = run_cli(emu, {"restore", kTenant});
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("has a live policy as well: delete it first") != std::string::npos);
  CHECK(r.err.find("'xtsync purge " + kTenant + "'") != std::string::npos);

  // No copy left anywhere: restore points at list-deleted.
  REQUIRE(run_cli(emu, {"purge", kTenant, "--yes"}).exit_code == 0);
  REQUIRE(run_cli(emu, {"delete", kTenant}).exit_code == 0);
  REQUIRE(run_cli(emu, {"purge", kTenant, "--yes"}).exit_code == 0);
  r = run_cli(emu, {"restore", kTenant});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("hint: 'xtsync list-deleted'") != std::string::npos);

  // A token Graph refuses: point at auth status.
  ProcessOptions bad_token;
  bad_token.env["XTSYNC_ACCESS_TOKEN"] = "not-the-emulator-token";
  r = run_cli(emu, {"get", kTenant}, bad_token);
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("'xtsync auth status' shows what signs in") != std::string::npos);
}

TEST_SUITE_END();
