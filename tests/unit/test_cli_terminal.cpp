// Tables on a terminal: fitted to its width by display width, colored only where allowed;
// pipes get full values and no color. In process, with stdout declared a terminal.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <sstream>

#include "render/text_width.hpp"
#include "unit/cli_fixture.hpp"

using namespace xtsync;
using testing::Cli;

namespace {

const std::string kTenant = "9c5d131d-b1c3-4fc4-9e3f-c6557947d551";

std::string tenant_id(int n) { return fmt::format("00000000-0000-4000-8000-{:012}", n); }

// One page of `count` partners, each with a policy whose display name is long.
std::string partner_page(int count) {
  std::string items;
  for (int n = 1; n <= count; ++n) {
    items += fmt::format(R"({}{{"tenantId":"{}","identitySynchronization":{{"tenantId":"{}",)"
                         R"("displayName":"Partner number {} with a rather long display name",)"
                         R"("userSyncInbound":{{"isSyncAllowed":{}}}}}}})",
                         n == 1 ? "" : ",", tenant_id(n), tenant_id(n), n, n % 2 ? "true" : "false");
  }
  return R"({"value":[)" + items + "]}";
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Where (in columns) `needle` starts on the line.
std::size_t column_of(const std::string& line, const std::string& needle) {
  return render::display_width(line.substr(0, line.find(needle)));
}

}  // namespace

TEST_SUITE_BEGIN("cli");

TEST_CASE_FIXTURE(Cli, "terminal: a list of 50 partners fits 60 columns, giving way in the display name only") {
  stdout_columns = 60;
  env["NO_COLOR"] = "1";
  fake.respond(200, partner_page(50));
  REQUIRE(run({"list"}) == 0);
  const auto lines = lines_of(out);
  REQUIRE(lines.size() == 51);
  CHECK(lines[0] == "TENANT ID                             NAME    USER     GROUP");
  for (std::size_t i = 1; i < lines.size(); ++i) {
    INFO(lines[i]);
    CHECK(render::display_width(lines[i]) <= 60);
    CHECK(lines[i].starts_with(tenant_id(static_cast<int>(i)) + "  Partn…  "));  // the ID is never cut
    CHECK(lines[i].find("…") != std::string::npos);
    CHECK(column_of(lines[i], i % 2 ? "allowed" : "blocked") == column_of(lines[0], "USER"));
  }

  // The same list into a pipe: full values, however narrow the terminal would be.
  stdout_columns.reset();
  env["COLUMNS"] = "60";
  fake.respond(200, partner_page(50));
  REQUIRE(run({"list"}) == 0);
  CHECK(out.find("Partner number 50 with a rather long display name  blocked") != std::string::npos);
  CHECK(out.find("…") == std::string::npos);
}

TEST_CASE_FIXTURE(Cli, "terminal: COLUMNS wins over the terminal's size") {
  stdout_columns = 200;
  env["COLUMNS"] = "58";
  env["NO_COLOR"] = "1";
  fake.respond(200, partner_page(3));
  REQUIRE(run({"list"}) == 0);
  for (const auto& line : lines_of(out)) CHECK(render::display_width(line) <= 58);
}

TEST_CASE_FIXTURE(Cli, "terminal: CJK and emoji names are aligned by display width and cut to fit") {
  env["NO_COLOR"] = "1";
  const std::string page = R"({"value":[)"
                           R"({"tenantId":")" + tenant_id(1) + R"(","identitySynchronization":{"tenantId":")" +
                           tenant_id(1) + R"(","displayName":"東京パートナー株式会社の同期ポリシー","userSyncInbound":{"isSyncAllowed":true}}},)"
                           R"({"tenantId":")" + tenant_id(2) + R"(","identitySynchronization":{"tenantId":")" +
                           tenant_id(2) + R"(","displayName":"Café 🚀","userSyncInbound":{"isSyncAllowed":false}}}]})";
  SUBCASE("wide enough: aligned") {
    stdout_columns = 120;
    fake.respond(200, page);
    REQUIRE(run({"list"}) == 0);
    const auto lines = lines_of(out);
    REQUIRE(lines.size() == 3);
    CHECK(column_of(lines[1], "allowed") == column_of(lines[0], "USER SYNC"));
    CHECK(column_of(lines[2], "blocked") == column_of(lines[0], "USER SYNC"));
  }
  SUBCASE("60 columns: the wide name is cut on a character boundary, still aligned") {
    stdout_columns = 60;
    fake.respond(200, page);
    REQUIRE(run({"list"}) == 0);
    const auto lines = lines_of(out);
    REQUIRE(lines.size() == 3);
    CHECK(lines[1].find("東京") != std::string::npos);
    CHECK(lines[1].find("…") != std::string::npos);
    for (const auto& line : lines) CHECK(render::display_width(line) <= 60);
    CHECK(column_of(lines[1], "allowed") == column_of(lines[0], "USER"));
    CHECK(column_of(lines[2], "blocked") == column_of(lines[0], "USER"));
  }
}

TEST_CASE_FIXTURE(Cli, "terminal: a single policy is a key/value table that fits, escapes never cut in half") {
  stdout_columns = 60;
  env["NO_COLOR"] = "1";
  const std::string name = std::string(30, 'x') + "\\u001b[31m" + std::string(30, 'y');
  fake.respond(200, R"({"tenantId":")" + kTenant + R"(","displayName":")" + name +
                        R"(","externalCloudAuthorizedApplicationId":"0f6a2c84-5e1b-4d93-b7a0-3c8e9f2d1a65"})");
  REQUIRE(run({"get", kTenant}) == 0);
  const auto lines = lines_of(out);
  REQUIRE(lines.size() == 6);
  for (const auto& line : lines) CHECK(render::display_width(line) <= 60);
  CHECK(out.find('\x1b') == std::string::npos);
  CHECK(out.find("xx\\x1b[3") != std::string::npos);  // the escape survives whole
  CHECK(lines[1].ends_with(kTenant));
  CHECK(lines[5].ends_with("0f6a2c84-5e1b-4d93-b7a0-3c8e9f2d1a65"));

  // Narrower still, the cut lands where the escape is: it goes whole or not at all.
  for (int columns = 30; columns <= 60; ++columns) {
    stdout_columns = columns;
    fake.respond(200, R"({"tenantId":")" + kTenant + R"(","displayName":")" + name + R"("})");
    REQUIRE(run({"get", kTenant}) == 0);
    const auto row = lines_of(out).at(2);
    INFO(row);
    CHECK(lines_of(out).at(1).ends_with(kTenant));  // an ID is never cut, even where it cannot fit
    const auto slash = row.find('\\');
    if (slash != std::string::npos) CHECK(row.substr(slash, 4) == "\\x1b");
  }
}

TEST_CASE_FIXTURE(Cli, "terminal: color on a terminal only, never with NO_COLOR, --no-color or TERM=dumb") {
  const auto colored = [&](std::vector<std::string> args) {
    fake.respond(200, R"({"tenantId":")" + kTenant + R"(","displayName":"F","userSyncInbound":{"isSyncAllowed":true}})");
    REQUIRE(run(std::move(args)) == 0);
    return out.find("\x1b[") != std::string::npos;
  };
  stdout_columns = 100;
  CHECK(colored({"get", kTenant}));
  CHECK(out.find("\x1b[32mallowed\x1b[0m") != std::string::npos);
  CHECK(colored({"get", kTenant, "--no-color"}) == false);
  env["TERM"] = "dumb";
  CHECK(colored({"get", kTenant}) == false);
  env.erase("TERM");
  env["NO_COLOR"] = "1";
  CHECK(colored({"get", kTenant}) == false);
  env.erase("NO_COLOR");
  CHECK(colored({"get", kTenant, "-o", "tsv"}) == false);  // TSV and JSON are data, never colored
  CHECK(colored({"get", kTenant, "-o", "json"}) == false);
  stdout_columns.reset();
  CHECK(colored({"get", kTenant}) == false);
}

TEST_SUITE_END();
