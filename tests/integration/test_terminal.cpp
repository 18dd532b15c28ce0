// The real binary on a real pseudo-terminal: it sees a terminal, asks its size, fits tables to
// it and colors them, unless told not to; the same command into a pipe prints full values.
#include <sstream>

#include "harness.hpp"
#include "render/text_width.hpp"
#include "support/pty.hpp"

using namespace xtsync::testing;
namespace json = boost::json;

TEST_SUITE_BEGIN("integration");

namespace {

json::object fifty_partners() {
  json::array partners, policies;
  for (int n = 1; n <= 50; ++n) {
    partners.push_back(json::object{{"tenantId", fmt_tenant(n)}});
    const std::string name = n == 7 ? "東京パートナー株式会社の同期ポリシー" : "Partner " + std::to_string(n) + " of the northern region";
    policies.push_back(json::object{{"tenantId", fmt_tenant(n)},
                                    {"displayName", name},
                                    {"userSyncInbound", json::object{{"isSyncAllowed", n % 2 == 0}}}});
  }
  return json::object{{"partners", std::move(partners)}, {"policies", std::move(policies)}};
}

ProcessResult in_terminal(Emulator& emu, std::vector<std::string> args, unsigned short columns,
                          std::map<std::string, std::string> env = {}) {
  TerminalOptions options;
  options.args = std::move(args);
  options.columns = columns;
  options.env = std::move(env);
  options.env.try_emplace("XTSYNC_GRAPH_URL", emu.url());
  options.env.try_emplace("XTSYNC_ACCESS_TOKEN", kEmulatorToken);
  options.env.try_emplace("XDG_STATE_HOME", "/nonexistent/xtsync-test-state");
  return run_in_terminal(XTSYNC_BIN, options);
}

std::string without_color(const std::string& text) {
  std::string plain;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '[') {
      i = text.find('m', i);
      if (i == std::string::npos) break;
      continue;
    }
    plain += text[i];
  }
  return plain;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("terminal: list of 50 partners on a 60-column terminal fits, colored, and a pipe gets it all") {
  Emulator emu;
  emu.seed(fifty_partners());
  auto r = in_terminal(emu, {"list"}, 60);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("\x1b[1m") != std::string::npos);  // bold header
  CHECK(r.out.find("\x1b[32mallowed\x1b[0m") != std::string::npos);
  const auto lines = lines_of(without_color(r.out));
  REQUIRE(lines.size() == 51);
  for (const auto& line : lines) {
    INFO(line);
    CHECK(xtsync::render::display_width(line) <= 60);
  }
  for (int n = 1; n <= 50; ++n) CHECK(r.out.find(fmt_tenant(n) + "  ") != std::string::npos);
  CHECK(r.out.find("…") != std::string::npos);

  // Wider terminal, wider names; TERM=dumb and NO_COLOR turn color off.
  r = in_terminal(emu, {"list"}, 120, {{"TERM", "dumb"}});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find('\x1b') == std::string::npos);
  CHECK(r.out.find("Partner 50 of the northern region") != std::string::npos);
  CHECK(r.out.find("東京パートナー株式会社の同期ポリシー") != std::string::npos);
  r = in_terminal(emu, {"list"}, 120, {{"NO_COLOR", "1"}});
  CHECK(r.out.find('\x1b') == std::string::npos);

  // A pipe: full values and no color, whatever COLUMNS says.
  ProcessOptions narrow;
  narrow.env["COLUMNS"] = "60";
  r = run_cli(emu, {"list"}, narrow);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find('\x1b') == std::string::npos);
  CHECK(r.out.find("…") == std::string::npos);
  CHECK(r.out.find("東京パートナー株式会社の同期ポリシー") != std::string::npos);
}

TEST_CASE("terminal: a single policy with a CJK name on 60 columns") {
  Emulator emu;
  emu.seed(fifty_partners());
  const auto r = in_terminal(emu, {"get", fmt_tenant(7)}, 60, {{"NO_COLOR", "1"}});
  REQUIRE(r.exit_code == 0);
  const auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 6);
  for (const auto& line : lines) CHECK(xtsync::render::display_width(line) <= 60);
  CHECK(lines[1].ends_with(fmt_tenant(7)));
  CHECK(lines[2].find("東京パートナー") != std::string::npos);
}

TEST_SUITE_END();
