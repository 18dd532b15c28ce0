// The whole CLI in process: argv → run() → (stdout, stderr, exit code), with a scripted
// transport standing in for Graph and the login hosts.
#pragma once

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "context.hpp"
#include "support/fake_transport.hpp"

namespace xtsync::testing {

// Hands the CLI a transport that forwards to the fixture's fake (the CLI owns what it gets).
class Forward final : public http::Transport {
 public:
  explicit Forward(FakeTransport& fake) : fake_(fake) {}
  http::Response send(const http::Request& r) override { return fake_.send(r); }
  void reset_connection() override { fake_.reset_connection(); }

 private:
  FakeTransport& fake_;
};

struct Cli {
  FakeTransport fake;
  std::map<std::string, std::string> env{{"XTSYNC_ACCESS_TOKEN", "tok-cli"}};
  std::string stdin_text;
  bool tty = false;
  std::string out, err;

  int run(std::vector<std::string> args) {
    args.insert(args.begin(), "xtsync");
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    std::ostringstream o, e;
    std::istringstream in(stdin_text);
    cli::Context ctx{
        .out = o,
        .err = e,
        .in = in,
        .getenv = [this](const std::string& n) -> std::optional<std::string> {
          auto it = env.find(n);
          return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
        },
        .stdin_is_terminal = [this] { return tty; },
        .stderr_is_terminal = [] { return false; },
        .make_transport = [this](const http::TransportOptions&) { return std::make_unique<Forward>(fake); },
        .sleep = [](std::chrono::milliseconds) {},
    };
    const int code = cli::run(static_cast<int>(argv.size()), argv.data(), ctx);
    out = o.str();
    err = e.str();
    return code;
  }
};

}  // namespace xtsync::testing
