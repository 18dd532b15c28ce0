#include "auth/azure_cli.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fmt/format.h>
#include <iomanip>
#include <optional>
#include <sstream>
#include <vector>

#include "auth/jwt.hpp"
#include "auth/token_endpoint.hpp"
#include "error.hpp"
#include "util/strings.hpp"

extern char** environ;

namespace xtsync::auth {

namespace json = boost::json;

namespace {

struct Fd {
  int fd = -1;
  Fd() = default;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

struct Captured {
  int exit_code = -1;  // 128+N when killed by signal N
  bool timed_out = false;
  std::string out;
  std::string err;
};

// The first executable `name` in the colon-separated `path`. Empty and relative entries are
// skipped: sh would search the current directory, and a planted ./az must not get a token.
std::optional<std::string> find_on_path(const std::string& name, const std::string& path) {
  std::size_t start = 0;
  while (start < path.size()) {
    auto end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string candidate = path.substr(start, end - start);
    start = end + 1;
    if (candidate.empty() || candidate.front() != '/') continue;
    candidate += '/';
    candidate += name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

Error spawn_failure(const char* what, int error) {
  return Error(ErrorKind::auth, fmt::format("cannot run the Azure CLI: {}: {}", what, std::strerror(error)));
}

// Runs the program with stdout and stderr captured; kills it when the deadline passes.
Captured run(const std::string& program, const std::vector<std::string>& args, const std::string& path_value,
             std::chrono::seconds timeout) {
  int out_pipe[2];
  int err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) throw spawn_failure("pipe", errno);
  Fd out_read(out_pipe[0]), out_write(out_pipe[1]);
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) throw spawn_failure("pipe", errno);
  Fd err_read(err_pipe[0]), err_write(err_pipe[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_write.fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_write.fd, 2);
  // Not the caller's directory: az must not pick up files from wherever xtsync was started.
  posix_spawn_file_actions_addchdir_np(&actions, "/");

  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  // The caller's environment, with PATH as the context sees it (az's own script needs it).
  std::string path_entry = "PATH=";
  path_entry += path_value;
  std::vector<char*> envp;
  for (char** e = environ; e && *e; ++e) {
    if (std::string_view(*e).starts_with("PATH=")) continue;
    envp.push_back(*e);
  }
  envp.push_back(path_entry.data());
  envp.push_back(nullptr);

  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw spawn_failure(program.c_str(), spawned);
  out_write.reset();
  err_write.reset();

  Captured result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  pollfd fds[2] = {{out_read.fd, POLLIN, 0}, {err_read.fd, POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_count = 2;
  while (open_count > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      break;
    }
    const int ready = ::poll(fds, 2, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buffer[4096];
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;  // closed; the Fd owner closes it
        --open_count;
      }
    }
  }
  if (result.timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.exit_code = 128 + WTERMSIG(status);
  return result;
}

// A short single-paragraph excerpt of az's stderr for a message.
std::string stderr_excerpt(std::string_view err) {
  std::string text = redact_azure_cli_output(util::trim(err));
  for (auto& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (text.size() > 400) {
    text.resize(400);
    text += "…";
  }
  return text;
}

std::optional<std::chrono::system_clock::time_point> parse_local_time(const std::string& text) {
  std::tm tm{};
  std::istringstream in(text);
  in >> std::get_time(&tm, "%Y-%m-%d %H:%M:%S");  // the fraction after the seconds is ignored
  if (in.fail()) return std::nullopt;
  tm.tm_isdst = -1;
  const std::time_t t = std::mktime(&tm);
  if (t == static_cast<std::time_t>(-1)) return std::nullopt;
  return std::chrono::system_clock::from_time_t(t);
}

}  // namespace

std::string redact_azure_cli_output(std::string_view text) {
  std::string out(text);
  constexpr std::string_view key = "\"accessToken\"";
  for (auto at = out.find(key); at != std::string::npos; at = out.find(key, at + key.size())) {
    auto i = at + key.size();
    while (i < out.size() && (out[i] == ' ' || out[i] == '\t' || out[i] == ':')) ++i;
    if (i >= out.size() || out[i] != '"') continue;
    auto end = i + 1;
    while (end < out.size() && out[end] != '"') end += out[end] == '\\' ? 2 : 1;
    out.replace(i + 1, std::min(end, out.size()) - i - 1, "[redacted]");
  }
  return redact_jwts(out);
}

AccessToken parse_azure_cli_token(std::string_view output) {
  boost::system::error_code ec;
  const json::value parsed = json::parse(output, ec);
  const json::object* body = !ec && parsed.is_object() ? &parsed.get_object() : nullptr;
  const json::value* token = body ? body->if_contains("accessToken") : nullptr;
  if (!token || !token->is_string() || token->get_string().empty()) {
    throw Error(ErrorKind::auth, "the Azure CLI's answer has no accessToken (is 'az' too old?)");
  }
  AccessToken out{std::string(token->get_string()), {}};
  if (const auto epoch = seconds_field(*body, "expires_on")) {
    out.expires_on = std::chrono::system_clock::time_point(std::chrono::seconds(*epoch));
    return out;
  }
  const json::value* local = body->if_contains("expiresOn");
  const auto when = local && local->is_string() ? parse_local_time(std::string(local->get_string())) : std::nullopt;
  if (!when) throw Error(ErrorKind::auth, "the Azure CLI's answer has no readable expiry (expires_on or expiresOn)");
  out.expires_on = *when;
  return out;
}

AzureCliCredential::AzureCliCredential(AuthContext ctx, std::chrono::seconds timeout)
    : ctx_(std::move(ctx)), timeout_(timeout) {}

AccessToken AzureCliCredential::get_token() {
  const std::string path = ctx_.getenv("PATH").value_or("");
  const auto az = find_on_path("az", path);
  if (!az) {
    Error error(ErrorKind::auth, "the Azure CLI ('az') was not found on PATH");
    error.hint = "install the Azure CLI and run 'az login', or choose another --auth method";
    throw error;
  }
  std::vector<std::string> args = {"account", "get-access-token", "--resource-type", "ms-graph", "--output", "json"};
  if (!ctx_.tenant.empty()) {
    args.emplace_back("--tenant");
    args.push_back(ctx_.tenant);
  }
  const Captured result = run(*az, args, path, timeout_);
  if (result.timed_out) {
    throw Error(ErrorKind::auth, fmt::format("the Azure CLI did not answer within {} s", timeout_.count()));
  }
  if (result.exit_code != 0) {
    if (result.err.find("az login") != std::string::npos || result.err.find("az account set") != std::string::npos) {
      Error error(ErrorKind::auth, "the Azure CLI is not signed in: run 'az login'");
      if (!ctx_.tenant.empty()) error.hint = fmt::format("sign in to the tenant: az login --tenant {}", ctx_.tenant);
      throw error;
    }
    const std::string detail = stderr_excerpt(result.err);
    throw Error(ErrorKind::auth, fmt::format("the Azure CLI failed (exit code {}){}{}", result.exit_code,
                                             detail.empty() ? "" : ": ", detail));
  }
  return parse_azure_cli_token(result.out);
}

}  // namespace xtsync::auth
