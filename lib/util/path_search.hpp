// Finding a program on PATH the way a careful shell does for a security-sensitive lookup.
#pragma once

#include <optional>
#include <string>

namespace xtsync::util {

// The first executable `name` in the colon-separated `path`. Empty and relative entries are
// skipped: a shell would search the current directory for them, and a planted ./az must not be
// handed a token request.
std::optional<std::string> find_executable(const std::string& name, const std::string& path);

}  // namespace xtsync::util
