// The emulator is an independent oracle of Graph behaviour: its code may include the base layer
// (util/, error.hpp, http/message.hpp, http/url.hpp) and itself, never the client's model,
// authentication, rendering or request path.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace fs = std::filesystem;

bool is_allowed(std::string_view header) {
  for (const std::string_view banned : {"graph/", "auth/", "render/", "api/"}) {
    if (header.starts_with(banned)) return false;
  }
  if (header.starts_with("http/")) return header == "http/message.hpp" || header == "http/url.hpp";
  return true;
}

// The quoted #include names in `source` that the emulator must not use.
std::vector<std::string> forbidden_includes(std::string_view source) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < source.size()) {
    const auto end = std::min(source.find('\n', start), source.size());
    std::string_view line = source.substr(start, end - start);
    start = end + 1;
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] != '#') continue;
    line.remove_prefix(first + 1);
    line.remove_prefix(std::min(line.find_first_not_of(" \t"), line.size()));
    if (!line.starts_with("include")) continue;
    const auto open = line.find('"');
    const auto close = open == std::string_view::npos ? open : line.find('"', open + 1);
    if (close == std::string_view::npos) continue;
    const std::string_view header = line.substr(open + 1, close - open - 1);
    if (!is_allowed(header)) out.emplace_back(header);
  }
  return out;
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_SUITE_BEGIN("emulator");

TEST_CASE("emulator layering: the include check tells allowed from forbidden headers") {
  const std::string sample =
      "#include \"emulator/state.hpp\"\n"
      "#include \"util/strings.hpp\"\n"
      "#include \"error.hpp\"\n"
      "#include \"http/message.hpp\"\n"
      "#include \"http/url.hpp\"\n"
      "#include <boost/json.hpp>\n"
      "#include \"graph/policy.hpp\"\n"
      "  #  include \"auth/token_cache.hpp\"\n"
      "#include \"render/table.hpp\"\n"
      "#include \"api/get.hpp\"\n"
      "#include \"http/transport.hpp\"\n"
      "// #include \"graph/in_a_comment.hpp\" is not an include\n";
  CHECK(forbidden_includes(sample) == std::vector<std::string>{"graph/policy.hpp", "auth/token_cache.hpp",
                                                               "render/table.hpp", "api/get.hpp",
                                                               "http/transport.hpp"});
}

TEST_CASE("emulator layering: lib/emulator and cmd/emulator include only the base layer and themselves") {
  const fs::path root(XTSYNC_SOURCE_DIR);
  std::size_t files = 0;
  for (const char* folder : {"lib/emulator", "cmd/emulator"}) {
    for (const auto& entry : fs::recursive_directory_iterator(root / folder)) {
      if (!entry.is_regular_file()) continue;
      ++files;
      const auto bad = forbidden_includes(read_all(entry.path()));
      INFO(entry.path().lexically_relative(root).string());
      CHECK(bad == std::vector<std::string>{});
    }
  }
  CHECK(files > 20);  // the folders were found and read
}

TEST_SUITE_END();
