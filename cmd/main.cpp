#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "context.hpp"
#include "http/beast/beast_transport.hpp"
#include "util/interrupt.hpp"

namespace {
extern "C" void on_signal(int) {
  xtsync::util::request_interrupt();
}
}  // namespace

int main(int argc, char** argv) {
  // Ctrl-C and SIGTERM raise a flag; the request or wait in progress stops and reports (exit 130).
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  xtsync::cli::Context ctx{
      .out = std::cout,
      .err = std::cerr,
      .in = std::cin,
      .getenv = [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        return value ? std::optional<std::string>(value) : std::nullopt;
      },
      .stdin_is_terminal = [] { return isatty(STDIN_FILENO) == 1; },
      .stderr_is_terminal = [] { return isatty(STDERR_FILENO) == 1; },
      .make_transport =
          [](const xtsync::http::TransportOptions& o) { return xtsync::http::make_beast_transport(o); },
      .sleep = nullptr,
      .stdout_is_terminal = [] { return isatty(STDOUT_FILENO) == 1; },
      .terminal_columns = []() -> std::optional<int> {
        struct winsize size {};
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
        return std::nullopt;
      },
  };
  return xtsync::cli::run(argc, argv, ctx);
}
