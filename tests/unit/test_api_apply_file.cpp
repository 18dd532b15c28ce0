// The apply file parser: the contract's format, every validation rule with its line, YAML and
// JSON alike. The writer and the round trip are in test_api_apply_file_export.cpp.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "api/apply_file.hpp"
#include "error.hpp"

using namespace xtsync;
using namespace xtsync::api;
using graph::ApiVersion;
using graph::InboundSync;
using graph::Property;
using namespace std::string_view_literals;

namespace {

const std::string k_guid = "9c5d131d-b1c3-4fc4-9e3f-c6557947d551";

ApplyDocument parse(std::string_view text, ApiVersion version = ApiVersion::beta) {
  return parse_apply_file(text, "f.yaml", version);
}

// The message of the usage error the text gives, or a marker that no (or another) error came.
std::string error_of(std::string_view text, ApiVersion version = ApiVersion::beta) {
  try {
    parse(text, version);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::usage) return "(not a usage error) " + std::string(e.what());
    return e.what();
  }
  return "(no error)";
}

// An entry around `body` (its lines indented under "- "), as a whole file; the entry's first
// line is line 3.
std::string yaml_entry(const std::string& body) { return "version: 1\npartners:\n  - " + body; }

Property<InboundSync> sync(std::optional<bool> allowed) {
  InboundSync s;
  s.is_sync_allowed = allowed ? Property<bool>::of(*allowed) : Property<bool>::null();
  return Property<InboundSync>::of(s);
}

}  // namespace

TEST_SUITE_BEGIN("api");

TEST_CASE("apply file: the contract's example") {
  const auto doc = parse(R"(version: 1                      # required; the only version so far
partners:
  - tenant: 9c5d131d-b1c3-4fc4-9e3f-c6557947d551   # tenant ID or domain name; required
    displayName: Fabrikam        # string or null
    userSync: allow              # allow | block
    groupSync: block             # allow | block (beta)
    externalCloudAppId: null     # string or null (beta)
  - tenant: contoso.com
    state: absent                # present (default) | absent: soft-delete its sync policy
)");
  CHECK(doc.version == 1);
  REQUIRE(doc.partners.size() == 2);
  const auto& fabrikam = doc.partners[0];
  CHECK(fabrikam.tenant == k_guid);
  CHECK(fabrikam.line == 3);
  CHECK(fabrikam.state == DesiredState::present);
  graph::Policy expected;
  expected.display_name = Property<std::string>::of("Fabrikam");
  expected.user_sync_inbound = sync(true);
  expected.group_sync_inbound = sync(false);
  expected.external_cloud_authorized_application_id = Property<std::string>::null();
  CHECK(fabrikam.desired == expected);
  CHECK_FALSE(fabrikam.desired.tenant_id.present);

  const auto& contoso = doc.partners[1];
  CHECK(contoso.tenant == "contoso.com");
  CHECK(contoso.line == 8);
  CHECK(contoso.state == DesiredState::absent);
  CHECK(contoso.desired == graph::Policy{});
}

TEST_CASE("apply file: the same document as JSON") {
  const auto doc = parse(R"({
  "version": 1,
  "partners": [
    {
      "tenant": "9C5D131D-B1C3-4FC4-9E3F-C6557947D551",
      "displayName": "Fabrikam",
      "userSync": "block",
      "groupSync": "allow",
      "externalCloudAppId": "app-1"
    },
    {"tenant": "Contoso.COM", "state": "absent"}
  ]
})");
  REQUIRE(doc.partners.size() == 2);
  CHECK(doc.partners[0].tenant == k_guid);
  CHECK(doc.partners[0].line == 5);
  CHECK(doc.partners[0].desired.display_name.value == "Fabrikam");
  CHECK(doc.partners[0].desired.user_sync_inbound == sync(false));
  CHECK(doc.partners[0].desired.group_sync_inbound == sync(true));
  CHECK(doc.partners[0].desired.external_cloud_authorized_application_id.value == "app-1");
  CHECK(doc.partners[1].tenant == "contoso.com");
  CHECK(doc.partners[1].line == 11);
  CHECK(doc.partners[1].state == DesiredState::absent);
}

TEST_CASE("apply file: a property left out is not managed, and an entry may name only its tenant") {
  const auto doc = parse(yaml_entry("tenant: contoso.com\n  - tenant: fabrikam.com\n    state: present\n"));
  REQUIRE(doc.partners.size() == 2);
  CHECK(doc.partners[0].desired == graph::Policy{});
  CHECK(doc.partners[1].state == DesiredState::present);
  CHECK(parse("version: 1\npartners: []\n").partners.empty());
  CHECK(parse(R"({"version": 1, "partners": []})").partners.empty());
}

TEST_CASE("apply file: strings and nulls") {
  auto display_name = [](const std::string& value) {
    return parse(yaml_entry("tenant: contoso.com\n    displayName: " + value + "\n")).partners.at(0).desired.display_name;
  };
  // YAML scalars are untyped: a display name such as 2024 is text.
  CHECK(display_name("2024") == Property<std::string>::of("2024"));
  CHECK(display_name("true") == Property<std::string>::of("true"));
  CHECK(display_name("no") == Property<std::string>::of("no"));
  CHECK(display_name("1e3") == Property<std::string>::of("1e3"));
  CHECK(display_name("'single # quoted'") == Property<std::string>::of("single # quoted"));
  CHECK(display_name("\"tab\\there\"") == Property<std::string>::of("tab\there"));
  CHECK(display_name("\"\"") == Property<std::string>::of(""));
  CHECK(display_name("\"null\"") == Property<std::string>::of("null"));
  CHECK(display_name("!!str null") == Property<std::string>::of("null"));
  CHECK(display_name("nUll") == Property<std::string>::of("nUll"));
  // The null forms: null, Null, NULL, ~, nothing, !!null.
  for (const char* null_form : {"null", "Null", "NULL", "~", "", "!!null x"}) {
    CAPTURE(null_form);
    CHECK(display_name(null_form) == Property<std::string>::null());
  }
  const auto app = parse(yaml_entry("tenant: contoso.com\n    externalCloudAppId: 00000003-0000-0000-c000-000000000000\n"))
                       .partners.at(0)
                       .desired.external_cloud_authorized_application_id;
  CHECK(app == Property<std::string>::of("00000003-0000-0000-c000-000000000000"));
  CHECK(parse(yaml_entry("tenant: contoso.com\n    externalCloudAppId: ~\n")).partners.at(0)
            .desired.external_cloud_authorized_application_id == Property<std::string>::null());
}

TEST_CASE("apply file: userSync and groupSync") {
  auto entry = [](const std::string& lines) { return parse(yaml_entry("tenant: contoso.com\n" + lines)).partners.at(0).desired; };
  CHECK(entry("    userSync: allow\n").user_sync_inbound == sync(true));
  CHECK(entry("    userSync: block\n").user_sync_inbound == sync(false));
  CHECK(entry("    userSync: \"allow\"\n").user_sync_inbound == sync(true));
  // userSyncInbound.isSyncAllowed is nullable in Graph's metadata.
  CHECK(entry("    userSync: null\n").user_sync_inbound == sync(std::nullopt));
  CHECK(entry("    userSync: ~\n").user_sync_inbound == sync(std::nullopt));
  CHECK(entry("    groupSync: allow\n").group_sync_inbound == sync(true));
  CHECK(entry("    groupSync: block\n").group_sync_inbound == sync(false));
  CHECK_FALSE(entry("    groupSync: block\n").user_sync_inbound.present);
}

TEST_CASE("apply file: tenants are normalized") {
  auto tenant = [](const std::string& text) { return parse(yaml_entry("tenant: " + text + "\n")).partners.at(0).tenant; };
  CHECK(tenant("9C5D131D-B1C3-4FC4-9E3F-C6557947D551") == k_guid);
  CHECK(tenant("\"{9c5d131d-b1c3-4fc4-9e3f-c6557947d551}\"") == k_guid);
  CHECK(tenant("Contoso.COM") == "contoso.com");
  CHECK(tenant("fabrikam.onmicrosoft.com") == "fabrikam.onmicrosoft.com");
  CHECK(tenant("xn--bcher-kva.example") == "xn--bcher-kva.example");
  CHECK(tenant("a-b.c0") == "a-b.c0");
  const std::string label63(63, 'a');
  CHECK(tenant(label63 + ".com") == label63 + ".com");
  // 253 characters, the limit.
  const std::string long_name = std::string(62, 'a') + "." + std::string(62, 'b') + "." + std::string(61, 'c') + "." +
                                std::string(61, 'd') + ".com";
  REQUIRE(long_name.size() == 253);
  CHECK(tenant(long_name) == long_name);
}

TEST_CASE("apply file: a tenant that is missing, empty or neither a GUID nor a domain") {
  CHECK(error_of(yaml_entry("displayName: x\n")) ==
        "f.yaml:3: key 'tenant': missing in entry 1 of partners; name the partner's tenant ID or domain name");
  CHECK(error_of(R"({"version": 1, "partners": [
  {"tenant": "contoso.com"},
  {"userSync": "allow"}]})") ==
        "f.yaml:3: key 'tenant': missing in entry 2 of partners; name the partner's tenant ID or domain name");
  CHECK(error_of(yaml_entry("tenant: \"\"\n")) ==
        "f.yaml:3: key 'tenant': is empty; give the partner's tenant ID or a domain name");
  CHECK(error_of(yaml_entry("tenant:\n")) == "f.yaml:3: key 'tenant': must be a tenant ID or domain name, not null");
  CHECK(error_of(yaml_entry("tenant: [contoso.com]\n")) ==
        "f.yaml:3: key 'tenant': must be a tenant ID or domain name, not a sequence");
  const std::string label64(64, 'a');
  const std::string too_long = std::string(63, 'a') + "." + std::string(63, 'b') + "." + std::string(63, 'c') + "." +
                               std::string(58, 'd') + ".com";
  REQUIRE(too_long.size() == 254);
  for (const std::string& bad : std::vector<std::string>{"contoso", "-contoso.com", "contoso-.com", "contoso..com", "contoso.com.", ".contoso.com",
                                "1.2.3.4", "con_toso.com", "\"con toso.com\"", "bücher.de", label64 + ".com", too_long,
                                "9c5d131d-b1c3-4fc4-9e3f-c6557947d55", "\"contoso.com \""}) {
    CAPTURE(bad);
    const auto message = error_of("version: 1\npartners:\n  - displayName: x\n    tenant: " + bad + "\n");
    CHECK(message.starts_with("f.yaml:4: key 'tenant': \""));
    CHECK(message.ends_with(" is neither a tenant ID (a GUID) nor a domain name such as contoso.com"));
  }
  // Long values are cut in messages.
  CHECK(error_of(yaml_entry("tenant: " + too_long + "\n")).find(std::string(61, 'a') + "\"…") != std::string::npos);
}

TEST_CASE("apply file: the entry's line is its tenant key's") {
  const auto doc = parse("version: 1\npartners:\n  - displayName: x\n    userSync: allow\n\n    tenant: contoso.com\n");
  CHECK(doc.partners.at(0).line == 6);
}

TEST_CASE("apply file: text that is not YAML or JSON") {
  CHECK(error_of("version: 1\npartners:\n  - tenant: a: b\n") ==
        "f.yaml:3: not valid YAML or JSON: illegal map value (column 14)");
  CHECK(error_of("version: 1\npartners: [\n  {tenant: contoso.com}\n") ==
        "f.yaml:4: not valid YAML or JSON: end of sequence flow not found (column 1)");  // at the end
  // JSON errors name their line too.
  CHECK(error_of("{\n  \"version\": 1,\n  \"partners\": [\n    {\"tenant\": \"contoso.com\"}\n    {\"tenant\": \"x.com\"}\n  ]\n}\n")
            .starts_with("f.yaml:5: not valid YAML or JSON: "));
  CHECK(error_of("{\n  \"version\": 1,\n  \"partners\": [\n    {\"tenant\": \"contoso.com\", }\n  ]\n") ==
        "f.yaml:6: not valid YAML or JSON: end of map flow not found (column 1)");
  CHECK(error_of("version: 1\npartners:\n  - tenant: \"x\\qy\"\n").starts_with("f.yaml:3: not valid YAML or JSON: "));
}

TEST_CASE("apply file: encodings and hostile nesting") {
  CHECK(parse("\xEF\xBB\xBFversion: 1\npartners: []\n").partners.empty());  // a UTF-8 BOM is fine
  CHECK(error_of("\xFF\xFEv\0e\0r\0"sv) == "f.yaml:1: the file is UTF-16; save it as UTF-8");
  CHECK(error_of("version: 1\npartners:\n  - tenant: con\0toso.com\n"sv) ==
        "f.yaml:3: the file holds a NUL byte; it must be UTF-8 text");
  CHECK(error_of(yaml_entry("tenant: contoso.com\n    displayName: caf\xE9\n")) ==
        "f.yaml:4: key 'displayName': the value is not valid UTF-8");
  CHECK(error_of(yaml_entry("tenant: contoso.com\n    displayName: \"\xC3\x28\"\n")) ==
        "f.yaml:4: key 'displayName': the value is not valid UTF-8");
  CHECK(error_of(yaml_entry("tenant: \"contoso.com\xFF\"\n")) == "f.yaml:3: key 'tenant': the value is not valid UTF-8");
  CHECK(error_of(yaml_entry("tenant: contoso.com\n    externalCloudAppId: \xFF\n")) ==
        "f.yaml:4: key 'externalCloudAppId': the value is not valid UTF-8");
  // yaml-cpp guards its own recursion; the error names the line, and nothing overflows the stack.
  const std::string deep = "version: 1\npartners:\n  - tenant: contoso.com\n    displayName: " + std::string(100000, '[');
  CHECK(error_of(deep).starts_with("f.yaml:4: nested too deeply ("));
  const std::string deep_maps = "version: 1\npartners: " + std::string(50000, '{');
  CHECK(error_of(deep_maps).starts_with("f.yaml:2: nested too deeply ("));
  // Moderate nesting parses, and is then the wrong type.
  CHECK(error_of(yaml_entry("tenant: contoso.com\n    displayName: " + std::string(40, '[') + std::string(40, ']') + "\n")) ==
        "f.yaml:4: key 'displayName': must be a string or null, not a sequence");
}

TEST_CASE("apply file: JSON's surrogate-pair escapes (Python's json.dumps) are read") {
  const auto doc = parse(R"({"version": 1, "partners": [{"tenant": "contoso.com",
    "displayName": "\ud83d\ude00 Fabrikam \u00e9 \\ud83d\\ude00 \"\ud83d\ude00\""}]})");
  CHECK(doc.partners.at(0).desired.display_name.value == "\xF0\x9F\x98\x80 Fabrikam \xC3\xA9 \\ud83d\\ude00 \"\xF0\x9F\x98\x80\"");
  CHECK(doc.partners.at(0).line == 1);
  // In YAML a plain scalar's backslash is literal: nothing is rewritten there.
  CHECK(parse(yaml_entry("tenant: contoso.com\n    displayName: a\\ud83d\\ude00\n")).partners.at(0).desired.display_name.value ==
        "a\\ud83d\\ude00");
  // A lone surrogate stays an error, with its line.
  CHECK(error_of("{\"version\": 1,\n \"partners\": [{\"tenant\": \"contoso.com\", \"displayName\": \"\\ud83d x\"}]}")
            .starts_with("f.yaml:2: not valid YAML or JSON: invalid unicode"));
}

TEST_CASE("apply file: the top level") {
  CHECK(error_of("") == "f.yaml:1: the file holds no document; expected a mapping with 'version: 1' and 'partners'");
  CHECK(error_of("# only a comment\n\n") ==
        "f.yaml:1: the file holds no document; expected a mapping with 'version: 1' and 'partners'");
  CHECK(error_of("\n- version: 1\n") ==
        "f.yaml:2: the top level must be a mapping with the keys version and partners, not a sequence");
  CHECK(error_of("[1, 2]") == "f.yaml:1: the top level must be a mapping with the keys version and partners, not a sequence");
  CHECK(error_of("\"version\"") ==
        "f.yaml:1: the top level must be a mapping with the keys version and partners, not \"version\"");
  CHECK(error_of("---\n~\n").starts_with("f.yaml:"));
  CHECK(error_of("---\n~\n").ends_with("the top level must be a mapping with the keys version and partners, not null"));
  CHECK(error_of("version: 1\npartners: []\n---\nversion: 1\npartners: []\n") ==
        "f.yaml:4: the file holds 2 documents; put every partner in one");
  CHECK(error_of("{\"version\": 1, \"partners\": []}\n{\"version\": 1, \"partners\": []}\n") ==
        "f.yaml:2: the file holds 2 documents; put every partner in one");
}

TEST_CASE("apply file: unknown keys") {
  CHECK(error_of("version: 1\npartners: []\nprune: true\n") ==
        "f.yaml:3: key 'prune': unknown in the top level (known: version, partners)");
  CHECK(error_of("version: 1\nPartners: []\n") ==
        "f.yaml:2: key 'Partners': unknown in the top level (known: version, partners); did you mean 'partners'?");
  CHECK(error_of(yaml_entry("tenant: contoso.com\n    usersync: allow\n")) ==
        "f.yaml:4: key 'usersync': unknown in a partner entry (known: tenant, displayName, userSync, groupSync, "
        "externalCloudAppId, state); did you mean 'userSync'?");
  CHECK(error_of(yaml_entry("tenantId: contoso.com\n")).ends_with("; the file calls it 'tenant'"));
  CHECK(error_of(yaml_entry("tenant: contoso.com\n    userSyncInbound: {isSyncAllowed: true}\n"))
            .starts_with("f.yaml:4: key 'userSyncInbound': unknown in a partner entry"));
  CHECK(error_of(yaml_entry("tenant: contoso.com\n    externalCloudAuthorizedApplicationId: x\n"))
            .ends_with("; the file calls it 'externalCloudAppId'"));
  CHECK(error_of("{\"version\": 1, \"partners\": [\n{\"tenant\": \"contoso.com\",\n \"deletedDateTime\": null}]}")
            .starts_with("f.yaml:3: key 'deletedDateTime': unknown in a partner entry"));
  // Keys are names: not null, not collections; control characters are escaped in the message.
  CHECK(error_of("version: 1\npartners: []\n~: 1\n") == "f.yaml:3: a key in the top level is null; keys are names");
  CHECK(error_of("version: 1\npartners: []\n? [a]\n: 1\n") == "f.yaml:3: a key in the top level is a sequence; keys are names");
  const auto escaped = error_of("version: 1\npartners: []\n\"\\e[2J\": 1\n");
  CHECK(escaped.starts_with("f.yaml:3: key '\\x1b[2J': unknown"));
  CHECK(escaped.find('\x1b') == std::string::npos);
}

TEST_CASE("apply file: version") {
  CHECK(error_of("partners: []\n") == "f.yaml:1: key 'version': missing; the file starts with 'version: 1'");
  CHECK(error_of("\n\npartners: []\n") == "f.yaml:3: key 'version': missing; the file starts with 'version: 1'");
  CHECK(error_of("partners: []\nversion: 2\n") ==
        "f.yaml:2: key 'version': unsupported version \"2\"; this xtsync reads version 1 only");
  CHECK(error_of("version: 1.0\npartners: []\n").starts_with("f.yaml:1: key 'version': unsupported version \"1.0\""));
  CHECK(error_of("version: \"1\"\npartners: []\n") == "f.yaml:1: key 'version': must be the number 1, not the string \"1\"");
  CHECK(error_of("{\"version\": \"1\", \"partners\": []}") ==
        "f.yaml:1: key 'version': must be the number 1, not the string \"1\"");
  CHECK(error_of("version:\npartners: []\n") == "f.yaml:1: key 'version': must be 1, not null");
  CHECK(error_of("version: [1]\npartners: []\n") == "f.yaml:1: key 'version': must be 1, not a sequence");
  CHECK(error_of("version: 1\nversion: 1\npartners: []\n") ==
        "f.yaml:2: key 'version': given twice in the top level (lines 1 and 2)");
}

TEST_CASE("apply file: partners") {
  CHECK(error_of("version: 1\n") ==
        "f.yaml:1: key 'partners': missing; list the partners under it ('partners: []' for none)");
  CHECK(error_of("version: 1\npartners:\n") ==
        "f.yaml:2: key 'partners': must be a sequence of partner entries, not null");
  CHECK(error_of("version: 1\npartners:\n  tenant: contoso.com\n") ==
        "f.yaml:2: key 'partners': must be a sequence of partner entries, not a mapping");
  CHECK(error_of("{\"version\": 1,\n \"partners\": \"contoso.com\"}") ==
        "f.yaml:2: key 'partners': must be a sequence of partner entries, not \"contoso.com\"");
  CHECK(error_of("version: 1\npartners:\n  - tenant: contoso.com\n  - fabrikam.com\n") ==
        "f.yaml:4: key 'partners': entry 2 of partners must be a mapping with at least 'tenant', not \"fabrikam.com\"");
  CHECK(error_of("version: 1\npartners:\n  - [tenant, contoso.com]\n") ==
        "f.yaml:3: key 'partners': entry 1 of partners must be a mapping with at least 'tenant', not a sequence");
  CHECK(error_of("{\"version\": 1, \"partners\": [\n{\"tenant\": \"contoso.com\"},\n null]}") ==
        "f.yaml:3: key 'partners': entry 2 of partners must be a mapping with at least 'tenant', not null");
  CHECK(error_of("version: 1\npartners: []\npartners: []\n") ==
        "f.yaml:3: key 'partners': given twice in the top level (lines 2 and 3)");
}

TEST_CASE("apply file: wrong types and values") {
  auto entry_error = [](const std::string& line) { return error_of(yaml_entry("tenant: contoso.com\n    " + line + "\n")); };
  CHECK(entry_error("displayName: [1]") == "f.yaml:4: key 'displayName': must be a string or null, not a sequence");
  CHECK(entry_error("displayName: {a: 1}") == "f.yaml:4: key 'displayName': must be a string or null, not a mapping");
  CHECK(entry_error("displayName: !!int 5") ==
        "f.yaml:4: key 'displayName': the tag 'tag:yaml.org,2002:int' is not supported; write the value plain or quoted");
  CHECK(entry_error("displayName: !custom x") ==
        "f.yaml:4: key 'displayName': the tag '!custom' is not supported; write the value plain or quoted");
  CHECK(entry_error("externalCloudAppId: {}") ==
        "f.yaml:4: key 'externalCloudAppId': must be a string or null, not a mapping");
  CHECK(entry_error("userSync: maybe") == "f.yaml:4: key 'userSync': must be allow, block or null, not \"maybe\"");
  CHECK(entry_error("userSync: \"null\"") == "f.yaml:4: key 'userSync': must be allow, block or null, not \"null\"");
  CHECK(entry_error("userSync: true") == "f.yaml:4: key 'userSync': must be allow, block or null, not \"true\"");
  CHECK(entry_error("userSync: Allow") == "f.yaml:4: key 'userSync': must be allow, block or null, not \"Allow\"");
  CHECK(entry_error("userSync: [allow]") == "f.yaml:4: key 'userSync': must be allow, block or null, not a sequence");
  // groupSyncInbound.isSyncAllowed is not nullable.
  CHECK(entry_error("groupSync: null") == "f.yaml:4: key 'groupSync': must be allow or block, not null");
  CHECK(entry_error("groupSync:") == "f.yaml:4: key 'groupSync': must be allow or block, not null");
  CHECK(entry_error("groupSync: maybe") == "f.yaml:4: key 'groupSync': must be allow or block, not \"maybe\"");
  CHECK(entry_error("state: deleted") == "f.yaml:4: key 'state': must be present or absent, not \"deleted\"");
  CHECK(entry_error("state: null") == "f.yaml:4: key 'state': must be present or absent, not null");
  CHECK(entry_error("state: [absent]") == "f.yaml:4: key 'state': must be present or absent, not a sequence");
  // JSON: the line of the key, also when the value is on the next line.
  CHECK(error_of("{\"version\": 1, \"partners\": [{\"tenant\": \"contoso.com\",\n\n  \"userSync\":\n    true}]}") ==
        "f.yaml:3: key 'userSync': must be allow, block or null, not \"true\"");
  CHECK(error_of("{\"version\": 1, \"partners\": [{\"tenant\": \"contoso.com\",\n  \"displayName\": [1]}]}") ==
        "f.yaml:2: key 'displayName': must be a string or null, not a sequence");
}

TEST_CASE("apply file: state: absent takes no properties") {
  for (const std::string property :
       {"displayName: x", "userSync: allow", "groupSync: block", "externalCloudAppId: null", "displayName: null"}) {
    CAPTURE(property);
    const auto key = property.substr(0, property.find(':'));
    CHECK(error_of(yaml_entry("tenant: contoso.com\n    state: absent\n    " + property + "\n")) ==
          "f.yaml:5: key '" + key +
              "': means nothing with state: absent, which deletes the policy; remove the property or the state");
  }
  // The order in the entry does not matter.
  CHECK(error_of(yaml_entry("userSync: allow\n    tenant: contoso.com\n    state: absent\n"))
            .starts_with("f.yaml:3: key 'userSync': means nothing with state: absent"));
  CHECK(error_of("{\"version\": 1, \"partners\": [\n{\"tenant\": \"contoso.com\", \"state\": \"absent\",\n \"displayName\": \"x\"}]}")
            .starts_with("f.yaml:3: key 'displayName': means nothing with state: absent"));
}

TEST_CASE("apply file: beta-only keys under v1.0") {
  const auto v1 = ApiVersion::v1_0;
  CHECK(error_of(yaml_entry("tenant: contoso.com\n    groupSync: allow\n"), v1) ==
        "f.yaml:4: key 'groupSync': exists in Graph beta only; use --api-version beta or remove it");
  CHECK(error_of(yaml_entry("tenant: contoso.com\n    displayName: x\n    externalCloudAppId: null\n"), v1) ==
        "f.yaml:5: key 'externalCloudAppId': exists in Graph beta only; use --api-version beta or remove it");
  CHECK(error_of("{\"version\": 1, \"partners\": [\n{\"tenant\": \"contoso.com\",\n\"groupSync\": \"block\"}]}", v1)
            .starts_with("f.yaml:3: key 'groupSync': exists in Graph beta only"));
  const auto doc = parse(yaml_entry("tenant: contoso.com\n    displayName: x\n    userSync: block\n"), v1);
  CHECK(doc.partners.at(0).desired.user_sync_inbound == sync(false));
}

TEST_CASE("apply file: two entries for the same tenant") {
  CHECK(error_of("version: 1\npartners:\n  - tenant: " + k_guid + "\n  - tenant: contoso.com\n  - tenant: 9C5D131D-B1C3-4FC4-9E3F-C6557947D551\n") ==
        "f.yaml:5: key 'tenant': \"" + k_guid + "\" is listed twice (lines 3 and 5); give each partner one entry");
  CHECK(error_of("version: 1\npartners:\n  - tenant: Contoso.com\n    userSync: allow\n  - tenant: contoso.COM\n    state: absent\n") ==
        "f.yaml:5: key 'tenant': \"contoso.com\" is listed twice (lines 3 and 5); give each partner one entry");
  CHECK(error_of("{\"version\": 1, \"partners\": [\n{\"tenant\": \"contoso.com\"},\n\n{\"tenant\": \"CONTOSO.com\"}]}") ==
        "f.yaml:4: key 'tenant': \"contoso.com\" is listed twice (lines 2 and 4); give each partner one entry");
  // A YAML alias repeats an entry: the same tenant again.
  CHECK(error_of("version: 1\npartners:\n  - &p {tenant: contoso.com}\n  - *p\n").find("is listed twice") != std::string::npos);
}

TEST_CASE("apply file: a key given twice in one entry") {
  CHECK(error_of(yaml_entry("tenant: contoso.com\n    userSync: allow\n    userSync: block\n")) ==
        "f.yaml:5: key 'userSync': given twice in a partner entry (lines 4 and 5)");
  CHECK(error_of(yaml_entry("tenant: contoso.com\n    tenant: fabrikam.com\n")) ==
        "f.yaml:4: key 'tenant': given twice in a partner entry (lines 3 and 4)");
  CHECK(error_of("{\"version\": 1, \"partners\": [{\"tenant\": \"contoso.com\",\n \"displayName\": \"a\",\n \"displayName\": \"b\"}]}") ==
        "f.yaml:3: key 'displayName': given twice in a partner entry (lines 2 and 3)");
}

TEST_CASE("apply file: errors name the file label given") {
  try {
    parse_apply_file("version: 2\npartners: []\n", "/tmp/partners.json", ApiVersion::beta);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).starts_with("/tmp/partners.json:1: key 'version': "));
  }
  try {
    parse_apply_file("version: [", "-", ApiVersion::beta);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::usage);
    CHECK(std::string(e.what()).starts_with("-:1: not valid YAML or JSON: "));
  }
}

TEST_SUITE_END();
