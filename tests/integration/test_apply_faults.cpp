// apply when Graph misbehaves: throttled and failing batch items, a lost batch answer, a write
// quota, and the emulator's refusal of batches live Graph refuses.
#include <algorithm>

#include "harness.hpp"

using namespace xtsync::testing;
namespace json = boost::json;

TEST_SUITE_BEGIN("integration");

namespace {

// Partners 1..n with a configuration and no policy, and a file giving each one a policy.
std::string seed_partners_and_file(Emulator& emu, TempDir& dir, int n) {
  json::array partners;
  std::string file = "version: 1\npartners:\n";
  for (int i = 1; i <= n; ++i) {
    partners.emplace_back(fmt_tenant(i));
    file += "  - tenant: " + fmt_tenant(i) + "\n    displayName: P" + std::to_string(i) + "\n    userSync: allow\n";
  }
  emu.seed(json::object{{"partners", std::move(partners)}});
  return dir.write("partners.yaml", file);
}

// The log entries of batch items sent as `method` to the policy of `tenant`.
std::vector<json::object> item_entries(Emulator& emu, const std::string& method, const std::string& tenant) {
  std::vector<json::object> out;
  const json::array requests = emu.requests();
  for (const auto& r : requests) {
    const auto& entry = r.as_object();
    if (!entry.contains("batchItem")) continue;
    if (entry.at("method") == method.c_str() && entry.at("target").as_string() == policy_path(tenant)) {
      out.push_back(entry);
    }
  }
  return out;
}

std::size_t policy_count(Emulator& emu) {
  return emu.state().at("policies").as_array().size();
}

}  // namespace

TEST_CASE("apply: a throttled batch item is retried on its own after its Retry-After") {
  Emulator emu;
  TempDir dir;
  const auto file = seed_partners_and_file(emu, dir, 3);
  emu.fault(json::object{{"method", "PUT"}, {"path", fmt_tenant(2)}, {"status", 429}, {"retryAfter", "1"}});

  const auto r = run_cli(emu, {"apply", "-f", file, "-o", "json"});
  REQUIRE(r.exit_code == 0);
  const json::value out = json::parse(r.out);
  for (const auto& item : out.as_array()) CHECK(item.at("status") == "done");
  CHECK(policy_count(emu) == 3);
  // Sent once each, except the throttled one: twice, the second time at least a second later.
  CHECK(item_entries(emu, "PUT", fmt_tenant(1)).size() == 1);
  CHECK(item_entries(emu, "PUT", fmt_tenant(3)).size() == 1);
  const auto twice = item_entries(emu, "PUT", fmt_tenant(2));
  REQUIRE(twice.size() == 2);
  // ISO times of one day: their text order is their time order; compare the seconds.
  const std::string first(twice[0].at("time").as_string()), second(twice[1].at("time").as_string());
  const auto seconds_of = [](const std::string& t) {
    return std::stod(t.substr(11, 2)) * 3600 + std::stod(t.substr(14, 2)) * 60 + std::stod(t.substr(17, 6));
  };
  CHECK(seconds_of(second) - seconds_of(first) >= 0.99);
}

TEST_CASE("apply: an item that fails with 403 is reported while the others are done, and a rerun finishes") {
  Emulator emu;
  TempDir dir;
  const auto file = seed_partners_and_file(emu, dir, 3);
  emu.fault(json::object{{"method", "PUT"}, {"path", fmt_tenant(2)}, {"status", 403}});

  auto r = run_cli(emu, {"apply", "-f", file, "-o", "json"});
  CHECK(r.exit_code == 4);  // what the 403 would give on its own
  const auto result = json::parse(r.out).as_array();
  REQUIRE(result.size() == 3);
  for (const auto& item : result) {
    if (item.at("tenantId").as_string() == fmt_tenant(2)) {
      CHECK(item.at("status") == "failed");
      CHECK(item.at("error").at("status") == 403);
      CHECK_FALSE(item.at("error").at("code").as_string().empty());
    } else {
      CHECK(item.at("status") == "done");
    }
  }
  CHECK(policy_count(emu) == 2);
  // Not retried: a 403 will not go away by itself.
  CHECK(item_entries(emu, "PUT", fmt_tenant(2)).size() == 1);

  emu.clear_requests();
  r = run_cli(emu, {"apply", "-f", file});
  CHECK(r.exit_code == 0);
  CHECK(policy_count(emu) == 3);
  CHECK(item_entries(emu, "PUT", fmt_tenant(1)).empty());
  CHECK(item_entries(emu, "PUT", fmt_tenant(2)).size() == 1);
}

TEST_CASE("apply: a lost batch answer is read back, not resent, and nothing is written twice") {
  Emulator emu;
  TempDir dir;
  const auto file = seed_partners_and_file(emu, dir, 5);
  // The emulator carries the batch out, then closes the connection without answering.
  emu.fault(json::object{{"method", "POST"}, {"path", "$batch"}, {"action", "close"}, {"apply", true}});

  const auto r = run_cli(emu, {"apply", "-f", file, "-o", "json"});
  CHECK(r.exit_code == 0);
  const json::value out = json::parse(r.out);
  for (const auto& item : out.as_array()) CHECK(item.at("status") == "done");
  CHECK(policy_count(emu) == 5);
  for (int i = 1; i <= 5; ++i) CHECK(item_entries(emu, "PUT", fmt_tenant(i)).size() == 1);
}

TEST_CASE("apply: under a write quota every write lands and none is sent before its Retry-After") {
  Emulator emu({"--write-quota", "10/1", "-q"});
  TempDir dir;
  const auto file = seed_partners_and_file(emu, dir, 30);

  const auto r = run_cli(emu, {"apply", "-f", file});
  CHECK(r.exit_code == 0);
  CHECK(policy_count(emu) == 30);
  const auto stats = emu.stats();
  INFO(json::serialize(stats));
  CHECK(stats.at("throttled").as_int64() > 0);  // the bucket really ran dry
  CHECK(stats.at("earlyRetries") == 0);
  CHECK(stats.at("writes").as_int64() == 30 + stats.at("throttled").as_int64());
}

TEST_CASE("emulator: batches live Graph refuses are refused, and nothing in them runs") {
  Emulator emu;
  emu.seed(json::object{{"partners", json::array{kTenant}}});
  const auto put = [](const std::string& id, const std::string& tenant) {
    return json::object{{"id", id},
                        {"method", "PUT"},
                        {"url", "/policies/crossTenantAccessPolicy/partners/" + tenant + "/identitySynchronization"},
                        {"headers", json::object{{"Content-Type", "application/json"}}},
                        {"body", json::object{{"displayName", "x"}}}};
  };
  auto dependent = put("2", kOtherTenant);
  dependent["dependsOn"] = json::array{"1"};
  const json::object mixed{{"requests", json::array{put("1", kTenant), dependent, put("3", kOtherTenant)}}};
  const auto refused = emu.graph("POST", "/beta/$batch", json::serialize(mixed));
  CHECK(refused.status == 400);
  CHECK(refused.body.find("fully sequential or fully parallel") != std::string::npos);
  CHECK(policy_count(emu) == 0);
}
