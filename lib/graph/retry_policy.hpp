// When and how long to wait before resending a Graph request.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "http/message.hpp"

namespace xtsync::graph {

// Throttling and transient answers Graph documents as safe to repeat after a delay:
// 429, 503, 504, and 409 Directory_ConcurrencyViolation.
bool is_retryable(const http::Response& response);

// A 401 whose WWW-Authenticate carries a claims challenge (Continuous Access Evaluation, or a
// conditional-access policy that changed): a new token may succeed where the old one failed.
bool is_claims_challenge(const http::Response& response);

// The delay a Retry-After value asks for: whole or fractional seconds (fractions rounded up to
// the next 100 ms) or an HTTP-date (relative to `now`). nullopt for garbage or negative values.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// Exponential backoff for the n-th retry (1-based) without a usable Retry-After: 1 s, 2 s, 4 s, …
// with ±20 % jitter from `unit_random` (a value in [0, 1)), never above `cap`.
std::chrono::milliseconds backoff_delay(int retry, double unit_random, std::chrono::milliseconds cap);

}  // namespace xtsync::graph
