#include "util/path_search.hpp"

#include <sys/stat.h>
#include <unistd.h>

namespace xtsync::util {

std::optional<std::string> find_executable(const std::string& name, const std::string& path) {
  std::size_t start = 0;
  while (start < path.size()) {
    auto end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string candidate = path.substr(start, end - start);
    start = end + 1;
    if (candidate.empty() || candidate.front() != '/') continue;
    if (candidate.back() != '/') candidate += '/';
    candidate += name;
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return std::nullopt;
}

}  // namespace xtsync::util
