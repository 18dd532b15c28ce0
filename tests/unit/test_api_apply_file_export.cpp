// The apply file writer (`export`) and the round trip write → parse, YAML and JSON, beta and v1.0.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "api/apply_file.hpp"
#include "error.hpp"

using namespace xtsync;
using namespace xtsync::api;
using graph::ApiVersion;
using graph::InboundSync;
using graph::Policy;
using graph::Property;
namespace json = boost::json;

namespace {

const std::string k_fabrikam = "9c5d131d-b1c3-4fc4-9e3f-c6557947d551";
const std::string k_contoso = "01d0e717-bc90-46ba-94a9-71b4a811fddb";
const ExportHeader k_header{"2025-06-18T23:11:01Z", "72f988bf-86f1-41af-91ab-2d7cd011db47", "beta",
                            "https://graph.microsoft.com"};

// A live policy as Graph returns it, read through the real model.
ApplyEntry live(const std::string& graph_json) {
  const auto policy = json::value_to<Policy>(json::parse(graph_json));
  return ApplyEntry{*policy.tenant_id.value, 0, DesiredState::present, policy};
}

Property<InboundSync> sync(std::optional<bool> allowed) {
  InboundSync s;
  s.is_sync_allowed = allowed ? Property<bool>::of(*allowed) : Property<bool>::null();
  return Property<InboundSync>::of(s);
}

std::string yaml(const std::vector<ApplyEntry>& entries, ApiVersion version = ApiVersion::beta) {
  return write_apply_file(entries, FileFormat::yaml, k_header, version);
}

}  // namespace

TEST_SUITE_BEGIN("api");

TEST_CASE("export: YAML looks like the contract's example, sorted by tenant ID") {
  const std::vector<ApplyEntry> entries = {
      live(R"({"tenantId": "9c5d131d-b1c3-4fc4-9e3f-c6557947d551", "displayName": "Fabrikam",
               "userSyncInbound": {"isSyncAllowed": true}, "groupSyncInbound": {"isSyncAllowed": false},
               "externalCloudAuthorizedApplicationId": null})"),
      live(R"({"tenantId": "01d0e717-bc90-46ba-94a9-71b4a811fddb", "displayName": null,
               "userSyncInbound": {"isSyncAllowed": null}})"),
  };
  CHECK(yaml(entries) ==
        "# exported by xtsync " XTSYNC_VERSION " at 2025-06-18T23:11:01Z from tenant 72f988bf-86f1-41af-91ab-2d7cd011db47 "
        "(Graph beta, https://graph.microsoft.com)\n"
        "version: 1\n"
        "partners:\n"
        "  - tenant: \"01d0e717-bc90-46ba-94a9-71b4a811fddb\"\n"
        "    displayName: null\n"
        "    userSync: null\n"
        "  - tenant: \"9c5d131d-b1c3-4fc4-9e3f-c6557947d551\"\n"
        "    displayName: \"Fabrikam\"\n"
        "    userSync: allow\n"
        "    groupSync: block\n"
        "    externalCloudAppId: null\n");
}

TEST_CASE("export: JSON has the same content and no header") {
  const std::vector<ApplyEntry> entries = {
      live(R"({"tenantId": "9c5d131d-b1c3-4fc4-9e3f-c6557947d551", "displayName": "Fabrikam",
               "userSyncInbound": {"isSyncAllowed": false}, "groupSyncInbound": {"isSyncAllowed": true},
               "externalCloudAuthorizedApplicationId": "app"})"),
      live(R"({"tenantId": "01d0e717-bc90-46ba-94a9-71b4a811fddb"})"),
  };
  const auto text = write_apply_file(entries, FileFormat::json, k_header, ApiVersion::beta);
  CHECK(text ==
        "{\n"
        "  \"version\": 1,\n"
        "  \"partners\": [\n"
        "    {\n"
        "      \"tenant\": \"01d0e717-bc90-46ba-94a9-71b4a811fddb\"\n"
        "    },\n"
        "    {\n"
        "      \"tenant\": \"9c5d131d-b1c3-4fc4-9e3f-c6557947d551\",\n"
        "      \"displayName\": \"Fabrikam\",\n"
        "      \"userSync\": \"block\",\n"
        "      \"groupSync\": \"allow\",\n"
        "      \"externalCloudAppId\": \"app\"\n"
        "    }\n"
        "  ]\n"
        "}\n");
  CHECK_NOTHROW(json::parse(text));
}

TEST_CASE("export: no partners") {
  CHECK(yaml({}).ends_with("\nversion: 1\npartners: []\n"));
  CHECK(write_apply_file({}, FileFormat::json, k_header, ApiVersion::beta) == "{\n  \"version\": 1,\n  \"partners\": []\n}\n");
  CHECK(parse_apply_file(yaml({}), "x", ApiVersion::beta).partners.empty());
}

TEST_CASE("export: what is left out") {
  SUBCASE("v1.0 has no groupSync or externalCloudAppId") {
    const auto text = yaml({live(R"({"tenantId": "9c5d131d-b1c3-4fc4-9e3f-c6557947d551", "displayName": "F",
        "userSyncInbound": {"isSyncAllowed": true}, "groupSyncInbound": {"isSyncAllowed": true},
        "externalCloudAuthorizedApplicationId": "app"})")},
                           ApiVersion::v1_0);
    CHECK(text.ends_with("  - tenant: \"9c5d131d-b1c3-4fc4-9e3f-c6557947d551\"\n    displayName: \"F\"\n    userSync: allow\n"));
  }
  SUBCASE("a setting that is absent or null, or has no flag, is unmanaged; a null groupSync flag too") {
    for (const char* settings :
         {R"("userSyncInbound": null, "groupSyncInbound": null)", R"("userSyncInbound": {}, "groupSyncInbound": {"other": 1})",
          R"("groupSyncInbound": {"isSyncAllowed": null})"}) {
      CAPTURE(settings);
      const auto text = yaml({live(R"({"tenantId": "9c5d131d-b1c3-4fc4-9e3f-c6557947d551", )" + std::string(settings) + "}")});
      CHECK(text.ends_with("partners:\n  - tenant: \"9c5d131d-b1c3-4fc4-9e3f-c6557947d551\"\n"));
    }
  }
  SUBCASE("properties outside the format: deletedDateTime, unknown ones, @odata") {
    const auto text = yaml({live(R"({"tenantId": "9c5d131d-b1c3-4fc4-9e3f-c6557947d551", "deletedDateTime": "2025-06-18T23:11:01Z",
        "futureProperty": {"x": 1}, "@odata.type": "t", "userSyncInbound": {"isSyncAllowed": true, "futureFlag": 2}})")});
    CHECK(text.ends_with("  - tenant: \"9c5d131d-b1c3-4fc4-9e3f-c6557947d551\"\n    userSync: allow\n"));
  }
}

TEST_CASE("export: the header is one comment line whatever it holds") {
  ExportHeader header{"now\nversion: 2", "t\r\x1b[2J", "", ""};
  const auto text = write_apply_file({}, FileFormat::yaml, header, ApiVersion::v1_0);
  CHECK(text == "# exported by xtsync " XTSYNC_VERSION " at now\\nversion: 2 from tenant t\\r\\x1b[2J (Graph v1.0)\n"
                "version: 1\npartners: []\n");
  CHECK(parse_apply_file(text, "x", ApiVersion::v1_0).version == 1);
}

TEST_CASE("export: an entry to delete is written as state: absent") {
  ApplyEntry gone{"contoso.com", 0, DesiredState::absent, {}};
  gone.desired.display_name = Property<std::string>::of("ignored");
  CHECK(yaml({gone}).ends_with("  - tenant: \"contoso.com\"\n    state: absent\n"));
  CHECK(write_apply_file({gone}, FileFormat::json, k_header, ApiVersion::beta).find("\"state\": \"absent\"") != std::string::npos);
}

TEST_CASE("export: a string that is not UTF-8 cannot be written") {
  ApplyEntry entry{k_fabrikam, 0, DesiredState::present, {}};
  entry.desired.display_name = Property<std::string>::of("caf\xE9");
  CHECK_THROWS_AS(yaml({entry}), Error);
  try {
    yaml({entry});
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::failure);
  }
}

TEST_CASE("export: the round trip gives back the same data, YAML and JSON, beta and v1.0") {
  const std::vector<std::string> names = {
      "Fabrikam",
      "",
      "say \"hi\"",
      "back\\slash \\n \\u0041",
      "no",
      "yes",
      "null",
      "~",
      "true",
      "1e3",
      "0x10",
      "2024",
      "# not a comment",
      "a # b",
      "key: value",
      "- item",
      "[not, a, list]",
      "{not: a map}",
      "&anchor *alias !tag %directive @at `tick",
      "'single'",
      "  leading and trailing spaces  ",
      "line\nbreak\r\nand\ttab",
      "control \x01\x1f\x7f",
      "Fabrikam – Zürich 東京 \xF0\x9F\x98\x80",
      "C1 \xC2\x85 \xC2\x9F, separators \xE2\x80\xA8 \xE2\x80\xA9, BOM \xEF\xBB\xBF",
      "---",
      "...",
      std::string("nul \0 inside", 12),
      std::string(5000, 'x'),
  };
  for (const auto version : {ApiVersion::beta, ApiVersion::v1_0}) {
    for (const auto format : {FileFormat::yaml, FileFormat::json}) {
      CAPTURE(static_cast<int>(version));
      CAPTURE(static_cast<int>(format));
      const bool beta = version == ApiVersion::beta;
      std::vector<ApplyEntry> entries;
      std::vector<Policy> expected;
      for (std::size_t i = 0; i < names.size(); ++i) {
        ApplyEntry entry;
        char tenant[40];
        std::snprintf(tenant, sizeof tenant, "00000000-0000-0000-0000-%012zu", names.size() - i);  // reverse order
        entry.tenant = tenant;
        Policy& p = entry.desired;
        p.tenant_id = Property<std::string>::of(tenant);
        p.display_name = Property<std::string>::of(names[i]);
        p.user_sync_inbound = sync(i % 3 == 0 ? std::optional<bool>() : std::optional<bool>(i % 3 == 1));
        p.group_sync_inbound = sync(i % 2 == 0);
        p.external_cloud_authorized_application_id =
            i % 4 == 0 ? Property<std::string>::null() : Property<std::string>::of(names[names.size() - 1 - i]);
        p.extra["futureProperty"] = 1;

        Policy want;
        want.display_name = p.display_name;
        want.user_sync_inbound = p.user_sync_inbound;
        if (beta) {
          want.group_sync_inbound = p.group_sync_inbound;
          want.external_cloud_authorized_application_id = p.external_cloud_authorized_application_id;
        }
        entries.push_back(entry);
        expected.insert(expected.begin(), want);  // written sorted by tenant: the reverse
      }
      const auto text = write_apply_file(entries, format, k_header, version);
      const auto doc = parse_apply_file(text, "export", version);
      REQUIRE(doc.partners.size() == names.size());
      for (std::size_t i = 0; i < names.size(); ++i) {
        CAPTURE(i);
        CHECK(doc.partners[i].tenant == entries[names.size() - 1 - i].tenant);
        CHECK(doc.partners[i].state == DesiredState::present);
        CHECK(doc.partners[i].desired == expected[i]);
      }
      if (format == FileFormat::json) CHECK_NOTHROW(json::parse(text));
      // Written twice, the same text: the export is stable.
      std::vector<ApplyEntry> again;
      for (const auto& e : doc.partners) again.push_back(e);
      CHECK(write_apply_file(again, format, k_header, version) == text);
    }
  }
}

TEST_CASE("export: the round trip keeps absent apart from null") {
  const std::vector<ApplyEntry> entries = {
      live(R"({"tenantId": "9c5d131d-b1c3-4fc4-9e3f-c6557947d551"})"),
      live(R"({"tenantId": "01d0e717-bc90-46ba-94a9-71b4a811fddb", "displayName": null,
               "userSyncInbound": {"isSyncAllowed": null}, "externalCloudAuthorizedApplicationId": null})"),
  };
  for (const auto format : {FileFormat::yaml, FileFormat::json}) {
    const auto doc = parse_apply_file(write_apply_file(entries, format, k_header, ApiVersion::beta), "x", ApiVersion::beta);
    REQUIRE(doc.partners.size() == 2);
    CHECK(doc.partners[0].tenant == k_contoso);
    Policy nulls;
    nulls.display_name = Property<std::string>::null();
    nulls.user_sync_inbound = sync(std::nullopt);
    nulls.external_cloud_authorized_application_id = Property<std::string>::null();
    CHECK(doc.partners[0].desired == nulls);
    CHECK(doc.partners[1].tenant == k_fabrikam);
    CHECK(doc.partners[1].desired == Policy{});
  }
}

TEST_SUITE_END();
