// UTC timestamps in the handful of formats Graph and HTTP use.
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace xtsync::emulator {

using Clock = std::chrono::system_clock;
// Injected wherever "now" matters, so tests can control deletedDateTime.
using ClockFn = std::function<Clock::time_point()>;

// 2025-06-18T23:11:01Z: deletedDateTime.
std::string iso_utc_seconds(Clock::time_point t);
// 2025-06-18T23:11:01: innerError.date (Graph sends it without a zone suffix).
std::string iso_utc_no_zone(Clock::time_point t);
// 2025-06-18T23:11:01.123Z: request log and server log lines.
std::string iso_utc_millis(Clock::time_point t);
// Wed, 18 Jun 2025 23:11:01 GMT: the Date header (RFC 9110 IMF-fixdate).
std::string http_date(Clock::time_point t);

}  // namespace xtsync::emulator
