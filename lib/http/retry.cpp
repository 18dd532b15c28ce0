#include "http/retry.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <boost/json/parse.hpp>
#include <cctype>
#include <cmath>
#include <ctime>
#include <iomanip>
#include <locale>
#include <sstream>
#include <string>

#include "util/strings.hpp"

namespace xtsync::http {

using std::chrono::milliseconds;

namespace {

// error.code of an OData error body; empty for anything else.
std::string odata_error_code(std::string_view body) {
  boost::system::error_code ec;
  const auto jv = boost::json::parse(body, ec);
  if (ec || !jv.is_object()) return {};
  const auto* error = jv.get_object().if_contains("error");
  if (!error || !error->is_object()) return {};
  const auto* code = error->get_object().if_contains("code");
  return code && code->is_string() ? std::string(code->get_string()) : std::string();
}

// RFC 9110 §5.6.7: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), and the obsolete RFC 850
// ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime ("Sun Nov  6 08:49:37 1994") forms a
// recipient must also accept.
std::optional<std::tm> parse_http_date(std::string_view value, std::chrono::system_clock::time_point now) {
  const std::string text(value);
  std::tm tm{};
  const auto parsed = [&](const char* format) {
    tm = std::tm{};
    std::istringstream in(text);
    in.imbue(std::locale::classic());
    in >> std::get_time(&tm, format);
    if (in.fail()) return false;
    in >> std::ws;
    return in.eof();
  };
  if (parsed("%a, %d %b %Y %H:%M:%S GMT")) return tm;
  if (text.find('-') != std::string::npos && parsed("%A, %d-%b-%y %H:%M:%S GMT")) {
    // A two-digit year more than 50 years ahead means the previous century (RFC 9110).
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm today{};
    gmtime_r(&t, &today);
    const int year = tm.tm_year % 100 + (today.tm_year + 1900) / 100 * 100;
    tm.tm_year = (year > today.tm_year + 1900 + 50 ? year - 100 : year) - 1900;
    return tm;
  }
  // asctime pads the day with a space ("Nov  6"); get_time's %d skips it.
  if (parsed("%a %b %d %H:%M:%S %Y")) return tm;
  return std::nullopt;
}

std::string seconds_text(milliseconds d) {
  return fmt::format("{:.1f} s", static_cast<double>(d.count()) / 1000.0);
}

}  // namespace

AttemptOutcome outcome_of(const Response& response) {
  AttemptOutcome outcome;
  outcome.status = response.status;
  outcome.retry_after = response.header("Retry-After");
  if (response.status == 409) outcome.error_code = odata_error_code(response.body);
  return outcome;
}

AttemptOutcome transport_failure(bool request_sent, bool stale_connection) {
  AttemptOutcome outcome;
  outcome.request_sent = request_sent;
  outcome.stale_connection = stale_connection;
  return outcome;
}

RetryDecision decide_retry(const AttemptOutcome& outcome, int attempt, Idempotency idempotency,
                           const RetryPolicy& policy, milliseconds budget_left, double unit_random) {
  using Verdict = RetryDecision::Verdict;
  const bool idempotent = idempotency == Idempotency::idempotent;
  const bool lost = outcome.status == 0;
  bool worth_repeating = false;
  if (lost) {
    worth_repeating = idempotent || !outcome.request_sent;
  } else if (outcome.status == 429 || outcome.status == 503) {
    worth_repeating = true;
  } else if (outcome.status == 504) {
    worth_repeating = idempotent;  // a gateway timeout may hide a request that was carried out
  } else if (outcome.status == 409) {
    worth_repeating = outcome.error_code == "Directory_ConcurrencyViolation";
  }
  RetryDecision decision;
  if (!worth_repeating) return decision;

  decision.new_connection = lost || outcome.status == 503;
  if (attempt >= policy.max_retries) {
    decision.verdict = Verdict::exhausted;
    if (attempt > 0) decision.note = fmt::format("gave up after {} attempts", attempt + 1);
    return decision;
  }
  milliseconds delay = backoff_delay(attempt + 1, unit_random, policy.max_wait);
  if (lost && outcome.stale_connection) delay = milliseconds(0);  // the server closed an idle connection
  if (!lost && outcome.retry_after) {
    if (const auto asked = parse_retry_after(*outcome.retry_after)) {
      if (*asked > policy.max_wait) {
        decision.verdict = Verdict::exhausted;
        decision.note = fmt::format("the server asked to wait {}, longer than the {} s limit",
                                    seconds_text(*asked), policy.max_wait.count() / 1000);
        return decision;
      }
      delay = *asked;
    }
  }
  if (delay > budget_left) {
    decision.verdict = Verdict::exhausted;
    decision.note = fmt::format("waiting {} more would exceed the {} s retry budget", seconds_text(delay),
                                policy.budget.count() / 1000);
    return decision;
  }
  decision.verdict = Verdict::retry;
  decision.delay = delay;
  return decision;
}

bool is_retryable(const Response& response) {
  const auto decision =
      decide_retry(outcome_of(response), 0, Idempotency::idempotent, RetryPolicy{}, milliseconds::max(), 0.5);
  return decision.verdict != RetryDecision::Verdict::final;
}

bool is_claims_challenge(const Response& response) {
  if (response.status != 401) return false;
  const auto challenge = response.header("WWW-Authenticate");
  if (!challenge) return false;
  const std::string lower = util::to_lower(*challenge);
  return lower.find("claims=") != std::string::npos || lower.find("insufficient_claims") != std::string::npos;
}

std::optional<milliseconds> parse_retry_after(std::string_view value,
                                              std::chrono::system_clock::time_point now) {
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
  auto tm = parse_http_date(value, now);
  if (!tm) return std::nullopt;
  // Subtract as plain seconds: converting a far-off year (a hostile or broken server) to
  // system_clock's nanoseconds would overflow. Anything beyond ~115 days is simply "too long".
  const double seconds = std::difftime(timegm(&*tm), std::chrono::system_clock::to_time_t(now));
  if (seconds <= 0) return milliseconds(0);
  return milliseconds(static_cast<long long>(std::min(seconds, 1e7) * 1000));
}

milliseconds backoff_delay(int retry, double unit_random, milliseconds cap) {
  const double base = 1000.0 * std::pow(2.0, std::clamp(retry, 1, 20) - 1);
  const double jittered = base * (0.8 + 0.4 * std::clamp(unit_random, 0.0, 1.0));
  return std::min(milliseconds(static_cast<long long>(jittered)), cap);
}

}  // namespace xtsync::http
