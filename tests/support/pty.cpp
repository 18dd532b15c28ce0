#include "support/pty.hpp"

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <stdexcept>

namespace xtsync::testing {

ProcessResult run_in_terminal(const std::string& program, const TerminalOptions& options) {
  std::map<std::string, std::string> env{
      {"PATH", "/usr/local/bin:/usr/bin:/bin"}, {"HOME", "/tmp"}, {"TERM", "xterm"}};
  for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"}) {
    if (const char* v = std::getenv(name)) env[name] = v;
  }
  for (const auto& [k, v] : options.env) env[k] = v;
  // Everything the child needs is built before fork: only exec happens after it.
  std::vector<std::string> env_strings, arg_strings{program};
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  arg_strings.insert(arg_strings.end(), options.args.begin(), options.args.end());
  std::vector<char*> envp, argv;
  for (auto& s : env_strings) envp.push_back(s.data());
  for (auto& s : arg_strings) argv.push_back(s.data());
  envp.push_back(nullptr);
  argv.push_back(nullptr);

  winsize size{};
  size.ws_col = options.columns;
  size.ws_row = options.rows;
  int master = -1;
  const pid_t pid = forkpty(&master, nullptr, nullptr, &size);
  if (pid < 0) throw std::runtime_error("forkpty failed");
  if (pid == 0) {
    execve(program.c_str(), argv.data(), envp.data());
    _exit(127);
  }

  std::string shown;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.timeout_seconds);
  char buffer[4096];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      kill(pid, SIGKILL);
      break;
    }
    pollfd p{master, POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    const ssize_t n = read(master, buffer, sizeof buffer);
    if (n > 0) {
      shown.append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;  // EIO: the child's side of the terminal is closed
    }
  }
  close(master);
  int status = 0;
  waitpid(pid, &status, 0);

  ProcessResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  for (std::size_t i = 0; i < shown.size(); ++i) {
    if (shown[i] == '\r' && i + 1 < shown.size() && shown[i + 1] == '\n') continue;
    result.out += shown[i];
  }
  return result;
}

}  // namespace xtsync::testing
