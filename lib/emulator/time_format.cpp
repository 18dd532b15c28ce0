#include "emulator/time_format.hpp"

#include <fmt/format.h>
#include <ctime>

namespace xtsync::emulator {

namespace {

std::tm utc_tm(Clock::time_point t) {
  const std::time_t secs = Clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return tm;
}

std::string format_tm(Clock::time_point t, const char* pattern) {
  const std::tm tm = utc_tm(t);
  char buf[64];
  const std::size_t n = std::strftime(buf, sizeof buf, pattern, &tm);
  return std::string(buf, n);
}

}  // namespace

std::string iso_utc_seconds(Clock::time_point t) {
  return format_tm(t, "%Y-%m-%dT%H:%M:%SZ");
}

std::string iso_utc_no_zone(Clock::time_point t) {
  return format_tm(t, "%Y-%m-%dT%H:%M:%S");
}

std::string iso_utc_millis(Clock::time_point t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
  return fmt::format("{}.{:03}Z", format_tm(t, "%Y-%m-%dT%H:%M:%S"), ms < 0 ? ms + 1000 : ms);
}

std::string http_date(Clock::time_point t) {
  // strftime's %a/%b follow the C locale, which is what HTTP requires; the process never changes it.
  return format_tm(t, "%a, %d %b %Y %H:%M:%S GMT");
}

}  // namespace xtsync::emulator
