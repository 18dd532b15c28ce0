// Partners named by domain: resolved once per command through findTenantInformationByDomainName.
#include <doctest/doctest.h>

#include "api/partner.hpp"
#include "unit/cli_fixture.hpp"

using namespace xtsync;
using xtsync::testing::Cli;

namespace {
const std::string k_tenant = "9c5d131d-b1c3-4fc4-9e3f-c6557947d551";
const std::string k_lookup = R"({"tenantId":"9C5D131D-B1C3-4FC4-9E3F-C6557947D551","displayName":"Fabrikam","defaultDomainName":"fabrikam.com"})";
}  // namespace

TEST_SUITE_BEGIN("cli");

TEST_CASE("api::parse_partner_name") {
  CHECK(api::parse_partner_name("{9C5D131D-B1C3-4FC4-9E3F-C6557947D551}").text == k_tenant);
  CHECK_FALSE(api::parse_partner_name(k_tenant).is_domain);
  const auto domain = api::parse_partner_name("Fabrikam.COM.");
  CHECK(domain.is_domain);
  CHECK(domain.text == "fabrikam.com");
  for (const char* bad : {"fabrikam", "fab rikam.com", "-fab.com", "fab-.com", "a..b", "x'y.com", "", "fab.com/x"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(api::parse_partner_name(bad), Error);
  }
}

TEST_CASE_FIXTURE(Cli, "cli: a domain name is resolved and the tenant shown") {
  fake.respond(200, k_lookup).respond(200, R"({"tenantId":")" + k_tenant + R"(","displayName":"F"})");
  CHECK(run({"get", "Fabrikam.com"}) == 0);
  REQUIRE(fake.requests.size() == 2);
  CHECK(fake.requests[0].url ==
        "https://graph.microsoft.com/beta/tenantRelationships/findTenantInformationByDomainName(domainName='fabrikam.com')");
  CHECK(fake.requests[1].url.find("/partners/" + k_tenant + "/identitySynchronization") != std::string::npos);
  CHECK(err.find("fabrikam.com \u2192 " + k_tenant) != std::string::npos);
  fake.respond(200, k_lookup).respond(200, R"({"tenantId":")" + k_tenant + R"("})");
  CHECK(run({"get", "fabrikam.com", "-q"}) == 0);
  CHECK(err.empty());
}

TEST_CASE_FIXTURE(Cli, "cli: an unknown domain is exit 3 naming it, and nothing else is sent") {
  fake.respond(404, R"({"error":{"code":"Request_ResourceNotFound","message":"not found"}})");
  CHECK(run({"delete", "nowhere.example"}) == 3);
  CHECK(err.find("nowhere.example") != std::string::npos);
  CHECK(fake.requests.size() == 1);
}

TEST_CASE_FIXTURE(Cli, "cli: set by domain checks a file's tenantId against the resolved tenant") {
  stdin_text = R"({"tenantId":"01d0e717-bc90-46ba-94a9-71b4a811fddb","displayName":"X"})";
  fake.respond(200, k_lookup);
  CHECK(run({"set", "fabrikam.com", "--from-file", "-"}) == 2);
  CHECK(err.find("is for tenant") != std::string::npos);
  CHECK(fake.requests.size() == 1);  // the lookup only
}

TEST_SUITE_END();
