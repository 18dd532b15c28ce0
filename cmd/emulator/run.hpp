// What xtsync-emulator needs from the process, and its one entry point. main() fills the context
// with the real streams and signals; a test fills it with string streams and a stop callback.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace xtsync::emulator_cli {

struct EmulatorContext {
  std::ostream& out;  // the base URL, one line, once the server listens
  std::ostream& err;  // messages and the request log
  // Signals that stop the server (main: SIGINT and SIGTERM; tests: none).
  std::vector<int> stop_signals;
  // Called once the server listens, on run()'s thread just before it serves (so it must return
  // promptly), with the base URL and a thread-safe function that makes run() return 0 (and does nothing
  // once run() has returned).
  std::function<void(const std::string& base_url, std::function<void()> stop)> on_listening;
};

// Parses argv, serves until stopped and returns the process exit code (0, 1 failure, 2 usage).
// Never calls exit().
int run(int argc, const char* const* argv, EmulatorContext& ctx);

}  // namespace xtsync::emulator_cli
