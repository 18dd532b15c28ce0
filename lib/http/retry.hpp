// Whether, when and how to send a request again: pure functions of what the last attempt came
// to. Whole responses and the items of a JSON batch are judged by the same rules.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace xtsync::http {

// Whether the server may act on a request twice without harm (RFC 9110 §9.2.2) — said by the
// caller, who knows what the request does, not guessed from the method.
enum class Idempotency { idempotent, not_idempotent };

// What is about to be waited for, told to whoever wants people to know (stderr, unless -q).
struct RetryNotice {
  int status = 0;  // the answer's status; 0 for a transport failure
  std::chrono::milliseconds delay{0};
  int retry = 1;  // 1 for the first retry
  int max_retries = 0;
  std::string url;  // of the request, so the listener can say whose answer it was
};

struct RetryPolicy {
  int max_retries = 4;
  std::chrono::milliseconds max_wait{std::chrono::seconds(60)};  // longest single wait
  std::chrono::milliseconds budget{std::chrono::minutes(5)};     // all waits of a command together
  std::function<void(const RetryNotice&)> on_retry;              // none: retries are silent
};

// What one attempt came to: an HTTP status (of a response, or of one batch item) or, with
// status 0, a transport failure.
struct AttemptOutcome {
  int status = 0;
  std::optional<std::string> retry_after;  // the Retry-After value, if any
  std::string error_code;                  // Graph's error.code, when the body had one
  // For a transport failure: whether the request may have reached the server (false when the
  // connection could not even be opened), and whether a reused connection was found closed
  // (worth an immediate retry on a new one, when the request may be repeated at all).
  bool request_sent = true;
  bool stale_connection = false;
};

AttemptOutcome outcome_of(const Response& response);
AttemptOutcome transport_failure(bool request_sent, bool stale_connection = false);

struct RetryDecision {
  enum class Verdict {
    final,      // use this answer as it is: success, or a failure not worth repeating
    retry,      // wait `delay`, then send again
    exhausted,  // worth repeating, but no attempts or waiting time left; `note` says why
  };
  Verdict verdict = Verdict::final;
  std::chrono::milliseconds delay{0};
  bool new_connection = false;  // Graph asks for a fresh connection after 503 and lost answers
  std::string note;             // for exhausted: "gave up after 5 attempts", …
};

// `attempt` counts from 0 (the first send); `budget_left` is the waiting time this command has
// left; `unit_random` is a value in [0, 1) for jitter.
//
// Retried: 429 and 503 (Graph has not processed the request), 504 and 409
// Directory_ConcurrencyViolation, and transport failures — the last two kinds only when the
// request is idempotent or provably never sent, since the server may have acted.
RetryDecision decide_retry(const AttemptOutcome& outcome, int attempt, Idempotency idempotency,
                           const RetryPolicy& policy, std::chrono::milliseconds budget_left,
                           double unit_random);

// Throttling and transient answers worth repeating for an idempotent request.
bool is_retryable(const Response& response);

// A 401 whose WWW-Authenticate carries a claims challenge (Continuous Access Evaluation, or a
// conditional-access policy that changed): a new token may succeed where the old one failed.
bool is_claims_challenge(const Response& response);

// The delay a Retry-After value asks for: whole or fractional seconds (fractions rounded up to
// the next 100 ms) or an HTTP-date (relative to `now`). nullopt for garbage or negative values.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// Exponential backoff for the n-th retry (1-based) without a usable Retry-After: 1 s, 2 s, 4 s, …
// with ±20 % jitter from `unit_random` (a value in [0, 1)), never above `cap`.
std::chrono::milliseconds backoff_delay(int retry, double unit_random, std::chrono::milliseconds cap);

}  // namespace xtsync::http
