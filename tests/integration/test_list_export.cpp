// list and export over the real binary and a paged partner list, and domain names in commands.
#include "harness.hpp"

using namespace xtsync::testing;
namespace json = boost::json;

TEST_SUITE_BEGIN("integration");

namespace {

std::string tenant_n(int n) { return fmt_tenant(n); }

// Partners 1..count, with a policy on the odd ones ("Partner N", user sync allowed on multiples of 3).
json::object listing_seed(int count) {
  json::array partners, policies;
  for (int n = 1; n <= count; ++n) {
    partners.push_back(json::object{{"tenantId", tenant_n(n)}});
    if (n % 2 == 1) {
      policies.push_back(json::object{{"tenantId", tenant_n(n)},
                                      {"displayName", "Partner " + std::to_string(n)},
                                      {"userSyncInbound", json::object{{"isSyncAllowed", n % 3 == 0}}}});
    }
  }
  return json::object{{"partners", std::move(partners)}, {"policies", std::move(policies)}};
}

std::size_t count_of(const std::vector<std::string>& lines, const std::string& prefix) {
  std::size_t n = 0;
  for (const auto& l : lines) n += l.rfind(prefix, 0) == 0;
  return n;
}

}  // namespace

TEST_CASE("list: every page of the $expand read, partners without a policy left out") {
  Emulator emu({"--page-size", "2"});
  emu.seed(listing_seed(7));  // 7 partners: 4 pages; policies on 1, 3, 5, 7

  auto r = run_cli(emu, {"list", "-o", "json"});
  REQUIRE(r.exit_code == 0);
  const auto items = json::parse(r.out).as_array();
  REQUIRE(items.size() == 4);
  for (std::size_t i = 0; i < items.size(); ++i) {
    CHECK(items[i].at("tenantId").as_string() == tenant_n(static_cast<int>(2 * i + 1)));
    CHECK(items[i].as_object().if_contains("@odata.context") == nullptr);
  }
  const auto lines = request_lines(emu);
  CHECK(count_of(lines, "GET /beta/policies/crossTenantAccessPolicy/partners") == 4);
  CHECK(lines.front() == "GET /beta/policies/crossTenantAccessPolicy/partners?$expand=identitySynchronization");

  r = run_cli(emu, {"list", "-o", "tsv"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == tenant_n(1) + "\tPartner 1\tfalse\t\n" + tenant_n(3) + "\tPartner 3\ttrue\t\n" + tenant_n(5) +
                     "\tPartner 5\tfalse\t\n" + tenant_n(7) + "\tPartner 7\tfalse\t\n");

  r = run_cli(emu, {"list"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.rfind("TENANT ID", 0) == 0);
  CHECK(r.out.find("Partner 7") != std::string::npos);
}

TEST_CASE("list: an empty tenant is an empty array, and a note on the table") {
  Emulator emu;
  auto r = run_cli(emu, {"list", "-o", "json"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "[]\n");
  r = run_cli(emu, {"list"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.find("No sync policies found.") != std::string::npos);
}

TEST_CASE("export: sorted by tenant, and apply of the export is an empty plan") {
  Emulator emu({"--page-size", "3"});
  emu.seed(listing_seed(9));
  TempDir dir;

  auto r = run_cli(emu, {"export"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.rfind("# ", 0) == 0);  // the header comment
  const auto first = r.out.find(tenant_n(1));
  const auto last = r.out.find(tenant_n(9));
  REQUIRE(first != std::string::npos);
  REQUIRE(last != std::string::npos);
  CHECK(first < last);
  CHECK(r.out.find(tenant_n(2)) == std::string::npos);  // no policy, not exported
  const auto yaml = dir.write("tenant.yaml", r.out);

  emu.clear_requests();
  r = run_cli(emu, {"apply", "-f", yaml, "--dry-run", "--detailed-exitcode"});
  CHECK(r.exit_code == 0);
  for (const auto& line : request_lines(emu)) CHECK(line.rfind("GET ", 0) == 0);

  r = run_cli(emu, {"export", "-o", "json"});
  REQUIRE(r.exit_code == 0);
  const auto doc = json::parse(r.out).as_object();
  CHECK(doc.at("version") == 1);
  CHECK(doc.at("partners").as_array().size() == 5);
  r = run_cli(emu, {"apply", "-f", "-", "--dry-run", "--detailed-exitcode"}, stdin_of(r.out));
  CHECK(r.exit_code == 0);

  // After one change the same check reports drift.
  REQUIRE(run_cli(emu, {"set", tenant_n(5), "--user-sync", "allow"}).exit_code == 0);
  r = run_cli(emu, {"apply", "-f", yaml, "--dry-run", "--detailed-exitcode"});
  CHECK(r.exit_code == 8);
  CHECK(r.out.find("update") != std::string::npos);
  CHECK(r.out.find("userSync: allow \u2192 block") != std::string::npos);
}

TEST_CASE("domain names: resolved once, shown on stderr, an unknown one is exit 3") {
  Emulator emu({"--domain", "fabrikam.com=" + kTenant, "--domain", "contoso.onmicrosoft.com=" + kOtherTenant});
  emu.seed(json::object{{"policies", json::array{json::object{{"tenantId", kTenant}, {"displayName", "Fabrikam"}}}}});

  auto r = run_cli(emu, {"get", "FABRIKAM.com", "-o", "json"});
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out).at("tenantId").as_string() == kTenant);
  CHECK(r.err.find("fabrikam.com") != std::string::npos);
  CHECK(r.err.find(kTenant) != std::string::npos);
  const auto lines = request_lines(emu);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].find("findTenantInformationByDomainName") != std::string::npos);
  CHECK(lines[1] == "GET " + policy_path(kTenant));

  r = run_cli(emu, {"get", "fabrikam.com", "-q", "-o", "tsv"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());

  emu.clear_requests();
  r = run_cli(emu, {"get", "nosuch.example"});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("nosuch.example") != std::string::npos);
  CHECK(request_lines(emu).size() == 1);

  // Neither a GUID nor a domain name: a usage error before any request.
  emu.clear_requests();
  r = run_cli(emu, {"get", "not a domain"});
  CHECK(r.exit_code == 2);
  CHECK(request_lines(emu).empty());
}
