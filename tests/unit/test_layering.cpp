// The dependency rules of lib/ and cmd/, checked on the sources themselves: each folder may
// include only from the layers below it, Beast/Asio/libssl stay in the transport target, CLI11
// stays in cmd/, and lib/ never writes to std::cout.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

const fs::path k_root = XTSYNC_SOURCE_DIR;

// The project headers a source file includes ("…"), in order.
std::vector<std::string> quoted_includes(const std::string& text) {
  static const std::regex include_line(R"re(^\s*#\s*include\s*"([^"]+)")re", std::regex::multiline);
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), include_line); it != std::sregex_iterator();
       ++it) {
    out.push_back((*it)[1]);
  }
  return out;
}

bool includes_system(const std::string& text, const std::string& prefix) {
  const std::regex line("^\\s*#\\s*include\\s*<" + prefix, std::regex::multiline);
  return std::regex_search(text, line);
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::vector<fs::path> sources_under(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const auto ext = e.path().extension();
    if (e.is_regular_file() && (ext == ".cpp" || ext == ".hpp")) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The layer an include path belongs to: its first folder, with the HTTP value types (the base
// layer) and the Beast transport told apart from the rest of http/.
std::string layer_of_include(const std::string& include) {
  if (include == "error.hpp") return "util";
  if (include == "http/message.hpp" || include == "http/url.hpp") return "http_types";
  if (include.starts_with("http/beast/")) return "beast";
  const auto slash = include.find('/');
  return slash == std::string::npos ? include : include.substr(0, slash);
}

// The layer a file is in, by where it lives.
std::string layer_of_file(const fs::path& file) {
  const auto rel = fs::relative(file, k_root).generic_string();
  if (rel == "lib/error.hpp" || rel == "lib/error.cpp") return "util";
  if (rel.starts_with("lib/http/beast/")) return "beast";
  if (rel.starts_with("lib/http/message.") || rel.starts_with("lib/http/url.")) return "http_types";
  if (rel.starts_with("cmd/emulator/")) return "emulator_cmd";
  if (rel.starts_with("cmd/")) return "cmd";
  const auto rest = rel.substr(4);  // after "lib/"
  return rest.substr(0, rest.find('/'));
}

// What each layer may include; a layer may always include itself.
const std::map<std::string, std::set<std::string>> k_allowed = {
    {"util", {"util"}},
    {"http_types", {"util"}},
    {"http", {"util", "http_types"}},
    {"beast", {"util", "http_types", "http"}},
    {"auth", {"util", "http_types", "http"}},
    {"graph", {"util", "http_types", "http"}},
    {"render", {"util", "http_types", "graph"}},
    {"api", {"util", "http_types", "http", "auth", "graph"}},
    {"emulator", {"util", "http_types"}},
    {"cmd", {"util", "http_types", "http", "auth", "graph", "render", "api", "beast"}},
    {"emulator_cmd", {"util", "http_types", "emulator"}},
};

// Breaks of the rules in one file's text, as "file: what".
std::vector<std::string> violations(const std::string& layer, const std::string& name,
                                    const std::string& text) {
  std::vector<std::string> out;
  const auto& allowed = k_allowed.at(layer);
  for (const auto& include : quoted_includes(text)) {
    const auto target = layer_of_include(include);
    // cmd's own headers ("commands.hpp") and the emulator CLI's are local to their folder.
    if ((layer == "cmd" || layer == "emulator_cmd") && include.find('/') == std::string::npos) continue;
    if (target == layer || (layer == "emulator_cmd" && target == "emulator")) continue;
    if (!allowed.contains(target)) out.push_back(name + ": " + layer + " includes \"" + include + "\"");
  }
  // The composition root may name the transport's factory, nothing private of it.
  if (layer == "cmd") {
    for (const auto& include : quoted_includes(text)) {
      if (include.starts_with("http/beast/") && include != "http/beast/beast_transport.hpp") {
        out.push_back(name + ": cmd includes the transport's private \"" + include + "\"");
      }
    }
  }
  const bool network_layer = layer == "beast" || layer == "emulator" || layer == "emulator_cmd";
  for (const char* lib : {"boost/beast", "boost/asio", "openssl/ssl.h"}) {
    if (!network_layer && includes_system(text, lib))
      out.push_back(name + ": " + layer + " includes <" + lib + ">");
  }
  if (layer != "cmd" && layer != "emulator_cmd" && includes_system(text, "CLI/")) {
    out.push_back(name + ": " + layer + " includes CLI11");
  }
  if (layer != "cmd" && layer != "emulator_cmd" && text.find("std::cout") != std::string::npos) {
    out.push_back(name + ": " + layer + " writes to std::cout");
  }
  return out;
}

}  // namespace

TEST_SUITE_BEGIN("layering");

TEST_CASE("layering: the rule itself catches what it should") {
  CHECK(violations("graph", "x.cpp", "#include \"auth/credential.hpp\"\n").size() == 1);
  CHECK(violations("http", "x.cpp", "#include \"graph/policy.hpp\"\n").size() == 1);
  CHECK(violations("util", "x.cpp", "#include \"http/url.hpp\"\n").size() == 1);
  CHECK(violations("auth", "x.cpp", "#include <boost/asio/io_context.hpp>\n").size() == 1);
  CHECK(violations("graph", "x.cpp", "#include <CLI/CLI.hpp>\n").size() == 1);
  CHECK(violations("render", "x.cpp", "  std::cout << 1;\n").size() == 1);
  CHECK(violations("cmd", "x.cpp", "#include \"http/beast/wire.hpp\"\n").size() == 1);
  CHECK(violations("emulator", "x.cpp", "#include \"graph/policy.hpp\"\n").size() == 1);
  CHECK(violations("emulator", "x.cpp", "#include \"http/send.hpp\"\n").size() == 1);
  CHECK(violations("graph", "x.cpp", "#include \"http/send.hpp\"\n#include \"util/strings.hpp\"\n").empty());
  CHECK(violations("beast", "x.cpp", "#include <boost/beast/http.hpp>\n").empty());
}

TEST_CASE("layering: lib/ and cmd/ include only from the layers below them") {
  std::vector<std::string> found;
  std::size_t files = 0;
  for (const auto* dir : {"lib", "cmd"}) {
    for (const auto& file : sources_under(k_root / dir)) {
      const auto layer = layer_of_file(file);
      REQUIRE_MESSAGE(k_allowed.contains(layer),
                      "no layer rule for " << file.string() << " (" << layer << ")");
      const auto v = violations(layer, fs::relative(file, k_root).generic_string(), read(file));
      found.insert(found.end(), v.begin(), v.end());
      ++files;
    }
  }
  CHECK(files > 100);
  for (const auto& v : found) CHECK_MESSAGE(false, v);
}

TEST_SUITE_END();
