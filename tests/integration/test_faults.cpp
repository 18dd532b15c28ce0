// Throttling, transient failures and hostile responses, injected by the emulator, against the
// real binary: the final state, the number of attempts and the measured waits are checked.
#include <chrono>
#include <ctime>
#include <string>

#include "harness.hpp"

using namespace xtsync::testing;
namespace json = boost::json;

namespace {

json::object seeded() {
  return json::object{{"policies", json::array{json::object{{"tenantId", kTenant}, {"displayName", "F"}}}}};
}

// Milliseconds since the epoch of the emulator's "2026-11-28T20:30:01.123Z" request times.
long long epoch_ms(std::string_view iso) {
  std::tm tm{};
  tm.tm_year = std::stoi(std::string(iso.substr(0, 4))) - 1900;
  tm.tm_mon = std::stoi(std::string(iso.substr(5, 2))) - 1;
  tm.tm_mday = std::stoi(std::string(iso.substr(8, 2)));
  tm.tm_hour = std::stoi(std::string(iso.substr(11, 2)));
  tm.tm_min = std::stoi(std::string(iso.substr(14, 2)));
  tm.tm_sec = std::stoi(std::string(iso.substr(17, 2)));
  const long long millis = iso.size() > 20 && iso[19] == '.' ? std::stoi(std::string(iso.substr(20, 3))) : 0;
  return static_cast<long long>(timegm(&tm)) * 1000 + millis;
}

// The gaps between consecutive Graph requests the emulator received.
std::vector<long long> gaps_ms(Emulator& emu) {
  std::vector<long long> gaps;
  const auto log = emu.requests();
  for (std::size_t i = 1; i < log.size(); ++i) {
    gaps.push_back(epoch_ms(log[i].at("time").as_string()) - epoch_ms(log[i - 1].at("time").as_string()));
  }
  return gaps;
}

std::string http_date(std::time_t t) {
  char buf[64];
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

}  // namespace

TEST_SUITE_BEGIN("integration");

TEST_CASE("faults: Retry-After in every documented form is honoured, garbage falls back to backoff") {
  Emulator emu;
  emu.seed(seeded());
  struct Case {
    std::string retry_after;
    long long min_ms;
  };
  for (const Case& c : {Case{"1", 1000}, Case{"0.25", 250}, Case{"soon", 800}, Case{"-3", 800}}) {
    CAPTURE(c.retry_after);
    emu.clear_requests();
    emu.fault(json::object{{"path", "/identitySynchronization"}, {"status", 429}, {"retryAfter", c.retry_after}});
    const auto r = run_cli(emu, {"get", kTenant});
    CHECK(r.exit_code == 0);
    const auto gaps = gaps_ms(emu);
    REQUIRE(gaps.size() == 1);
    CHECK(gaps[0] >= c.min_ms);
    CHECK(gaps[0] < c.min_ms + 3000);  // generous: CI machines are busy
  }
  // An HTTP-date two seconds ahead (second resolution, so at least one full second).
  emu.clear_requests();
  emu.fault(json::object{
      {"path", "/identitySynchronization"}, {"status", 503}, {"retryAfter", http_date(std::time(nullptr) + 2)}});
  CHECK(run_cli(emu, {"get", kTenant}).exit_code == 0);
  const auto gaps = gaps_ms(emu);
  REQUIRE(gaps.size() == 1);
  CHECK(gaps[0] >= 900);
}

TEST_CASE("faults: a Retry-After beyond the limit fails at once with exit 6") {
  Emulator emu;
  emu.seed(seeded());
  emu.fault(json::object{{"path", "/identitySynchronization"}, {"status", 429}, {"retryAfter", "3600"}});
  const auto r = run_cli(emu, {"get", kTenant});
  CHECK(r.exit_code == 6);
  CHECK(r.err.find("asked to wait 3600.0 s") != std::string::npos);
  CHECK(emu.requests().size() == 1);
}

TEST_CASE("faults: a 504 write is read back, then sent once more, and a cut-off GET body is retried") {
  Emulator emu;
  emu.seed(seeded());
  // The gateway timed out and the PATCH did not land: read back, sent once more.
  emu.fault(json::object{{"method", "PATCH"}, {"status", 504}, {"retryAfter", "0"}, {"count", 1}});
  auto r = run_cli(emu, {"set", kTenant, "--display-name", "Renamed"});
  CHECK(r.exit_code == 0);
  CHECK(request_lines(emu) == std::vector<std::string>{"GET " + policy_path(kTenant), "PATCH " + policy_path(kTenant),
                                                       "GET " + policy_path(kTenant), "PATCH " + policy_path(kTenant),
                                                       "GET " + policy_path(kTenant)});
  CHECK(emu.state().at("policies").as_array()[0].at("displayName") == "Renamed");

  // Twice: not sent a third time, and the error says it may have been applied.
  emu.clear_requests();
  emu.fault(json::object{{"method", "PATCH"}, {"status", 504}, {"retryAfter", "0"}, {"count", 2}});
  r = run_cli(emu, {"set", kTenant, "--display-name", "Again"});
  CHECK(r.exit_code == 6);
  int patches = 0;
  for (const auto& req : emu.requests()) patches += req.at("method") == "PATCH" ? 1 : 0;
  CHECK(patches == 2);
  CHECK(r.err.find("may have been applied") != std::string::npos);

  emu.clear_requests();
  emu.fault(json::object{{"method", "GET"}, {"path", "/identitySynchronization"}, {"action", "close-mid-body"}});
  r = run_cli(emu, {"get", kTenant, "-o", "tsv"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == kTenant + "\tRenamed\t\t\n");
  CHECK(emu.requests().size() == 2);
}

TEST_CASE("faults: hostile or broken bodies give a clear error, never a crash") {
  Emulator emu;
  emu.seed(seeded());
  struct Case {
    std::string name;
    std::string body;
    std::string content_type;
  };
  std::string deep(5000, '[');
  deep += std::string(5000, ']');
  for (const Case& c : {Case{"html", "<html><body>Service Unavailable</body></html>", "text/html"},
                        Case{"truncated json", R"({"tenantId":"9c5d131d-b1c3-4fc4-9e3f-c6557947d551","displayN)",
                             "application/json"},
                        Case{"deep nesting", deep, "application/json"},
                        Case{"wrong types", R"({"tenantId":42,"userSyncInbound":"yes"})", "application/json"}}) {
    CAPTURE(c.name);
    emu.fault(json::object{{"path", "/identitySynchronization"},
                           {"status", 200},
                           {"body", c.body},
                           {"contentType", c.content_type}});
    const auto r = run_cli(emu, {"get", kTenant});
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    CHECK(r.err.find("error:") != std::string::npos);
  }
  // Duplicate keys are valid JSON: the last one wins, as in most parsers.
  emu.fault(json::object{{"path", "/identitySynchronization"},
                         {"status", 200},
                         {"body", R"({"tenantId":"x","displayName":"First","displayName":"Last"})"},
                         {"contentType", "application/json"}});
  const auto r = run_cli(emu, {"get", kTenant, "-o", "tsv"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "x\tLast\t\t\n");
}

TEST_CASE("faults: paging that loops or leaves Graph's host is refused") {
  Emulator emu;
  const std::string list = "/beta/policies/deletedItems/crossTenantSyncPolicyPartners";
  emu.fault(json::object{{"path", list},
                         {"status", 200},
                         {"body", R"({"value":[],"@odata.nextLink":"https://evil.example.com/steal"})"},
                         {"contentType", "application/json"}});
  auto r = run_cli(emu, {"list-deleted"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("another host") != std::string::npos);
  CHECK(emu.requests().size() == 1);

  emu.clear_requests();
  emu.fault(json::object{{"path", list},
                         {"status", 200},
                         {"count", 2},
                         {"body", R"({"value":[],"@odata.nextLink":")" + emu.url() + list + R"(?$skiptoken=same"})"},
                         {"contentType", "application/json"}});
  r = run_cli(emu, {"list-deleted"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("same next page link twice") != std::string::npos);
}

TEST_SUITE_END();

TEST_SUITE_BEGIN("integration");

TEST_CASE("faults: a dripping server cannot hold a request past --timeout") {
  Emulator emu;
  emu.seed(seeded());
  // About 400 bytes at one every 100 ms would take 40 s.
  emu.fault(json::object{{"path", "/identitySynchronization"}, {"action", "drip"}, {"dripMs", 100}});
  const auto start = std::chrono::steady_clock::now();
  const auto r = run_cli(emu, {"get", kTenant, "--timeout", "1", "--max-retries", "0"});
  CHECK(r.exit_code == 7);
  CHECK(r.err.find("timed out") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("faults: a dripping server within the timeout is simply slow") {
  Emulator emu;
  emu.seed(seeded());
  emu.fault(json::object{{"path", "/identitySynchronization"}, {"action", "drip"}, {"dripMs", 1}});
  const auto r = run_cli(emu, {"get", kTenant, "-o", "tsv"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == kTenant + "\tF\t\t\n");
}

TEST_CASE("faults: a connection reset is retried for reads and deletes") {
  Emulator emu;
  emu.seed(seeded());
  emu.fault(json::object{{"path", "/identitySynchronization"}, {"action", "reset"}, {"count", 2}});
  CHECK(run_cli(emu, {"get", kTenant}).exit_code == 0);
  CHECK(emu.requests().size() == 3);  // two resets, then the answer
  emu.clear_requests();
  emu.fault(json::object{{"method", "DELETE"}, {"action", "reset"}});
  CHECK(run_cli(emu, {"delete", kTenant}).exit_code == 0);
  CHECK(emu.requests().size() == 2);
  // A reset after the headers and half a body: the deleted item is read again.
  emu.clear_requests();
  emu.fault(json::object{{"method", "GET"}, {"action", "reset-mid-body"}});
  const auto r = run_cli(emu, {"get", kTenant, "--deleted", "-o", "tsv"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.starts_with(kTenant + "\tF\t"));
  CHECK(emu.requests().size() == 2);
  CHECK(emu.state().at("deleted").as_array().size() == 1);
}

TEST_SUITE_END();
