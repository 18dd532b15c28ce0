// apply with the real binary: the plan, each action, confirmation, validation and drift.
#include "harness.hpp"
#include "util/strings.hpp"

using namespace xtsync::testing;
namespace json = boost::json;

TEST_SUITE_BEGIN("integration");

namespace {

const std::string k_partners = "/beta/policies/crossTenantAccessPolicy/partners";

// The writes the emulator carried out, batch items included, as "METHOD target" lines.
std::vector<std::string> writes(Emulator& emu) {
  std::vector<std::string> lines;
  for (const auto& line : request_lines(emu)) {
    if (line.rfind("GET ", 0) == 0 || line.find("/$batch") != std::string::npos) continue;
    lines.push_back(line);
  }
  return lines;
}

std::size_t batches(Emulator& emu) {
  std::size_t n = 0;
  for (const auto& line : request_lines(emu)) n += line.rfind("POST ", 0) == 0 && line.find("/$batch") != std::string::npos;
  return n;
}

json::object policy_of(Emulator& emu, const std::string& tenant) {
  const json::value state = emu.state();  // kept: the loop below walks into it
  for (const auto& p : state.at("policies").as_array()) {
    if (p.at("tenantId").as_string() == tenant) return p.as_object();
  }
  return {};
}

bool has_deleted(Emulator& emu, const std::string& tenant) {
  const json::value state = emu.state();
  for (const auto& p : state.at("deleted").as_array()) {
    if (p.at("tenantId").as_string() == tenant) return true;
  }
  return false;
}

// Four partners: 1 unchanged, 2 to update, 3 to delete, 4 a partner configuration without a policy.
json::object four_partner_seed() {
  return json::object{
      {"partners", json::array{json::object{{"tenantId", fmt_tenant(4)}}}},
      {"policies",
       json::array{json::object{{"tenantId", fmt_tenant(1)}, {"displayName", "One"},
                                {"userSyncInbound", json::object{{"isSyncAllowed", true}}}},
                   json::object{{"tenantId", fmt_tenant(2)}, {"displayName", "Two"},
                                {"userSyncInbound", json::object{{"isSyncAllowed", false}}}},
                   json::object{{"tenantId", fmt_tenant(3)}, {"displayName", "Three"}}}}};
}

std::string four_partner_file() {
  return "version: 1\n"
         "partners:\n"
         "  - tenant: " + fmt_tenant(1) + "\n"
         "    displayName: One\n"
         "    userSync: allow\n"
         "  - tenant: " + fmt_tenant(2) + "\n"
         "    userSync: allow\n"
         "  - tenant: " + fmt_tenant(3) + "\n"
         "    state: absent\n"
         "  - tenant: " + fmt_tenant(4) + "\n"
         "    displayName: Four\n"
         "    userSync: block\n";
}

}  // namespace

TEST_CASE("apply: create, update, delete and unchanged in one plan, shown before it runs") {
  Emulator emu;
  emu.seed(four_partner_seed());
  TempDir dir;
  const auto file = dir.write("partners.yaml", four_partner_file());

  // The dry run prints the plan and writes nothing.
  auto r = run_cli(emu, {"apply", "-f", file, "--dry-run", "--detailed-exitcode"});
  CHECK(r.exit_code == 8);
  CHECK(r.out.find("Plan: 1 to create, 1 to update, 1 to delete, 1 unchanged") != std::string::npos);
  CHECK(r.out.find("userSync: block \u2192 allow") != std::string::npos);
  CHECK(writes(emu).empty());
  CHECK(batches(emu) == 0);

  // The JSON plan names every partner and each change.
  r = run_cli(emu, {"apply", "-f", file, "--dry-run", "-o", "json"});
  REQUIRE(r.exit_code == 0);
  const auto plan = json::parse(r.out).as_array();
  REQUIRE(plan.size() == 4);
  CHECK(plan[0].at("action") == "unchanged");
  CHECK(plan[1].at("action") == "update");
  CHECK(plan[1].at("changes").at("userSync") == json::parse(R"({"from":"block","to":"allow"})"));
  CHECK(plan[2].at("action") == "delete");
  CHECK(plan[3].at("action") == "create");
  CHECK(plan[0].as_object().if_contains("status") == nullptr);

  emu.clear_requests();
  r = run_cli(emu, {"apply", "-f", file, "-o", "json"});
  REQUIRE(r.exit_code == 0);
  const auto result = json::parse(r.out).as_array();
  for (const auto& item : result) CHECK(item.at("status") == "done");
  // One batch carried the three writes; PATCH sends only what differs.
  CHECK(batches(emu) == 1);
  auto w = writes(emu);
  std::sort(w.begin(), w.end());
  CHECK(w == std::vector<std::string>{"DELETE " + policy_path(fmt_tenant(3)), "PATCH " + policy_path(fmt_tenant(2)),
                                      "PUT " + policy_path(fmt_tenant(4))});
  CHECK(policy_of(emu, fmt_tenant(2)).at("userSyncInbound").at("isSyncAllowed") == true);
  CHECK(policy_of(emu, fmt_tenant(2)).at("displayName") == "Two");  // not managed by the file
  CHECK(policy_of(emu, fmt_tenant(4)).at("displayName") == "Four");
  CHECK(has_deleted(emu, fmt_tenant(3)));

  // The second run finds nothing to do and sends nothing.
  emu.clear_requests();
  r = run_cli(emu, {"apply", "-f", file});
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("already matches") != std::string::npos);
  CHECK(batches(emu) == 0);
  CHECK(run_cli(emu, {"apply", "-f", file, "--dry-run", "--detailed-exitcode"}).exit_code == 0);
}

TEST_CASE("apply: a partner without a configuration blocks the plan unless --create-partners") {
  Emulator emu;
  const std::string file_text = "{\"version\": 1, \"partners\": [{\"tenant\": \"" + kTenant +
                                "\", \"displayName\": \"Fabrikam\", \"userSync\": \"allow\"}]}";

  auto r = run_cli(emu, {"apply", "-f", "-"}, stdin_of(file_text));
  CHECK(r.exit_code == 3);
  CHECK(r.err.find(kTenant) != std::string::npos);
  CHECK(r.err.find("--create-partners") != std::string::npos);
  CHECK(writes(emu).empty());

  emu.clear_requests();
  r = run_cli(emu, {"apply", "-f", "-", "--create-partners"}, stdin_of(file_text));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("partner configuration created first") != std::string::npos);
  // The partner configuration goes first, in a batch of its own.
  CHECK(batches(emu) == 2);
  CHECK(writes(emu) == std::vector<std::string>{"POST " + k_partners, "PUT " + policy_path(kTenant)});
  CHECK(policy_of(emu, kTenant).at("displayName") == "Fabrikam");
}

TEST_CASE("apply --prune: deletes what the file does not name, only when confirmed") {
  Emulator emu;
  emu.seed(four_partner_seed());
  const std::string file_text = "version: 1\npartners:\n  - tenant: " + fmt_tenant(1) + "\n";

  // Standard input is not a terminal here (it carries the file), so --yes is needed.
  auto r = run_cli(emu, {"apply", "-f", "-", "--prune"}, stdin_of(file_text));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--yes") != std::string::npos);
  CHECK(writes(emu).empty());

  r = run_cli(emu, {"apply", "-f", "-", "--prune", "--dry-run", "-o", "json"}, stdin_of(file_text));
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out).as_array().size() == 3);  // 1 unchanged, 2 and 3 to delete (4 has no policy)

  r = run_cli(emu, {"apply", "-f", "-", "--prune", "--yes"}, stdin_of(file_text));
  REQUIRE(r.exit_code == 0);
  CHECK(has_deleted(emu, fmt_tenant(2)));
  CHECK(has_deleted(emu, fmt_tenant(3)));
  CHECK(!policy_of(emu, fmt_tenant(1)).empty());
}

TEST_CASE("apply: a bad file is exit 2 with file:line and key, before any request") {
  Emulator emu;
  TempDir dir;
  struct Case {
    std::string text;
    std::string expect;  // in stderr
  };
  const std::vector<Case> cases = {
      {"version: 1\npartners:\n  - tenant: " + kTenant + "\n    userSnyc: allow\n", ":4: key 'userSnyc'"},
      {"version: 1\npartners:\n  - tenant: " + kTenant + "\n    userSync: maybe\n", ":4: key 'userSync'"},
      {"version: 1\npartners:\n  - displayName: x\n", ":3: key 'tenant'"},
      {"version: 2\npartners: []\n", ":1: key 'version'"},
      {"version: 1\npartners:\n  - tenant: " + kTenant + "\n  - tenant: " + xtsync::util::to_upper(kTenant) + "\n", ":4: key 'tenant'"},
      {"version: 1\npartners:\n  - tenant: \"not a tenant\"\n", ":3: key 'tenant'"},
      {"version: 1\npartners:\n  - tenant: " + kTenant + "\n    state: gone\n", ":4: key 'state'"},
  };
  for (const auto& c : cases) {
    const auto file = dir.write("bad.yaml", c.text);
    auto r = run_cli(emu, {"apply", "-f", file});
    INFO(c.text);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(file + c.expect) != std::string::npos);
  }
  // Beta-only keys under v1.0.
  const auto file = dir.write("beta.yaml", "version: 1\npartners:\n  - tenant: " + kTenant + "\n    groupSync: allow\n");
  auto r = run_cli(emu, {"apply", "-f", file, "--api-version", "v1.0"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(file + ":4: key 'groupSync'") != std::string::npos);
  CHECK(request_lines(emu).empty());
}

TEST_CASE("apply: domain names in the file are resolved once each, and an unknown one is exit 3") {
  Emulator emu({"--domain", "fabrikam.com=" + kTenant, "--domain", "fabrikam.onmicrosoft.com=" + kTenant});
  emu.seed(json::object{{"partners", json::array{json::object{{"tenantId", kTenant}}}}});

  auto r = run_cli(emu, {"apply", "-f", "-"},
                   stdin_of("version: 1\npartners:\n  - tenant: fabrikam.com\n    userSync: allow\n"));
  REQUIRE(r.exit_code == 0);
  CHECK(policy_of(emu, kTenant).at("userSyncInbound").at("isSyncAllowed") == true);
  CHECK(r.out.find("fabrikam.com (" + kTenant + ")") != std::string::npos);

  // Two names of one tenant are two entries for the same tenant.
  r = run_cli(emu, {"apply", "-f", "-"},
              stdin_of("version: 1\npartners:\n  - tenant: fabrikam.com\n"
                                           "  - tenant: fabrikam.onmicrosoft.com\n"));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(":4: key 'tenant'") != std::string::npos);

  emu.clear_requests();
  r = run_cli(emu, {"apply", "-f", "-"},
              stdin_of("version: 1\npartners:\n  - tenant: nosuch.example\n    userSync: allow\n"));
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("nosuch.example") != std::string::npos);
  CHECK(writes(emu).empty());
}

TEST_CASE("apply: 1,000 partners created in one run, then a second run that sends nothing") {
  Emulator emu({"--page-size", "100", "-q", "--request-log-size", "5000"});
  std::string text = "version: 1\npartners:\n";
  for (int n = 1; n <= 1000; ++n) {
    text.append("  - tenant: ").append(fmt_tenant(n)).append("\n    displayName: P").append(std::to_string(n));
    text.append("\n    userSync: allow\n");
  }
  TempDir dir;
  const auto file = dir.write("many.yaml", text);

  auto r = run_cli(emu, {"apply", "-f", file, "--create-partners", "-q", "-o", "tsv"});
  REQUIRE(r.exit_code == 0);
  CHECK(emu.state().at("policies").as_array().size() == 1000);
  // 1,000 partner creations and 1,000 PUTs, 20 to a batch.
  CHECK(writes(emu).size() == 2000);
  CHECK(batches(emu) == 100);

  emu.clear_requests();
  r = run_cli(emu, {"apply", "-f", file, "--create-partners"});
  REQUIRE(r.exit_code == 0);
  CHECK(writes(emu).empty());
  CHECK(batches(emu) == 0);
  CHECK(r.out.find("0 to create, 0 to update, 0 to delete, 1000 unchanged") != std::string::npos);
}
