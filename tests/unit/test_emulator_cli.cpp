// xtsync-emulator's run() in process: exit codes and messages, and a start-serve-stop cycle.
// Needs the xtsync_emulator_cli library linked into the unit tests; without it this file is empty.
#ifdef XTSYNC_EMULATOR_CLI
#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "emulator/run.hpp"
#include "http/beast/beast_transport.hpp"

namespace {

namespace cli = xtsync::emulator_cli;

struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

Outcome run_emulator(std::vector<const char*> args) {
  std::ostringstream out;
  std::ostringstream err;
  cli::EmulatorContext ctx{.out = out, .err = err, .stop_signals = {}, .on_listening = nullptr};
  args.insert(args.begin(), "xtsync-emulator");
  const int code = cli::run(static_cast<int>(args.size()), args.data(), ctx);
  return {code, out.str(), err.str()};
}

}  // namespace

TEST_SUITE_BEGIN("emulator");

TEST_CASE("emulator run(): bad arguments are usage errors (2) with a message") {
  const auto unknown = run_emulator({"--no-such-option"});
  CHECK(unknown.code == 2);
  CHECK(unknown.err.find("--no-such-option") != std::string::npos);

  const auto remote = run_emulator({"--host", "192.0.2.1"});
  CHECK(remote.code == 2);
  CHECK(remote.err.find("--host must be a loopback address") != std::string::npos);

  const auto partner = run_emulator({"--partner", "not-a-guid"});
  CHECK(partner.code == 2);
  CHECK(partner.err.find("--partner needs a tenant id") != std::string::npos);

  const auto version = run_emulator({"--version"});
  CHECK(version.code == 0);
  CHECK(version.out.find("xtsync-emulator ") == 0);
}

TEST_CASE("emulator run(): starts on port 0, answers, and returns 0 when stopped") {
  std::ostringstream out;
  std::ostringstream err;
  std::promise<std::pair<std::string, std::function<void()>>> listening;
  cli::EmulatorContext ctx{.out = out,
                           .err = err,
                           .stop_signals = {},
                           .on_listening = [&](const std::string& url, std::function<void()> stop) {
                             listening.set_value({url, std::move(stop)});
                           }};
  std::vector<const char*> args{"xtsync-emulator", "--port", "0", "--quiet"};
  std::future<int> code =
      std::async(std::launch::async, [&] { return cli::run(static_cast<int>(args.size()), args.data(), ctx); });

  auto started = listening.get_future();
  REQUIRE(started.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  auto [url, stop] = started.get();
  // Stops the server even when a check below throws, so the test fails instead of hanging.
  struct StopOnExit {
    std::function<void()>& stop;
    ~StopOnExit() { stop(); }
  } stop_on_exit{stop};
  CHECK(url.starts_with("http://127.0.0.1:"));

  xtsync::http::TransportOptions options;
  options.request_timeout = std::chrono::seconds(10);
  const auto transport = xtsync::http::make_beast_transport(options);
  const auto health = transport->send({"GET", url + "/_emulator/health", {}, {}});
  CHECK(health.status == 200);

  stop();  // again on exit: harmless once stopped
  REQUIRE(code.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK(code.get() == 0);
  CHECK(out.str() == url + "\n");  // the one stdout line: where to connect
}

TEST_SUITE_END();
#endif
