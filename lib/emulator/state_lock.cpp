#include "emulator/state_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace xtsync::emulator {

std::filesystem::path StateLock::lock_path(const std::filesystem::path& state_file) {
  std::filesystem::path out = state_file;
  out += ".lock";
  return out;
}

StateLock::StateLock(const std::filesystem::path& state_file) {
  const std::string path = lock_path(state_file).string();
  // The lock file is left in place: unlinking it would let a third emulator lock a new inode.
  fd_.reset(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd_.valid()) {
    throw std::runtime_error(fmt::format("cannot open the lock file {} of --state {}: {}", path,
                                         state_file.string(), std::strerror(errno)));
  }
  while (::flock(fd_.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) continue;
    if (errno == EWOULDBLOCK) {
      throw std::runtime_error(fmt::format(
          "another xtsync-emulator is using the state file {} (it holds {}); two emulators sharing one "
          "state file would overwrite each other's changes",
          state_file.string(), path));
    }
    throw std::runtime_error(fmt::format("cannot lock {}: {}", path, std::strerror(errno)));
  }
}

}  // namespace xtsync::emulator
