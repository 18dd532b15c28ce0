#include "support/process.hpp"

#include "util/process.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <chrono>
#include <filesystem>
#include <map>
#include <fstream>
#include <system_error>

namespace xtsync::testing {

ProcessResult run_process(const std::string& program, const ProcessOptions& options) {
  util::SpawnOptions spawn;
  spawn.args = options.args;
  std::map<std::string, std::string> env{{"PATH", "/usr/local/bin:/usr/bin:/bin"}, {"HOME", "/tmp"}};
  // Sanitizer settings must reach children so an ASan build reports in them too.
  for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"}) {
    if (const char* v = std::getenv(name)) env[name] = v;
  }
  for (const auto& [k, v] : options.env) env[k] = v;
  for (const auto& [k, v] : env) spawn.env.push_back(k + "=" + v);
  spawn.stdin_data = options.stdin_data;
  spawn.working_directory = options.working_directory;
  spawn.timeout = std::chrono::seconds(options.timeout_seconds);
  if (options.interrupt_after_ms > 0) {
    spawn.signal_after = {std::chrono::milliseconds(options.interrupt_after_ms), options.interrupt_signal};
  }
  const auto r = util::spawn_and_capture(program, spawn);
  return {r.exit_code, r.out, r.err};
}

std::string find_program(const std::string& name) {
  for (const char* dir : {"/usr/local/bin", "/usr/bin", "/bin"}) {
    const std::string path = std::string(dir) + "/" + name;
    if (::access(path.c_str(), X_OK) == 0) return path;
  }
  return {};
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "xtsync-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::system_error(errno, std::generic_category(), "mkdtemp");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& name, const std::string& content, unsigned mode) const {
  const std::string path = file(name);
  {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f << content;
  }
  chmod(path.c_str(), mode);
  return path;
}

}  // namespace xtsync::testing
