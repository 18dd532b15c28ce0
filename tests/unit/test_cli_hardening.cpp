// What a badly timed Ctrl-C, a huge or odd input file, or a full disk can do to a command:
// in process, with the scripted transport.
#include <doctest/doctest.h>

#include <streambuf>

#include "support/process.hpp"
#include "unit/cli_fixture.hpp"
#include "util/interrupt.hpp"

using namespace xtsync;
using xtsync::testing::Cli;
using xtsync::testing::TempDir;

namespace {

const std::string k_tenant = "9c5d131d-b1c3-4fc4-9e3f-c6557947d551";
const std::string k_policy = R"({"tenantId":")" + k_tenant + R"(","displayName":"Old"})";
const std::string k_missing = R"({"error":{"code":"Request_ResourceNotFound","message":"m"}})";

// Every test starts and ends without a pending interrupt.
struct InterruptGuard {
  InterruptGuard() { util::clear_interrupt(); }
  ~InterruptGuard() { util::clear_interrupt(); }
};

struct HardenedCli : Cli, InterruptGuard {
  std::size_t count(const std::string& method) const {
    std::size_t n = 0;
    for (const auto& r : fake.requests) n += r.method == method;
    return n;
  }
};

// A stdout that cannot be written to, like /dev/full.
class FullDisk final : public std::streambuf {
 protected:
  int_type overflow(int_type) override { return traits_type::eof(); }
  std::streamsize xsputn(const char*, std::streamsize) override { return 0; }
};

}  // namespace

TEST_SUITE_BEGIN("cli");

TEST_CASE_FIXTURE(HardenedCli, "hardening: Ctrl-C while Graph answers the first GET stops set before its write") {
  // Before: the flag was looked at only while a response was outstanding, so a Ctrl-C that
  // landed as the GET completed was lost and the PATCH still went out (exit 0).
  fake.respond(200, k_policy);
  after_send = [](const http::Request& r) {
    if (r.method == "GET") util::request_interrupt();
  };
  CHECK(run({"set", k_tenant, "--display-name", "New"}) == 130);
  CHECK(count("PATCH") == 0);
  CHECK(err.find("changed nothing") != std::string::npos);
}

TEST_CASE_FIXTURE(HardenedCli, "hardening: Ctrl-C as a write completes says the change was made") {
  fake.respond(200, k_policy).respond(204);
  after_send = [](const http::Request& r) {
    if (r.method == "PATCH") util::request_interrupt();
  };
  CHECK(run({"set", k_tenant, "--display-name", "New"}) == 130);
  CHECK(count("PATCH") == 1);
  CHECK_MESSAGE(err.find("updated the sync policy") != std::string::npos, err);
}

TEST_CASE_FIXTURE(HardenedCli, "hardening: Ctrl-C at the purge prompt is an interrupt (130), not a refusal (2)") {
  tty = true;
  util::request_interrupt();  // as if Ctrl-C ended the read of the answer
  CHECK(run({"purge", k_tenant}) == 130);
  CHECK(fake.requests.empty());
  CHECK(err.find("nothing was deleted") != std::string::npos);
}

TEST_CASE_FIXTURE(HardenedCli, "hardening: Ctrl-C while standard input is read sends nothing") {
  stdin_text = R"({"displayName":"New"})";
  util::request_interrupt();
  CHECK(run({"set", k_tenant, "--from-file", "-"}) == 130);
  CHECK(fake.requests.empty());
}

TEST_CASE_FIXTURE(HardenedCli, "hardening: input files are capped and must be regular files (exit 2, nothing sent)") {
  TempDir dir;
  SUBCASE("/dev/zero as --from-file") {
    CHECK(run({"set", k_tenant, "--from-file", "/dev/zero"}) == 2);
    CHECK(err.find("--from-file '/dev/zero'") != std::string::npos);
    CHECK(err.find("not a regular file") != std::string::npos);
  }
  SUBCASE("a directory as --from-file") {
    CHECK(run({"set", k_tenant, "--from-file", dir.path()}) == 2);
    CHECK(err.find("it is a directory") != std::string::npos);
    CHECK(err.find("internal error") == std::string::npos);
  }
  SUBCASE("a huge --from-file") {
    const auto big = dir.write("big.json", "{\"displayName\":\"" + std::string(5 * 1024 * 1024, 'x') + "\"}");
    CHECK(run({"set", k_tenant, "--from-file", big}) == 2);
    CHECK(err.find("larger than 4 MiB") != std::string::npos);
  }
  SUBCASE("/dev/zero as the token or secret file") {
    env.clear();
    CHECK(run({"get", k_tenant, "--access-token-file", "/dev/zero"}) == 2);
    CHECK(err.find("not a regular file") != std::string::npos);
    env = {{"AZURE_TENANT_ID", k_tenant}, {"AZURE_CLIENT_ID", k_tenant}};
    CHECK(run({"get", k_tenant, "--client-secret-file", dir.path()}) == 2);
    CHECK(err.find("it is a directory") != std::string::npos);
  }
  CHECK(fake.requests.empty());
}

TEST_CASE_FIXTURE(HardenedCli, "hardening: output that cannot be written is a failure, not success") {
  FullDisk full;
  std::ostream broken(&full);
  out_stream = &broken;
  fake.respond(200, k_policy);
  CHECK(run({"get", k_tenant, "-o", "json"}) == 1);
  CHECK(err.find("cannot write to standard output") != std::string::npos);
}

TEST_CASE_FIXTURE(HardenedCli, "hardening: a broken next-page link is Graph's fault (exit 1), not a usage error") {
  for (const char* link : {"http://[::1", "not a url", "ftp://graph.microsoft.com/x"}) {
    fake.respond(200, std::string(R"({"value":[],"@odata.nextLink":")") + link + R"("})");
    CHECK(run({"list-deleted"}) == 1);
    CHECK(err.find("nextLink") != std::string::npos);
  }
}

TEST_SUITE_END();
