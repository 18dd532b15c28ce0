// Graph's write limit as a token bucket: `capacity` writes at once, refilled evenly over `window`
// (--write-quota 100/5 is 100 writes in a burst, then 20 per second). Each batch item is a write.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

#include "emulator/time_format.hpp"

namespace xtsync::emulator {

class WriteQuota {
 public:
  WriteQuota(std::size_t capacity, std::chrono::milliseconds window);

  // Takes one write; when none is left, the whole seconds until one is (Graph's Retry-After).
  std::optional<std::chrono::seconds> take(Clock::time_point now);
  // Share of the bucket in use, 0 (full) to 1 (empty): the x-ms-throttle-limit-percentage value.
  double usage(Clock::time_point now);

  std::size_t capacity() const noexcept { return capacity_; }
  std::chrono::milliseconds window() const noexcept { return window_; }

 private:
  void refill(Clock::time_point now);

  std::size_t capacity_;
  std::chrono::milliseconds window_;
  double tokens_;
  std::optional<Clock::time_point> last_;
};

// "N/SECONDS" (e.g. "3000/150"); nullopt unless both are positive whole numbers.
std::optional<WriteQuota> parse_write_quota(std::string_view text);

}  // namespace xtsync::emulator
