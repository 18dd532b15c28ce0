// Runs a program with its standard streams captured: the Azure CLI credential and the test
// harness both use it. No shell is involved; the caller gives the program's path.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace xtsync::util {

struct SpawnOptions {
  std::vector<std::string> args;  // without argv[0]
  std::vector<std::string> env;   // the whole environment, "NAME=value" each
  // Written to the child's stdin, which is then closed; without it stdin is /dev/null.
  std::optional<std::string> stdin_data;
  std::string working_directory;         // empty: this process's
  std::chrono::milliseconds timeout{0};  // 0: none; past it the child is killed
  // Each stream keeps at most this many bytes; the rest is read and dropped (truncated=true).
  std::size_t max_output = 0;  // 0: no limit
  // The child leads its own process group, and every kill reaches the whole group, so a
  // script's own children do not outlive it.
  bool own_process_group = false;
  // Polled about every 50 ms; true kills the child (Ctrl-C in the parent).
  std::function<bool()> should_stop;
  // Sends this signal to the child once, after that long (tests of interrupt handling).
  std::optional<std::pair<std::chrono::milliseconds, int>> signal_after;
};

struct SpawnResult {
  int exit_code = -1;  // 128+N when killed by signal N
  bool timed_out = false;
  bool stopped = false;    // should_stop said so
  bool truncated = false;  // an output stream went past max_output
  std::string out;
  std::string err;
};

// Throws std::system_error when the program cannot be started.
SpawnResult spawn_and_capture(const std::string& program, const SpawnOptions& options);

}  // namespace xtsync::util
