// Runs a program on a real pseudo-terminal of a given size, as a user's terminal would: isatty()
// is true and TIOCGWINSZ reports the size. Stdout and stderr both go to the terminal.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "support/process.hpp"

namespace xtsync::testing {

struct TerminalOptions {
  std::vector<std::string> args;           // without argv[0]
  std::map<std::string, std::string> env;  // added to a minimal environment (PATH, HOME, TERM=xterm)
  unsigned short columns = 80;
  unsigned short rows = 24;
  int timeout_seconds = 30;
};

// `out` holds everything the terminal showed ("\r\n" turned back into "\n"); `err` is empty.
ProcessResult run_in_terminal(const std::string& program, const TerminalOptions& options);

}  // namespace xtsync::testing
