// xtsync-emulator: serves the emulated Graph endpoints on loopback until SIGINT/SIGTERM.
#include <csignal>
#include <iostream>

#include "run.hpp"

int main(int argc, char** argv) {
  xtsync::emulator_cli::EmulatorContext ctx{
      .out = std::cout,
      .err = std::cerr,
      .stop_signals = {SIGINT, SIGTERM},
      .on_listening = nullptr,
  };
  return xtsync::emulator_cli::run(argc, argv, ctx);
}
