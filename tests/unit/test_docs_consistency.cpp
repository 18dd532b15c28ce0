// The man page and the shell completions name every command and long option the CLI has.
// The lists come from the CLI's own --help output, so adding an option without documenting
// it fails here.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "support/source_file.hpp"
#include "context.hpp"

using namespace xtsync;

namespace {

// Runs the CLI in process with the given arguments and returns what it printed on stdout.
std::string help_text(std::vector<std::string> args) {
  args.insert(args.begin(), "xtsync");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  std::istringstream in;
  cli::Context ctx{
      .out = out,
      .err = err,
      .in = in,
      .getenv = [](const std::string&) -> std::optional<std::string> { return std::nullopt; },
      .stdin_is_terminal = [] { return false; },
      .stderr_is_terminal = [] { return false; },
      .make_transport = [](const http::TransportOptions&) -> std::unique_ptr<http::Transport> {
        return nullptr;
      },
      .sleep = [](std::chrono::milliseconds) {},
  };
  const int code = cli::run(static_cast<int>(argv.size()), argv.data(), ctx);
  INFO("stderr: " << err.str());
  REQUIRE(code == 0);
  return out.str();
}

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return std::string(s.substr(first, last - first + 1));
}

// The lines of one "Title:" section of CLI11's help, up to the next blank line.
std::vector<std::string> section(const std::string& help, const std::string& title) {
  std::vector<std::string> lines;
  std::istringstream in(help);
  std::string line;
  bool inside = false;
  while (std::getline(in, line)) {
    const std::string t = trim(line);
    if (!inside) {
      inside = t == title;
      continue;
    }
    if (t.empty()) break;
    lines.push_back(t);
  }
  return lines;
}

std::string first_word(const std::string& line) {
  return line.substr(0, line.find_first_of(" \t"));
}

// "-o, --output table|json|tsv   Output format…" declares --output: the names come before the
// gap that starts the description.
void collect_long_options(const std::string& help, std::set<std::string>& options) {
  for (const char* title : {"FLAGS", "INHERITED FLAGS", "GLOBAL FLAGS"}) {
    for (const auto& line : section(help, title)) {
      if (line.empty() || line.front() != '-') continue;
      std::istringstream names(line.substr(0, line.find("  ")));
      std::string name;
      while (names >> name) {
        if (name.back() == ',') name.pop_back();
        if (name.rfind("--", 0) == 0) options.insert(name);
      }
    }
  }
}

std::vector<std::string> subcommands(const std::string& help) {
  std::vector<std::string> names;
  for (const auto& line : section(help, "COMMANDS")) names.push_back(first_word(line));
  return names;
}

// roff writes "-" as "\-" and may put "\:", "\&" or "\%" inside words.
std::string unroff(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      const char next = text[i + 1];
      if (next == '-') {
        out += '-';
        ++i;
        continue;
      }
      if (next == ':' || next == '&' || next == '%') {
        ++i;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// `word` occurs in `text` as a whole token, not as part of a longer name.
bool contains_token(const std::string& text, const std::string& word) {
  for (auto pos = text.find(word); pos != std::string::npos; pos = text.find(word, pos + 1)) {
    const std::size_t end = pos + word.size();
    const bool starts = pos == 0 || !word_char(text[pos - 1]);
    const bool ends = end == text.size() || !word_char(text[end]);
    if (starts && ends) return true;
  }
  return false;
}

// fish names long options as "-l name"; everyone else writes "--name".
bool mentions_option(const std::string& text, const std::string& option, bool fish) {
  if (contains_token(text, option)) return true;
  return fish && contains_token(text, "-l " + option.substr(2));
}

struct DocFile {
  std::string path;
  bool roff;
  bool fish;
};

// Walks the command tree below `path` (e.g. {} or {"auth"}): every subcommand's name, and the
// long options of every level, nested subcommands such as `auth status` included.
void collect_commands(const std::vector<std::string>& path, std::vector<std::string>& commands,
                      std::set<std::string>& options) {
  std::vector<std::string> args = path;
  args.push_back("--help");
  const std::string help = help_text(args);
  collect_long_options(help, options);
  for (const auto& name : subcommands(help)) {
    std::vector<std::string> sub = path;
    sub.push_back(name);
    if (std::find(commands.begin(), commands.end(), name) == commands.end()) commands.push_back(name);
    collect_commands(sub, commands, options);
  }
}

}  // namespace

TEST_CASE("docs: man page and shell completions name every command and long option") {
  std::vector<std::string> commands;
  std::set<std::string> options;
  collect_commands({}, commands, options);

  // Guard against a parser that silently finds nothing (e.g. CLI11 changes its help layout).
  REQUIRE(commands.size() >= 6);
  for (const char* known :
       {"get", "set", "delete", "restore", "list-deleted", "purge", "login", "logout", "auth", "status"}) {
    CHECK_MESSAGE(std::find(commands.begin(), commands.end(), known) != commands.end(), known);
  }
  for (const char* known :
       {"--output", "--api-version", "--access-token-file", "--deleted", "--user-sync", "--yes", "--auth",
        "--tenant", "--client-id", "--client-secret-file", "--certificate-algorithm", "--all"}) {
    CHECK_MESSAGE(options.count(known) == 1, known);
  }

  const std::vector<DocFile> files = {
      {"man/xtsync.1", true, false},
      {"completions/xtsync.bash", false, false},
      {"completions/_xtsync", false, false},
      {"completions/xtsync.fish", false, true},
  };
  for (const auto& file : files) {
    std::string text = xtsync::testing::read_source_file(file.path);
    if (file.roff) text = unroff(text);
    std::string missing;
    for (const auto& command : commands) {
      if (!contains_token(text, command)) missing += " " + command;
    }
    for (const auto& option : options) {
      if (!mentions_option(text, option, file.fish)) missing += " " + option;
    }
    CHECK_MESSAGE(missing.empty(), file.path << " does not mention:" << missing);
  }
}

TEST_CASE("docs: token matching used by the consistency check") {
  CHECK(contains_token("x --user-sync y", "--user-sync"));
  CHECK_FALSE(contains_token("x --user-sync-extra y", "--user-sync"));
  CHECK_FALSE(contains_token("x ---output y", "--output"));
  CHECK_FALSE(contains_token("x list-deleted y", "deleted"));
  CHECK(contains_token("'(-o --output)'{-o+,--output=}", "--output"));
  CHECK(contains_token("commands='get set'", "set"));
  CHECK_FALSE(contains_token("reset", "set"));
  CHECK(mentions_option("complete -c xtsync -l dry-run", "--dry-run", true));
  CHECK_FALSE(mentions_option("complete -c xtsync -l dry-run", "--dry-run", false));
  CHECK(unroff(".B \\-\\-list\\:\\-deleted") == ".B --list-deleted");
}

// The version is set in CMakeLists.txt (XTSYNC_VERSION comes from there); the documents that
// must name it are checked against it, so a release cannot ship with one of them behind.
TEST_CASE("docs: man pages, CHANGELOG.md and the Debian changelog name the CMake project version") {
  const std::string version = XTSYNC_VERSION;
  CHECK(testing::read_source_file("man/xtsync.1").find("\"xtsync " + version + "\" \"User Commands\"") != std::string::npos);
  CHECK(testing::read_source_file("man/xtsync-emulator.1").find("\"xtsync " + version + "\" \"User Commands\"") !=
        std::string::npos);
  CHECK(testing::read_source_file("CHANGELOG.md").find("\n## [" + version + "] - ") != std::string::npos);
  CHECK(testing::read_source_file("scripts/debian/changelog").starts_with("xtsync (" + version + ") "));
  CHECK(testing::read_source_file("CMakeLists.txt").find("project(xtsync VERSION " + version + " ") != std::string::npos);
}

// doctest_discover_tests hands each test name to ctest through a CMake list, which splits at ';':
// a name with one becomes a --test-case filter that matches nothing, and the test "passes"
// without running. So no test name may hold one.
TEST_CASE("tests: no test name holds a semicolon, which would hide the test from ctest") {
  namespace fs = std::filesystem;
  int names = 0;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(XTSYNC_SOURCE_DIR) / "tests")) {
    if (entry.path().extension() != ".cpp") continue;
    const std::string relative = fs::relative(entry.path(), XTSYNC_SOURCE_DIR).string();
    const std::string text = testing::read_source_file(relative);
    for (std::size_t at = text.find("TEST_CASE"); at != std::string::npos; at = text.find("TEST_CASE", at + 1)) {
      const bool declared = (at == 0 || text[at - 1] == '\n') &&
                            (text.compare(at, 10, "TEST_CASE(") == 0 || text.compare(at, 18, "TEST_CASE_FIXTURE(") == 0);
      if (!declared) continue;  // a mention, not a test
      const auto open = text.find('"', at);
      const auto close = open == std::string::npos ? open : text.find('"', open + 1);
      if (close == std::string::npos) continue;
      ++names;
      const std::string name = text.substr(open + 1, close - open - 1);
      CHECK_MESSAGE(name.find(';') == std::string::npos, relative << ": \"" << name << "\"");
    }
  }
  CHECK(names > 300);
}
