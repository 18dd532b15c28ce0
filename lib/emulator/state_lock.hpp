// One emulator per state file: an exclusive advisory lock (flock) on a sibling "<state>.lock",
// held for the emulator's lifetime. The state file itself cannot carry the lock: every save
// renames a new file over it.
#pragma once

#include <filesystem>
#include <string>

#include "util/fd.hpp"

namespace xtsync::emulator {

class StateLock {
 public:
  // Takes the lock without waiting; throws std::runtime_error naming the state file when another
  // process (or another Emulator in this one) holds it, or when the lock file cannot be opened.
  explicit StateLock(const std::filesystem::path& state_file);

  static std::filesystem::path lock_path(const std::filesystem::path& state_file);

 private:
  util::Fd fd_;  // the lock lives as long as this open file description
};

}  // namespace xtsync::emulator
