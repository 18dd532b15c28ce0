#include "util/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

#include "util/fd.hpp"

namespace xtsync::util {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

void check(int rc, const char* what) {
  if (rc != 0) throw std::system_error(rc > 0 ? rc : errno, std::generic_category(), what);
}

struct Pipe {
  Fd read;
  Fd write;
  Pipe() {
    int fds[2];
    check(::pipe2(fds, O_CLOEXEC), "pipe");
    read.reset(fds[0]);
    write.reset(fds[1]);
  }
};

// After the child has exited, a grandchild may still hold its stdout open; read what is
// already there for a moment, then stop waiting for an EOF that may never come.
constexpr milliseconds k_drain_after_exit{200};

}  // namespace

SpawnResult spawn_and_capture(const std::string& program, const SpawnOptions& options) {
  Pipe in, out, err;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (options.stdin_data) {
    posix_spawn_file_actions_adddup2(&actions, in.read.get(), 0);
  } else {
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  }
  posix_spawn_file_actions_adddup2(&actions, out.write.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, err.write.get(), 2);
  if (!options.working_directory.empty()) {
    posix_spawn_file_actions_addchdir_np(&actions, options.working_directory.c_str());
  }
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  if (options.own_process_group) {
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
  }

  std::vector<std::string> argv_strings{program};
  argv_strings.insert(argv_strings.end(), options.args.begin(), options.args.end());
  std::vector<char*> argv;
  for (auto& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings = options.env;
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, program.c_str(), &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawned != 0) throw std::system_error(spawned, std::generic_category(), "cannot start " + program);
  in.read.reset();
  out.write.reset();
  err.write.reset();

  const auto kill_child = [&](int sig) {
    if (options.own_process_group) {
      ::kill(-pid, sig);
    } else {
      ::kill(pid, sig);
    }
  };

  SpawnResult result;
  std::size_t written = 0;
  if (options.stdin_data && options.stdin_data->empty()) in.write.reset();
  if (in.write.valid()) ::fcntl(in.write.get(), F_SETFL, O_NONBLOCK);
  // A child that exits without reading its stdin must not kill us with SIGPIPE.
  struct sigaction ignore {
  }, previous{};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  ::sigaction(SIGPIPE, &ignore, &previous);

  const auto start = Clock::now();
  const auto deadline = options.timeout.count() > 0 ? start + options.timeout : Clock::time_point::max();
  bool signalled = !options.signal_after;
  bool killed = false;
  int status = 0;
  bool exited = false;
  Clock::time_point exited_at{};
  std::string* sinks[2] = {&result.out, &result.err};
  Fd* streams[2] = {&out.read, &err.read};
  while (streams[0]->valid() || streams[1]->valid()) {
    std::vector<pollfd> fds;
    for (Fd* s : streams) {
      if (s->valid()) fds.push_back({s->get(), POLLIN, 0});
    }
    if (in.write.valid()) fds.push_back({in.write.get(), POLLOUT, 0});
    // Wake in time for a scheduled signal: tests time Ctrl-C to the millisecond.
    int wait_ms = 50;
    if (!signalled) {
      const auto until_signal = std::chrono::duration_cast<milliseconds>(start + options.signal_after->first - Clock::now());
      wait_ms = static_cast<int>(std::clamp<long long>(until_signal.count(), 0, 50));
    }
    const int ready = ::poll(fds.data(), fds.size(), wait_ms);
    if (ready < 0 && errno != EINTR) break;

    const auto now = Clock::now();
    if (!signalled && now - start >= options.signal_after->first) {
      ::kill(pid, options.signal_after->second);
      signalled = true;
    }
    if (!killed && now >= deadline) {
      result.timed_out = true;
      kill_child(SIGKILL);
      killed = true;
    }
    if (!killed && options.should_stop && options.should_stop()) {
      result.stopped = true;
      kill_child(SIGKILL);
      killed = true;
    }
    if (!exited && ::waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      exited_at = now;
    }
    if (exited && now - exited_at > k_drain_after_exit) break;

    for (const auto& p : fds) {
      if (p.revents == 0) continue;
      if (p.fd == in.write.get()) {
        const auto& data = *options.stdin_data;
        const ssize_t w = ::write(p.fd, data.data() + written, data.size() - written);
        if (w > 0) written += static_cast<std::size_t>(w);
        if ((w < 0 && errno != EAGAIN && errno != EINTR) || written == data.size()) in.write.reset();
        continue;
      }
      const int which = p.fd == out.read.get() ? 0 : 1;
      char buffer[65536];
      const ssize_t n = ::read(p.fd, buffer, sizeof buffer);
      if (n > 0) {
        std::string& sink = *sinks[which];
        std::size_t take = static_cast<std::size_t>(n);
        if (options.max_output > 0 && sink.size() + take > options.max_output) {
          take = options.max_output - sink.size();
          result.truncated = true;
        }
        sink.append(buffer, take);
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        streams[which]->reset();
      }
    }
  }
  ::sigaction(SIGPIPE, &previous, nullptr);
  if (!exited) {
    // Both streams closed (or the drain ended) while the child still runs: wait for it, but
    // not past the deadline or a stop request.
    while (::waitpid(pid, &status, WNOHANG) == 0) {
      const auto now = Clock::now();
      if (!killed && (now >= deadline || (options.should_stop && options.should_stop()))) {
        (now >= deadline ? result.timed_out : result.stopped) = true;
        kill_child(SIGKILL);
        killed = true;
      }
      ::usleep(10000);
    }
  }
  // Whatever the child started must not outlive a kill, nor linger holding its output open.
  const bool lingering = streams[0]->valid() || streams[1]->valid();
  if (options.own_process_group && (killed || lingering)) ::kill(-pid, SIGKILL);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.exit_code = 128 + WTERMSIG(status);
  return result;
}

}  // namespace xtsync::util
