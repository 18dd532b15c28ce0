// What the CLI needs from the process: streams, environment, terminal checks and a way to
// make the network transport. main() fills it with the real things; tests with fakes.
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "http/transport.hpp"

namespace xtsync::cli {

struct Context {
  std::ostream& out;
  std::ostream& err;
  std::istream& in;
  std::function<std::optional<std::string>(const std::string&)> getenv;
  std::function<bool()> stdin_is_terminal;
  std::function<bool()> stderr_is_terminal;
  std::function<std::unique_ptr<http::Transport>(const http::TransportOptions&)> make_transport;
  // How retries wait; tests replace it so they need not sleep.
  std::function<void(std::chrono::milliseconds)> sleep;
  // Tables fit a terminal and may use color only when stdout is one; its width in columns.
  std::function<bool()> stdout_is_terminal = [] { return false; };
  std::function<std::optional<int>()> terminal_columns = [] { return std::optional<int>(); };
};

// Parses argv, runs one command and returns the process exit code. Never calls exit().
int run(int argc, const char* const* argv, Context& ctx);

}  // namespace xtsync::cli
