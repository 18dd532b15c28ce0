// A file of the source tree (man pages, completions), read whole for tests that compare it.
#pragma once

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>

namespace xtsync::testing {

inline std::string read_source_file(const std::string& relative) {
  std::string path = XTSYNC_SOURCE_DIR;
  path.append("/").append(relative);
  std::ifstream file(path, std::ios::binary);
  INFO("reading " << path);
  REQUIRE(file.good());
  return {std::istreambuf_iterator<char>(file), {}};
}

}  // namespace xtsync::testing
