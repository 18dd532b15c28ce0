#include "emulator/write_quota.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>

namespace xtsync::emulator {

WriteQuota::WriteQuota(std::size_t capacity, std::chrono::milliseconds window)
    : capacity_(std::max<std::size_t>(capacity, 1)),
      window_(std::max(window, std::chrono::milliseconds(1))),
      tokens_(static_cast<double>(capacity_)) {}

void WriteQuota::refill(Clock::time_point now) {
  if (last_ && now > *last_) {
    const double elapsed = std::chrono::duration<double, std::milli>(now - *last_).count();
    const double per_ms = static_cast<double>(capacity_) / static_cast<double>(window_.count());
    tokens_ = std::min(static_cast<double>(capacity_), tokens_ + elapsed * per_ms);
  }
  if (!last_ || now > *last_) last_ = now;
}

std::optional<std::chrono::seconds> WriteQuota::take(Clock::time_point now) {
  refill(now);
  if (tokens_ >= 1.0) {
    tokens_ -= 1.0;
    return std::nullopt;
  }
  const double per_second = static_cast<double>(capacity_) * 1000.0 / static_cast<double>(window_.count());
  const double wait = (1.0 - tokens_) / per_second;
  return std::chrono::seconds(std::max<long long>(1, static_cast<long long>(std::ceil(wait))));
}

double WriteQuota::usage(Clock::time_point now) {
  refill(now);
  return 1.0 - tokens_ / static_cast<double>(capacity_);
}

std::optional<WriteQuota> parse_write_quota(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto number = [](std::string_view part) -> std::optional<unsigned long> {
    unsigned long value = 0;
    const auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || ec != std::errc{} || ptr != part.data() + part.size() || value == 0) return std::nullopt;
    return value;
  };
  const auto writes = number(text.substr(0, slash));
  const auto seconds = number(text.substr(slash + 1));
  if (!writes || !seconds || *writes > 10'000'000 || *seconds > 86'400) return std::nullopt;
  return WriteQuota(*writes, std::chrono::seconds(*seconds));
}

}  // namespace xtsync::emulator
