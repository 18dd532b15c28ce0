#include "support/emulator.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "http/beast/beast_transport.hpp"

extern char** environ;

namespace xtsync::testing {

namespace json = boost::json;

Emulator::Emulator(std::vector<std::string> args, std::string ca_file) {
  int out_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
  log_path_ = (std::filesystem::temp_directory_path() /
               ("xtsync-emulator-" + std::to_string(getpid()) + "-" +
                std::to_string(reinterpret_cast<std::uintptr_t>(this)) + ".log"))
                  .string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);

  std::vector<std::string> argv_strings{XTSYNC_EMULATOR_BIN, "--port", "0"};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int rc = posix_spawn(&pid_, XTSYNC_EMULATOR_BIN, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  if (rc != 0) {
    close(out_pipe[0]);
    throw std::system_error(rc, std::generic_category(), "cannot start xtsync-emulator");
  }

  // The first stdout line is the base URL, printed once the emulator listens.
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{out_pipe[0], POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char buf[256];
    const ssize_t n = read(out_pipe[0], buf, sizeof buf);
    if (n <= 0) break;
    line.append(buf, static_cast<std::size_t>(n));
  }
  close(out_pipe[0]);
  if (line.find('\n') == std::string::npos) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    throw std::runtime_error("xtsync-emulator did not print its URL; see " + log_path_);
  }
  url_ = line.substr(0, line.find('\n'));

  http::TransportOptions options;
  options.ca_file = std::move(ca_file);
  options.request_timeout = std::chrono::seconds(10);
  transport_ = http::make_beast_transport(options);
}

Emulator::~Emulator() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  std::error_code ec;
  std::filesystem::remove(log_path_, ec);
}

http::Response Emulator::control(const std::string& method, const std::string& path,
                                 const std::string& body) {
  http::Request request{method, url_ + "/_emulator" + path, {}, body};
  if (!body.empty()) request.headers.push_back({"Content-Type", "application/json"});
  return transport_->send(request);
}

http::Response Emulator::graph(const std::string& method, const std::string& target, const std::string& body) {
  http::Request request{method, url_ + target, {{"Authorization", "Bearer " + std::string(kEmulatorToken)}}, body};
  if (!body.empty()) request.headers.push_back({"Content-Type", "application/json"});
  return transport_->send(request);
}

json::object Emulator::stats() {
  return json::parse(control("GET", "/stats").body).as_object();
}

namespace {
void expect_status(const http::Response& r, std::initializer_list<int> ok, const std::string& what) {
  for (int s : ok) {
    if (r.status == s) return;
  }
  throw std::runtime_error("emulator control " + what + " answered " + std::to_string(r.status) + ": " +
                           r.body);
}
}  // namespace

void Emulator::seed(const json::object& seed) {
  expect_status(control("POST", "/seed", json::serialize(seed)), {200, 201, 204}, "seed");
}

void Emulator::fault(const json::object& fault) {
  expect_status(control("POST", "/faults", json::serialize(fault)), {200, 201, 204}, "faults");
}

json::object Emulator::state() {
  auto r = control("GET", "/state");
  expect_status(r, {200}, "state");
  return json::parse(r.body).as_object();
}

json::array Emulator::requests() {
  auto r = control("GET", "/requests");
  expect_status(r, {200}, "requests");
  return json::parse(r.body).as_array();
}

void Emulator::clear_requests() {
  expect_status(control("DELETE", "/requests"), {200, 204}, "clear requests");
}

}  // namespace xtsync::testing
