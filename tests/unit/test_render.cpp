#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "error.hpp"
#include "render/json_pretty.hpp"
#include "render/policy_view.hpp"
#include "render/table.hpp"

using namespace xtsync;
using namespace xtsync::render;
namespace json = boost::json;

namespace {
graph::Policy policy_from(const char* text) { return json::value_to<graph::Policy>(json::parse(text)); }
}  // namespace

TEST_SUITE_BEGIN("render");

TEST_CASE("render::table aligns by display width and trims") {
  CHECK(table({"ID", "NAME"}, {{"1", "Ada"}, {"22", "Bo"}}) == "ID  NAME\n1   Ada\n22  Bo\n");
  CHECK(table({"A", "B"}, {{"Zoë", "x"}, {"abcd", ""}}) == "A     B\nZoë   x\nabcd\n");
  CHECK(display_width("Zoë") == 3);
  CHECK(table({"A"}, {}) == "A\n");
}

TEST_CASE("render::tsv keeps one object per line") {
  // Tabs and line breaks inside a cell are escaped (they were spaces: a lossy, silent change).
  CHECK(tsv({{"a", "b\tc", ""}, {"x\ny", "z", "w"}}) == "a\tb\\tc\t\nx\\ny\tz\tw\n");
}

TEST_CASE("render::pretty_json") {
  CHECK(pretty_json(json::parse(R"({"a":1,"b":[true,null],"c":{},"d":[]})")) ==
        "{\n  \"a\": 1,\n  \"b\": [\n    true,\n    null\n  ],\n  \"c\": {},\n  \"d\": []\n}\n");
  CHECK(pretty_json(json::array{}) == "[]\n");
}

TEST_CASE("render::policy in every format") {
  const auto p = policy_from(R"({"tenantId":"9c5d131d-b1c3-4fc4-9e3f-c6557947d551","displayName":"Fabrikam",
                                 "userSyncInbound":{"isSyncAllowed":true},"groupSyncInbound":{"isSyncAllowed":false}})");
  // One object: a key/value table of every property (externalCloudAuthorizedApplicationId too).
  CHECK(policy(p, Format::table, false) ==
        "PROPERTY               VALUE\n"
        "TENANT ID              9c5d131d-b1c3-4fc4-9e3f-c6557947d551\n"
        "DISPLAY NAME           Fabrikam\n"
        "USER SYNC              allowed\n"
        "GROUP SYNC             blocked\n"
        "EXTERNAL CLOUD APP ID  -\n");
  CHECK(policy(p, Format::tsv, false) == "9c5d131d-b1c3-4fc4-9e3f-c6557947d551\tFabrikam\ttrue\tfalse\n");
  CHECK(policy(p, Format::json, false) ==
        "{\n"
        "  \"tenantId\": \"9c5d131d-b1c3-4fc4-9e3f-c6557947d551\",\n"
        "  \"displayName\": \"Fabrikam\",\n"
        "  \"userSyncInbound\": {\n    \"isSyncAllowed\": true\n  },\n"
        "  \"groupSyncInbound\": {\n    \"isSyncAllowed\": false\n  }\n"
        "}\n");
}

TEST_CASE("render::policies of deleted items") {
  const std::vector<graph::Policy> items = {
      policy_from(R"({"tenantId":"01d0e717-bc90-46ba-94a9-71b4a811fddb","displayName":null,
                      "deletedDateTime":"2025-06-18T23:11:01Z","userSyncInbound":null})"),
      policy_from(R"({"tenantId":"809cbbd2-2325-4c17-bd51-f8f098db19c8","displayName":"Contoso",
                      "deletedDateTime":"2025-06-18T22:53:31Z","userSyncInbound":{"isSyncAllowed":false}})")};
  CHECK(policies(items, Format::table, true) ==
        "TENANT ID                             DISPLAY NAME  USER SYNC  GROUP SYNC  DELETED\n"
        "01d0e717-bc90-46ba-94a9-71b4a811fddb  -             -          -           2025-06-18T23:11:01Z\n"
        "809cbbd2-2325-4c17-bd51-f8f098db19c8  Contoso       blocked    -           2025-06-18T22:53:31Z\n");
  CHECK(policies(items, Format::tsv, true) ==
        "01d0e717-bc90-46ba-94a9-71b4a811fddb\t\t\t\t2025-06-18T23:11:01Z\n"
        "809cbbd2-2325-4c17-bd51-f8f098db19c8\tContoso\tfalse\t\t2025-06-18T22:53:31Z\n");
  CHECK(policies({}, Format::json, true) == "[]\n");
  CHECK(policies({}, Format::tsv, true).empty());
  CHECK(policies({}, Format::table, true) == "TENANT ID  DISPLAY NAME  USER SYNC  GROUP SYNC  DELETED\n");
}

TEST_CASE("render::parse_format") {
  CHECK(parse_format("json") == Format::json);
  CHECK_THROWS_AS(parse_format("yaml"), Error);
}

TEST_SUITE_END();
