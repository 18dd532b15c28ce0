#include <doctest/doctest.h>

#include "http/retry.hpp"

using namespace xtsync::http;
using std::chrono::milliseconds;

TEST_SUITE_BEGIN("http");

TEST_CASE("http::parse_retry_after") {
  CHECK(parse_retry_after("5") == milliseconds(5000));
  CHECK(parse_retry_after(" 0 ") == milliseconds(0));
  CHECK(parse_retry_after("2.128") == milliseconds(2200));  // rounded up, never cut short
  CHECK(parse_retry_after("0.05") == milliseconds(100));
  CHECK(parse_retry_after("1.0") == milliseconds(1000));
  CHECK_FALSE(parse_retry_after("-1").has_value());
  CHECK_FALSE(parse_retry_after("soon").has_value());
  CHECK_FALSE(parse_retry_after("").has_value());
  CHECK_FALSE(parse_retry_after("5s").has_value());
  CHECK_FALSE(parse_retry_after("99999999999999").has_value());

  const auto now = std::chrono::system_clock::from_time_t(1445412470);  // 2015-10-21 07:27:50 UTC
  CHECK(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now) == milliseconds(10000));
  CHECK(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now) == milliseconds(0));  // in the past
  // Dates far outside system_clock's range (found by fuzzing) neither overflow nor go negative.
  CHECK(parse_retry_after("Wed, 18 Jun 4050 23:11:05 GMT", now) == milliseconds(10'000'000'000));
  CHECK(parse_retry_after("Mon, 01 Jan 0002 00:00:00 GMT", now) == milliseconds(0));
}

TEST_CASE("http::backoff_delay doubles with jitter and a cap") {
  CHECK(backoff_delay(1, 0.5, milliseconds(60000)) == milliseconds(1000));
  CHECK(backoff_delay(2, 0.5, milliseconds(60000)) == milliseconds(2000));
  CHECK(backoff_delay(3, 0.0, milliseconds(60000)) == milliseconds(3200));
  CHECK(backoff_delay(3, 1.0, milliseconds(60000)) == milliseconds(4800));
  CHECK(backoff_delay(12, 0.5, milliseconds(60000)) == milliseconds(60000));
}

TEST_CASE("http::is_retryable") {
  xtsync::http::Response r;
  for (int status : {429, 503, 504}) {
    r.status = status;
    CHECK(is_retryable(r));
  }
  for (int status : {400, 401, 403, 404, 500, 502}) {
    r.status = status;
    CHECK_FALSE(is_retryable(r));
  }
  r.status = 409;
  r.body = R"({"error":{"code":"Directory_ConcurrencyViolation","message":"m"}})";
  CHECK(is_retryable(r));
  r.body = R"({"error":{"code":"Request_MultipleObjectsWithSameKeyValue","message":"m"}})";
  CHECK_FALSE(is_retryable(r));
}

TEST_SUITE_END();

TEST_SUITE_BEGIN("http");

namespace {
using Verdict = RetryDecision::Verdict;
const RetryPolicy k_policy{};  // 4 retries, 60 s per wait, 5 min in all
const milliseconds k_plenty{std::chrono::minutes(5)};

AttemptOutcome status(int code, std::optional<std::string> retry_after = {}, std::string error_code = {}) {
  AttemptOutcome o;
  o.status = code;
  o.retry_after = std::move(retry_after);
  o.error_code = std::move(error_code);
  return o;
}
}  // namespace

TEST_CASE("http::decide_retry: what is repeated, by status and idempotency") {
  const auto idem = Idempotency::idempotent;
  const auto post = Idempotency::not_idempotent;
  for (int code : {200, 204, 400, 401, 403, 404, 412, 500, 502}) {
    CHECK(decide_retry(status(code), 0, idem, k_policy, k_plenty, 0.5).verdict == Verdict::final);
  }
  // 429 and 503: Graph did nothing, so even a POST may be repeated.
  for (int code : {429, 503}) {
    CHECK(decide_retry(status(code), 0, idem, k_policy, k_plenty, 0.5).verdict == Verdict::retry);
    CHECK(decide_retry(status(code), 0, post, k_policy, k_plenty, 0.5).verdict == Verdict::retry);
  }
  // A gateway timeout may hide a POST that was carried out.
  CHECK(decide_retry(status(504), 0, idem, k_policy, k_plenty, 0.5).verdict == Verdict::retry);
  CHECK(decide_retry(status(504), 0, post, k_policy, k_plenty, 0.5).verdict == Verdict::final);
  CHECK(decide_retry(status(409, {}, "Directory_ConcurrencyViolation"), 0, idem, k_policy, k_plenty, 0.5)
            .verdict == Verdict::retry);
  CHECK(decide_retry(status(409, {}, "Request_MultipleObjectsWithSameKeyValue"), 0, idem, k_policy, k_plenty,
                     0.5)
            .verdict == Verdict::final);
  // A lost answer: repeat only what is safe to repeat, or what never left.
  CHECK(decide_retry(transport_failure(true), 0, idem, k_policy, k_plenty, 0.5).verdict == Verdict::retry);
  CHECK(decide_retry(transport_failure(true), 0, post, k_policy, k_plenty, 0.5).verdict == Verdict::final);
  CHECK(decide_retry(transport_failure(false), 0, post, k_policy, k_plenty, 0.5).verdict == Verdict::retry);
}

TEST_CASE("http::decide_retry: delay, connection and the limits") {
  const auto idem = Idempotency::idempotent;
  SUBCASE("Retry-After wins over backoff; 503 and lost answers want a new connection") {
    const auto d = decide_retry(status(429, "2.128"), 0, idem, k_policy, k_plenty, 0.5);
    CHECK(d.delay == milliseconds(2200));
    CHECK_FALSE(d.new_connection);
    CHECK(decide_retry(status(503, "0"), 0, idem, k_policy, k_plenty, 0.5).new_connection);
    // A body too large stays too large: 413 is final, whatever Retry-After says.
    CHECK(decide_retry(status(413, "1"), 0, idem, k_policy, k_plenty, 0.5).verdict == Verdict::final);
    CHECK(decide_retry(transport_failure(true), 0, idem, k_policy, k_plenty, 0.5).new_connection);
  }
  SUBCASE("no usable Retry-After: exponential backoff with jitter") {
    CHECK(decide_retry(status(429, "soon"), 0, idem, k_policy, k_plenty, 0.5).delay == milliseconds(1000));
    CHECK(decide_retry(status(429), 2, idem, k_policy, k_plenty, 0.5).delay == milliseconds(4000));
  }
  SUBCASE("out of attempts") {
    const auto d = decide_retry(status(429, "1"), 4, idem, k_policy, k_plenty, 0.5);
    CHECK(d.verdict == Verdict::exhausted);
    CHECK(d.note == "gave up after 5 attempts");
    RetryPolicy none;
    none.max_retries = 0;
    CHECK(decide_retry(status(429, "1"), 0, idem, none, k_plenty, 0.5).note.empty());
  }
  SUBCASE("a wait longer than one wait may be") {
    const auto d = decide_retry(status(429, "3600"), 0, idem, k_policy, k_plenty, 0.5);
    CHECK(d.verdict == Verdict::exhausted);
    CHECK(d.note.find("asked to wait 3600.0 s") != std::string::npos);
  }
  SUBCASE("a wait past what is left of the budget") {
    const auto d = decide_retry(status(429, "4"), 0, idem, k_policy, milliseconds(3000), 0.5);
    CHECK(d.verdict == Verdict::exhausted);
    CHECK(d.note.find("retry budget") != std::string::npos);
  }
}

TEST_CASE("http::outcome_of reads what the decision needs from a response") {
  Response r;
  r.status = 409;
  r.headers = {{"retry-after", "3"}};
  r.body = R"({"error":{"code":"Directory_ConcurrencyViolation","message":"m"}})";
  const auto o = outcome_of(r);
  CHECK(o.status == 409);
  CHECK(o.retry_after == std::optional<std::string>("3"));
  CHECK(o.error_code == "Directory_ConcurrencyViolation");
  r.status = 200;
  CHECK(outcome_of(r).error_code.empty());  // bodies of other statuses are not parsed
}

TEST_SUITE_END();
