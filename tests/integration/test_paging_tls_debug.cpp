// Paging across many pages, TLS with a CA made at test time, and --debug hygiene.
#include <algorithm>
#include <set>

#include "harness.hpp"
#include "support/test_ca.hpp"
#include "util/file.hpp"

using namespace xtsync::testing;
namespace json = boost::json;

namespace {

// Distinct, valid tenant IDs: 00000000-0000-4000-8000-00000000000N.
std::string fmt_tenant(int i) {
  std::string id = "00000000-0000-4000-8000-000000000000";
  const std::string n = std::to_string(i);
  id.replace(id.size() - n.size(), n.size(), n);
  return id;
}

json::object deleted_items(int n) {
  json::array items;
  for (int i = 0; i < n; ++i) {
    items.push_back(json::object{{"tenantId", fmt_tenant(i)},
                                 {"displayName", "Partner " + std::to_string(i)},
                                 {"deletedDateTime", "2026-11-0" + std::to_string(1 + i % 9) + "T10:00:00Z"},
                                 {"userSyncInbound", json::object{{"isSyncAllowed", i % 2 == 0}}}});
  }
  return json::object{{"deleted", items}};
}

}  // namespace

TEST_SUITE_BEGIN("integration");

TEST_CASE("paging: list-deleted gathers every page into one array") {
  Emulator emu({"--page-size", "2"});
  emu.seed(deleted_items(7));
  auto r = run_cli(emu, {"list-deleted", "-o", "json"});
  REQUIRE(r.exit_code == 0);
  const auto items = json::parse(r.out).as_array();
  CHECK(items.size() == 7);
  std::set<std::string> tenants;
  for (const auto& item : items) tenants.insert(std::string(item.at("tenantId").as_string()));
  CHECK(tenants.size() == 7);
  const auto lines = request_lines(emu);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "GET " + deleted_path());
  for (std::size_t i = 1; i < lines.size(); ++i) CHECK(lines[i].find("$skiptoken=") != std::string::npos);
  // All pages travel over one kept-alive connection.
  const auto log = emu.requests();
  for (const auto& entry : log) CHECK(entry.at("connection") == log[0].at("connection"));

  r = run_cli(emu, {"list-deleted", "-o", "tsv"});
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 7);
  r = run_cli(emu, {"list-deleted"});
  CHECK(r.out.starts_with("TENANT ID"));
  CHECK(r.out.find("DELETED") != std::string::npos);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 8);
}

TEST_CASE("tls: the emulator over HTTPS with a test CA") {
  const auto ca = xtsync::test::make_test_ca();
  Emulator emu({"--tls-cert", ca.server_cert, "--tls-key", ca.server_key}, ca.ca_cert);
  REQUIRE(emu.url().starts_with("https://"));
  emu.seed(json::object{{"policies", json::array{json::object{{"tenantId", kTenant}, {"displayName", "Secure"}}}}});

  CHECK(run_cli(emu, {"get", kTenant, "--ca-file", ca.ca_cert}).exit_code == 0);
  ProcessOptions env_ca;
  env_ca.env["SSL_CERT_FILE"] = ca.ca_cert;
  CHECK(run_cli(emu, {"get", kTenant}, env_ca).exit_code == 0);

  // Without the CA the certificate is not trusted: exit 7, and no switch turns that off.
  const auto r = run_cli(emu, {"get", kTenant, "--max-retries", "0"});
  CHECK(r.exit_code == 7);
  CHECK(r.err.find("certificate") != std::string::npos);
}

TEST_CASE("tls: SSL_CERT_DIR is the system store, and --debug says which store was used") {
  const auto ca = xtsync::test::make_test_ca();
  Emulator emu({"--tls-cert", ca.server_cert, "--tls-key", ca.server_key}, ca.ca_cert);
  emu.seed(json::object{{"policies", json::array{json::object{{"tenantId", kTenant}, {"displayName", "F"}}}}});
  TempDir hashed, empty;
  hashed.write(xtsync::test::subject_hash_name(ca.ca_cert), xtsync::util::read_file(ca.ca_cert, "the test CA"));
  ProcessOptions options;
  options.env["SSL_CERT_DIR"] = hashed.path();
  auto r = run_cli(emu, {"get", kTenant, "--debug"}, options);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("debug: trusted CAs: system store: directory " + hashed.path() + " (SSL_CERT_DIR)") !=
        std::string::npos);
  // The same server with a store that lacks the CA: refused, so the directory was what counted.
  options.env["SSL_CERT_DIR"] = empty.path();
  r = run_cli(emu, {"get", kTenant, "--max-retries", "0"}, options);
  CHECK(r.exit_code == 7);
  CHECK(r.err.find("certificate verify failed") != std::string::npos);
  // --ca-file adds to the store, and --debug says so.
  r = run_cli(emu, {"get", kTenant, "--ca-file", ca.ca_cert, "--debug"}, options);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("; plus " + ca.ca_cert) != std::string::npos);
}

TEST_CASE("tls: a certificate for another host is refused") {
  const auto ca = xtsync::test::make_test_ca();
  Emulator emu({"--tls-cert", ca.wrong_host_cert, "--tls-key", ca.wrong_host_key}, ca.ca_cert);
  const auto r = run_cli(emu, {"get", kTenant, "--ca-file", ca.ca_cert, "--max-retries", "0"});
  CHECK(r.exit_code == 7);
}

TEST_CASE("tls: expired and self-signed certificates are refused, and TLS 1.3-only servers work") {
  const auto ca = xtsync::test::make_test_ca();
  {
    Emulator emu({"--tls-cert", ca.expired_cert, "--tls-key", ca.expired_key}, ca.ca_cert);
    const auto r = run_cli(emu, {"get", kTenant, "--ca-file", ca.ca_cert, "--max-retries", "0"});
    CHECK(r.exit_code == 7);
    CHECK(r.err.find("expired") != std::string::npos);
  }
  {
    Emulator emu({"--tls-cert", ca.untrusted_cert, "--tls-key", ca.untrusted_key}, ca.untrusted_cert);
    const auto r = run_cli(emu, {"get", kTenant, "--ca-file", ca.ca_cert, "--max-retries", "0"});
    CHECK(r.exit_code == 7);
    CHECK(r.err.find("certificate") != std::string::npos);
  }
  {
    Emulator emu({"--tls-cert", ca.server_cert, "--tls-key", ca.server_key, "--tls13-only"}, ca.ca_cert);
    emu.seed(json::object{{"policies", json::array{json::object{{"tenantId", kTenant}, {"displayName", "T13"}}}}});
    const auto r = run_cli(emu, {"get", kTenant, "--ca-file", ca.ca_cert, "-o", "tsv"});
    CHECK(r.exit_code == 0);
    CHECK(r.out == kTenant + "\tT13\t\t\n");
  }
}

TEST_CASE("debug: every exchange is shown, the token never") {
  Emulator emu;
  emu.seed(json::object{{"policies", json::array{json::object{{"tenantId", kTenant}, {"displayName", "F"}}}}});
  ProcessOptions options;
  options.env["XTSYNC_ACCESS_TOKEN"] = kEmulatorToken;
  auto r = run_cli(emu, {"set", kTenant, "--display-name", "G", "--debug"}, options);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("debug: > GET " + emu.url() + policy_path(kTenant)) != std::string::npos);
  CHECK(r.err.find("debug: > PATCH ") != std::string::npos);
  CHECK(r.err.find("debug: < 204") != std::string::npos);
  CHECK(r.err.find("Bearer [REDACTED]") != std::string::npos);
  CHECK(r.err.find(kEmulatorToken) == std::string::npos);
  CHECK(r.out.find(kEmulatorToken) == std::string::npos);

  // Failures in --debug mode do not leak it either.
  options.env["XTSYNC_ACCESS_TOKEN"] = "canary-token-5f2c9";
  r = run_cli(emu, {"get", kTenant, "--debug"}, options);
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("canary-token-5f2c9") == std::string::npos);
  CHECK(r.out.find("canary-token-5f2c9") == std::string::npos);
}

TEST_SUITE_END();
