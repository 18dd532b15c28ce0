// Scripted faults: parsing, matching, consumption, and the plan the server follows.
#include <doctest/doctest.h>

#include "emulator/emulator.hpp"
#include "emulator/faults.hpp"
#include "emulator/log_redaction.hpp"
#include "emulator/request_log.hpp"
#include "test_emulator_helpers.hpp"

using namespace emutest;

namespace {

emu::Fault fault(const char* spec) {
  return emu::parse_fault(json::parse(spec));
}

}  // namespace

TEST_SUITE_BEGIN("emulator");

TEST_CASE("emulator::parse_fault") {
  const auto f = fault(R"({"method":"get","path":"/identitySynchronization","count":2,"status":429,)"
                       R"("retryAfter":"2","delayMs":150,"headers":{"x-ms-throttle-scope":"Tenant"}})");
  CHECK(f.method == "GET");
  CHECK(f.remaining == 2);
  CHECK(f.action == emu::FaultAction::respond);
  CHECK(f.status == 429);
  CHECK(f.retry_after == "2");
  CHECK(f.delay == std::chrono::milliseconds(150));

  CHECK(fault(R"({"retryAfter":2.128})").retry_after == "2.128");
  CHECK(fault(R"({"action":"close-mid-body"})").action == emu::FaultAction::close_mid_body);
  CHECK(fault(R"({"action":"close","apply":true})").apply);

  CHECK_THROWS_AS(fault(R"({"action":"explode"})"), std::invalid_argument);
  CHECK_THROWS_AS(fault(R"({"count":0})"), std::invalid_argument);
  CHECK_THROWS_AS(fault(R"({"status":99})"), std::invalid_argument);
  CHECK_THROWS_AS(fault(R"({"delayMs":-1})"), std::invalid_argument);
  CHECK_THROWS_AS(fault(R"({"stauts":503})"), std::invalid_argument);
  CHECK_THROWS_AS(fault(R"({"apply":true})"), std::invalid_argument);
  CHECK_THROWS_AS(fault(R"([])"), std::invalid_argument);
}

TEST_CASE("emulator::FaultList matches in order and consumes counts") {
  emu::FaultList faults;
  faults.add(fault(R"({"method":"PATCH","status":503})"));
  faults.add(fault(R"({"path":"deletedItems","count":2,"status":504})"));
  faults.add(fault(R"({"status":500})"));

  CHECK(faults.take("GET", "/beta/policies/DELETEDITEMS/crossTenantSyncPolicyPartners")->status == 504);
  CHECK(faults.take("PATCH", "/beta/policies/deletedItems/x")->status == 503);  // first added wins
  CHECK(faults.take("GET", "/beta/policies/deletedItems/x")->status == 504);
  CHECK(faults.take("GET", "/beta/policies/deletedItems/x")->status == 500);  // the 504 is used up
  CHECK_FALSE(faults.take("GET", "/beta/policies/deletedItems/x"));
  CHECK(faults.empty());
}

TEST_CASE("emulator::Fault default response") {
  const emu::CallContext ctx{"req-id", "client-id", emu::Clock::from_time_t(0)};
  const auto throttled = fault(R"({"status":429,"retryAfter":"5"})").response(ctx);
  CHECK(throttled.status == 429);
  CHECK(throttled.header("Retry-After") == "5");
  CHECK(throttled.header("request-id") == "req-id");
  CHECK(error_code(throttled) == "TooManyRequests");
  CHECK(body_of(throttled).at("error").at("innerError").at("client-request-id") == "client-id");

  const auto raw = fault(R"({"status":502,"body":"<html>proxy</html>"})").response(ctx);
  CHECK(raw.body == "<html>proxy</html>");
  CHECK(raw.header("Content-Type") == "text/plain; charset=utf-8");
}

TEST_CASE("emulator::Emulator::plan logs Graph requests and applies faults") {
  emu::Emulator emulator(emu::EmulatorOptions{}, k_base);
  emulator.state().put_partner(k_tenant, json::object{{"tenantId", k_tenant}});

  SUBCASE("respond: the scripted answer, and the state is untouched") {
    emulator.faults().add(fault(R"({"method":"PUT","status":503,"retryAfter":"1"})"));
    const auto put = make_request("PUT", policy_path(k_tenant), R"({"displayName":"X"})");
    const emu::Plan plan = emulator.plan(put, 7);
    CHECK_FALSE(plan.handle);
    REQUIRE(plan.response);
    CHECK(plan.response->status == 503);
    CHECK(emulator.state().policy(k_tenant) == nullptr);
    CHECK(emulator.requests().size() == 1);
    CHECK(emulator.requests().entries()[0].at("connection") == 7);
    // The retry is not faulted and is handled for real.
    const emu::Plan retry = emulator.plan(put, 8);
    CHECK(retry.handle);
    CHECK(emulator.handle(put).status == 204);
  }
  SUBCASE("delay without a status: wait, then handle normally") {
    emulator.faults().add(fault(R"({"delayMs":250})"));
    const emu::Plan plan = emulator.plan(make_request("GET", k_partners), 1);
    CHECK(plan.handle);
    CHECK(plan.delay == std::chrono::milliseconds(250));
    CHECK(plan.action == emu::FaultAction::respond);
  }
  SUBCASE("close, with and without applying the request first") {
    emulator.faults().add(fault(R"({"action":"close"})"));
    emulator.faults().add(fault(R"({"action":"close","apply":true})"));
    const auto get = make_request("GET", k_partners);
    const emu::Plan lost = emulator.plan(get, 1);
    CHECK(lost.action == emu::FaultAction::close);
    CHECK_FALSE(lost.handle);
    const emu::Plan applied = emulator.plan(get, 1);
    CHECK(applied.action == emu::FaultAction::close);
    CHECK(applied.handle);
  }
  SUBCASE("control requests are never faulted or logged") {
    emulator.faults().add(fault(R"({"status":500})"));
    const emu::Plan plan = emulator.plan(make_request("GET", "/_emulator/health"), 1);
    CHECK(plan.handle);
    CHECK_FALSE(plan.fault_id);
    CHECK(emulator.requests().size() == 0);
    CHECK_FALSE(emulator.faults().empty());
  }
}

TEST_CASE("emulator::parse_fault refuses header injection") {
  const auto refused = [](const char* spec) -> std::string {
    try {
      fault(spec);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "accepted";
  };
  CHECK(refused(R"({"status":200,"headers":{"X-A":"1\r\nSet-Cookie: s=1"}})") ==
        "'headers.X-A' must not contain CR, LF or NUL");
  CHECK(refused(R"({"status":200,"headers":{"X-A":"1\nX-B: 2"}})") == "'headers.X-A' must not contain CR, LF or NUL");
  CHECK(refused(R"({"status":200,"headers":{"X-A":"a\u0000b"}})") == "'headers.X-A' must not contain CR, LF or NUL");
  CHECK(refused(R"({"status":200,"headers":{"Bad Name":"x"}})").starts_with("'headers.Bad Name': a header name must be an RFC 9110 token"));
  CHECK(refused(R"({"status":200,"headers":{"X-A:":"x"}})").starts_with("'headers.X-A:': a header name"));
  CHECK(refused(R"({"status":200,"headers":{"":"x"}})").starts_with("'headers.': a header name"));
  CHECK(refused(R"({"status":429,"retryAfter":"1\r\nX-B: 2"})") == "'retryAfter' must not contain CR, LF or NUL");
  CHECK(refused(R"({"status":200,"contentType":"text/plain\r\n\r\n<html>"})") ==
        "'contentType' must not contain CR, LF or NUL");
  // Tokens with the punctuation RFC 9110 allows are fine.
  CHECK(fault(R"({"status":200,"headers":{"X-Odd!#$%&'*+.^_`|~1":"v\tw"}})").headers.size() == 1);

  // Through the control API: 400 naming the field, and nothing is scripted.
  emu::Emulator emulator{emu::EmulatorOptions{}};
  const auto answer = emulator.handle(make_request("POST", "/_emulator/faults", R"({"headers":{"Bad Name":"x"}})"));
  CHECK(answer.status == 400);
  CHECK(str(body_of(answer).at("error").at("message")).find("headers.Bad Name") != std::string::npos);
  CHECK(emulator.faults().empty());
}

TEST_CASE("emulator::RequestLog keeps the most recent entries and cuts long bodies") {
  emu::RequestLog log(3);
  for (int i = 0; i < 5; ++i) log.record(make_request("GET", "/beta/" + std::to_string(i)), 1, emu::Clock::now());
  const auto entries = log.entries();
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].at("target") == "/beta/2");
  CHECK(entries[2].at("target") == "/beta/4");

  log.clear();
  const std::string huge(emu::k_max_logged_body + 10, 'x');
  log.record(make_request("PATCH", "/beta/big", huge), 1, emu::Clock::now());
  log.record(make_request("PATCH", "/beta/small", "{}"), 1, emu::Clock::now());
  const auto cut = log.entries();
  CHECK(cut[0].at("body").as_string().size() == emu::k_max_logged_body);
  CHECK(cut[0].at("bodyTruncated") == true);
  CHECK(cut[0].at("bodySize") == huge.size());
  CHECK_FALSE(cut[1].as_object().contains("bodyTruncated"));

  // A cut never splits a UTF-8 sequence: é is two bytes, straddling the limit here.
  log.clear();
  const std::string accented = std::string(emu::k_max_logged_body - 1, 'x') + "\xC3\xA9" + "tail";
  log.record(make_request("PATCH", "/beta/utf8", accented), 1, emu::Clock::now());
  CHECK(log.entries()[0].at("body").as_string().size() == emu::k_max_logged_body - 1);

  emu::RequestLog none(0);
  none.record(make_request("GET", "/beta"), 1, emu::Clock::now());
  CHECK(none.size() == 0);

  emu::EmulatorOptions options;
  options.request_log_size = 2;
  emu::Emulator emulator(options);
  for (int i = 0; i < 4; ++i) emulator.plan(make_request("GET", k_partners), 1);
  CHECK(emulator.requests().size() == 2);
}

TEST_CASE("emulator::redact_target hides query-string credentials from the log") {
  CHECK(emu::redact_target("/beta/policies?$select=displayName") == "/beta/policies?$select=displayName");
  CHECK(emu::redact_target("/_msi/token?resource=https://graph.microsoft.com&access_token=abc&code=xyz") ==
        "/_msi/token?resource=https://graph.microsoft.com&access_token=REDACTED&code=REDACTED");
  CHECK(emu::redact_target("/t?client_secret=s&Client_Assertion=a&my_password=p&SAMLAssertion=x&x=1") ==
        "/t?client_secret=REDACTED&Client_Assertion=REDACTED&my_password=REDACTED&SAMLAssertion=REDACTED&x=1");
  CHECK(emu::redact_target("/t?access%5Ftoken=abc&&refresh_token=") == "/t?access%5Ftoken=REDACTED&&refresh_token=REDACTED");
  CHECK(emu::redact_target("/no-query") == "/no-query");
}

TEST_SUITE_END();
