#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "context.hpp"

int main(int argc, char** argv) {
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
      .make_transport = [](const xtsync::http::BeastTransportOptions& o) { return xtsync::http::make_beast_transport(o); },
      .sleep = nullptr,
  };
  return xtsync::cli::run(argc, argv, ctx);
}
