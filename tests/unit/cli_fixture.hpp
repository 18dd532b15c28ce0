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
// `after_send`, when set, runs once each response is in (e.g. to play a Ctrl-C that lands
// while Graph answers).
class Forward final : public http::Transport {
 public:
  Forward(FakeTransport& fake, const std::function<void(const http::Request&)>& after_send)
      : fake_(fake), after_send_(after_send) {}
  http::Response send(const http::Request& r) override {
    auto response = fake_.send(r);
    if (after_send_) after_send_(r);
    return response;
  }
  void reset_connection() override { fake_.reset_connection(); }

 private:
  FakeTransport& fake_;
  const std::function<void(const http::Request&)>& after_send_;
};

struct Cli {
  FakeTransport fake;
  std::map<std::string, std::string> env{{"XTSYNC_ACCESS_TOKEN", "tok-cli"}};
  std::string stdin_text;
  bool tty = false;
  // stdout on a terminal of this many columns (nullopt: a pipe).
  std::optional<int> stdout_columns;
  std::function<void(const http::Request&)> after_send;
  // Where stdout goes; a test may swap in a stream that fails (a full disk).
  std::ostream* out_stream = nullptr;
  std::string out, err;

  int run(std::vector<std::string> args) {
    args.insert(args.begin(), "xtsync");
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    std::ostringstream o, e;
    std::ostream& out_target = out_stream ? *out_stream : o;
    std::istringstream in(stdin_text);
    cli::Context ctx{
        .out = out_target,
        .err = e,
        .in = in,
        .getenv = [this](const std::string& n) -> std::optional<std::string> {
          auto it = env.find(n);
          return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
        },
        .stdin_is_terminal = [this] { return tty; },
        .stderr_is_terminal = [] { return false; },

        .make_transport = [this](const http::TransportOptions&) { return std::make_unique<Forward>(fake, after_send); },
        .sleep = [](std::chrono::milliseconds) {},
        .stdout_is_terminal = [this] { return stdout_columns.has_value(); },
        .terminal_columns = [this] { return stdout_columns; },
    };
    const int code = cli::run(static_cast<int>(argv.size()), argv.data(), ctx);
    out = o.str();
    err = e.str();
    return code;
  }
};

}  // namespace xtsync::testing
