#include "graph/retry_policy.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>
#include <iomanip>
#include <locale>
#include <sstream>
#include <string>

#include "graph/graph_error.hpp"
#include "util/strings.hpp"

namespace xtsync::graph {

using std::chrono::milliseconds;

bool is_retryable(const http::Response& response) {
  switch (response.status) {
    case 429:
    case 503:
    case 504: return true;
    case 409: return parse_error_body(response.body).code == "Directory_ConcurrencyViolation";
    default: return false;
  }
}

bool is_claims_challenge(const http::Response& response) {
  if (response.status != 401) return false;
  const auto challenge = response.header("WWW-Authenticate");
  if (!challenge) return false;
  const std::string lower = util::to_lower(*challenge);
  return lower.find("claims=") != std::string::npos || lower.find("insufficient_claims") != std::string::npos;
}

std::optional<milliseconds> parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now) {
  value = util::trim(value);
  if (value.empty()) return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(value.front()))) {
    // Seconds, possibly fractional ("2.128"): parse by hand so the C locale cannot interfere.
    double seconds = 0;
    std::size_t i = 0;
    for (; i < value.size() && std::isdigit(static_cast<unsigned char>(value[i])); ++i) {
      seconds = seconds * 10 + (value[i] - '0');
      if (seconds > 1e7) return std::nullopt;
    }
    if (i < value.size() && value[i] == '.') {
      double scale = 0.1;
      for (++i; i < value.size() && std::isdigit(static_cast<unsigned char>(value[i])); ++i, scale /= 10) {
        seconds += (value[i] - '0') * scale;
      }
    }
    if (i != value.size()) return std::nullopt;
    // Round up to the next 100 ms so a fractional wait is never cut short.
    const auto tenths = static_cast<long long>(std::ceil(seconds * 10 - 1e-9));
    return milliseconds(tenths * 100);
  }
  // IMF-fixdate, e.g. "Wed, 21 Oct 2015 07:28:00 GMT".
  std::tm tm{};
  std::istringstream in{std::string(value)};
  in.imbue(std::locale::classic());
  in >> std::get_time(&tm, "%a, %d %b %Y %H:%M:%S GMT");
  if (in.fail()) return std::nullopt;
  // Subtract as plain seconds: converting a far-off year (a hostile or broken server) to
  // system_clock's nanoseconds would overflow. Anything beyond ~115 days is simply "too long".
  const double seconds = std::difftime(timegm(&tm), std::chrono::system_clock::to_time_t(now));
  if (seconds <= 0) return milliseconds(0);
  return milliseconds(static_cast<long long>(std::min(seconds, 1e7) * 1000));
}

milliseconds backoff_delay(int retry, double unit_random, milliseconds cap) {
  const double base = 1000.0 * std::pow(2.0, std::clamp(retry, 1, 20) - 1);
  const double jittered = base * (0.8 + 0.4 * std::clamp(unit_random, 0.0, 1.0));
  return std::min(milliseconds(static_cast<long long>(jittered)), cap);
}

}  // namespace xtsync::graph
