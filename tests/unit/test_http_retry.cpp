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
