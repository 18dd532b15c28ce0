// The emulator's state: JSON form, atomic save and load, and persistence after every change.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>
#include <filesystem>
#include <fstream>

#include "support/emulator.hpp"
#include "support/process.hpp"

#include "emulator/emulator.hpp"
#include "emulator/partner_schema.hpp"
#include "emulator/policy_schema.hpp"
#include "test_emulator_helpers.hpp"

using namespace emutest;
namespace fs = std::filesystem;

namespace {

// A fresh directory under the system temp dir, removed at the end of the test.
struct TempDir {
  fs::path path = fs::temp_directory_path() / ("xtsync-emu-test-" + std::to_string(::getpid()) + "-" +
                                               std::to_string(reinterpret_cast<std::uintptr_t>(this)));
  TempDir() { fs::create_directories(path); }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

}  // namespace

TEST_SUITE_BEGIN("emulator");

TEST_CASE("emulator::State save and load round trip") {
  TempDir dir;
  const fs::path file = dir.path / "state.json";

  emu::State state;
  state.put_partner(k_tenant, emu::new_partner(k_tenant));
  json::object policy = emu::new_policy(k_tenant);
  policy["displayName"] = "Fabrikam";
  policy["customExtra"] = json::array{1, 2};
  state.put_policy(k_tenant, policy);
  json::object deleted = emu::new_policy(k_other);
  deleted["deletedDateTime"] = "2025-06-18T23:11:01Z";
  state.put_deleted(k_other, deleted);
  state.save(file);

  // Only the final file remains: the temporary one was renamed over it.
  CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator{}) == 1);

  const emu::State loaded = emu::State::load(file, "2030-01-01T00:00:00Z");
  CHECK(loaded.to_json() == state.to_json());
  CHECK(loaded.policy(k_tenant)->at("customExtra") == json::array{1, 2});

  // Saving again replaces the file in place.
  state.erase_deleted(k_other);
  state.save(file);
  CHECK(emu::State::load(file, "").deleted().empty());
}

TEST_CASE("emulator::State::from_json fills in and validates") {
  const auto parse = [](const char* text) {
    return emu::State::from_json(json::parse(text), "2030-01-01T00:00:00Z");
  };

  const emu::State state = parse(R"({
    "partners": ["9C5D131D-B1C3-4FC4-9E3F-C6557947D551"],
    "policies": [{"tenantId": "90e29127-71ad-49c7-9ce8-db3f41ea06f1", "displayName": "F"}],
    "deleted": [{"tenantId": "01d0e717-bc90-46ba-94a9-71b4a811fddb"}]})");
  CHECK(state.partner(k_other) != nullptr);
  CHECK(state.partner(k_tenant) != nullptr);  // implied by its policy
  CHECK(state.policy(k_tenant)->at("userSyncInbound").is_null());
  CHECK(state.deleted_policy("01d0e717-bc90-46ba-94a9-71b4a811fddb")->at("deletedDateTime") ==
        "2030-01-01T00:00:00Z");

  // Values are checked against the schema: a seed cannot make the emulator serve what Graph never would.
  CHECK_THROWS_WITH_AS(parse(R"({"policies":[{"tenantId":"90e29127-71ad-49c7-9ce8-db3f41ea06f1","displayName":5}]})"),
                       doctest::Contains("Edm.String"), std::invalid_argument);
  CHECK_THROWS_AS(parse(R"({"policies":[{"tenantId":"90e29127-71ad-49c7-9ce8-db3f41ea06f1","userSyncInbound":true}]})"),
                  std::invalid_argument);
  CHECK_THROWS_AS(parse(R"({"deleted":[{"tenantId":"90e29127-71ad-49c7-9ce8-db3f41ea06f1",)"
                        R"("groupSyncInbound":{"isSyncAllowed":null}}]})"),
                  std::invalid_argument);
  CHECK_THROWS_AS(parse(R"({"partners":[{"tenantId":"90e29127-71ad-49c7-9ce8-db3f41ea06f1","isServiceProvider":"yes"}]})"),
                  std::invalid_argument);
  CHECK_THROWS_AS(parse(R"({"partners":[{"tenantId":"90e29127-71ad-49c7-9ce8-db3f41ea06f1","inboundTrust":[]}]})"),
                  std::invalid_argument);
  CHECK_THROWS_WITH_AS(parse(R"({"policies":[{"tenantId":"90e29127-71ad-49c7-9ce8-db3f41ea06f1","extra":1e999}]})"),
                       doctest::Contains("Infinity"), std::invalid_argument);
  // Nested objects come out normalised, and unknown properties are kept.
  const emu::State normalised = parse(R"({"policies":[{"tenantId":"90e29127-71ad-49c7-9ce8-db3f41ea06f1",)"
                                      R"("userSyncInbound":{"@odata.type":"x","isSyncAllowed":true},"futureProperty":1}]})");
  CHECK(normalised.policy(k_tenant)->at("userSyncInbound") == json::object{{"isSyncAllowed", true}});
  CHECK(normalised.policy(k_tenant)->at("futureProperty") == 1);

  CHECK_THROWS_AS(parse(R"([])"), std::invalid_argument);
  CHECK_THROWS_AS(parse(R"({"partners":["contoso"]})"), std::invalid_argument);
  CHECK_THROWS_AS(parse(R"({"policies":[{"displayName":"no tenant"}]})"), std::invalid_argument);
  CHECK_THROWS_AS(parse(R"({"deleted":{}})"), std::invalid_argument);
}

TEST_CASE("emulator::State::load reports unreadable files") {
  TempDir dir;
  CHECK_THROWS_AS(emu::State::load(dir.path / "missing.json", ""), std::runtime_error);
  std::ofstream(dir.path / "bad.json") << "{not json";
  CHECK_THROWS_AS(emu::State::load(dir.path / "bad.json", ""), std::runtime_error);
}

TEST_CASE("emulator::Emulator saves after every change and loads at start") {
  TempDir dir;
  const fs::path file = dir.path / "state.json";
  emu::EmulatorOptions options;
  options.state_file = file;

  {
    emu::Emulator emulator(options, k_base);
    CHECK_FALSE(fs::exists(file));  // nothing changed yet
    CHECK(emulator.handle(make_request("GET", k_partners)).status == 200);
    CHECK_FALSE(fs::exists(file));  // reads do not write
    REQUIRE(
        emulator
            .handle(make_request("POST", k_partners, R"({"tenantId":")" + std::string(k_tenant) + R"("})"))
            .status == 201);
    REQUIRE(fs::exists(file));
    REQUIRE(
        emulator.handle(make_request("PUT", policy_path(k_tenant), R"({"displayName":"Saved"})")).status ==
        204);
  }

  emu::Emulator restarted(options, k_base);
  const auto got = restarted.handle(make_request("GET", policy_path(k_tenant)));
  REQUIRE(got.status == 200);
  CHECK(body_of(got).at("displayName") == "Saved");
}

TEST_CASE("emulator::Emulator answers 500 and undoes the change when the state file cannot be saved") {
  TempDir dir;
  const fs::path folder = dir.path / "sub";
  fs::create_directories(folder);
  emu::EmulatorOptions options;
  options.state_file = folder / "state.json";
  std::vector<std::string> logged;
  options.log = [&](std::string_view line) { logged.emplace_back(line); };
  emu::Emulator emulator(options, k_base);
  const std::string create_tenant = R"({"tenantId":")" + std::string(k_tenant) + R"("})";
  REQUIRE(emulator.handle(make_request("POST", k_partners, create_tenant)).status == 201);

  fs::remove_all(folder);  // saving now fails: the directory is gone
  const auto failed = emulator.handle(make_request("POST", k_partners, R"({"tenantId":")" + std::string(k_other) + R"("})"));
  CHECK(failed.status == 500);
  CHECK(error_code(failed) == "InternalServerError");
  CHECK(str(body_of(failed).at("error").at("message")).find("could not save its state file") != std::string::npos);
  CHECK(emulator.state().partner(k_other) == nullptr);  // rolled back
  CHECK(emulator.state().partner(k_tenant) != nullptr);
  REQUIRE(logged.size() == 1);
  CHECK(logged[0].find("change undone") != std::string::npos);
  // The control API's changes are undone the same way.
  CHECK(emulator.handle(make_request("POST", "/_emulator/reset")).status == 500);
  CHECK(emulator.state().partner(k_tenant) != nullptr);

  fs::create_directories(folder);  // writable again: the next change is saved, nothing lost
  REQUIRE(emulator.handle(make_request("PUT", policy_path(k_tenant), R"({"displayName":"Later"})")).status == 204);
  const auto saved = emu::State::load(folder / "state.json", "");
  CHECK(saved.policy(k_tenant) != nullptr);
  CHECK(saved.partner(k_other) == nullptr);
}

TEST_CASE("emulator::Emulator refuses a --state that is not a regular file, and caps its size") {
  TempDir dir;
  emu::EmulatorOptions options;
  SUBCASE("a FIFO would block the start") {
    const fs::path fifo = dir.path / "state.fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    options.state_file = fifo;
    CHECK_THROWS_WITH(emu::Emulator(options, k_base), doctest::Contains("not a regular file"));
  }
  SUBCASE("a device would be read forever") {
    options.state_file = "/dev/zero";
    CHECK_THROWS_WITH(emu::Emulator(options, k_base), doctest::Contains("not a regular file"));
  }
  SUBCASE("a directory") {
    options.state_file = dir.path;
    CHECK_THROWS_WITH(emu::Emulator(options, k_base), doctest::Contains("is a directory"));
  }
  SUBCASE("a file over the limit") {
    const fs::path big = dir.path / "big.json";
    std::ofstream(big) << "{}";
    fs::resize_file(big, emu::k_max_state_bytes + 1);  // sparse: costs no disk
    options.state_file = big;
    CHECK_THROWS_WITH(emu::Emulator(options, k_base), doctest::Contains("larger than 64 MiB"));
  }
}

TEST_CASE("xtsync-emulator exits 2 at once for a FIFO as --state") {
  TempDir dir;
  const fs::path fifo = dir.path / "state.fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  xtsync::testing::ProcessOptions run;
  run.args = {"--port", "0", "--state", fifo.string()};
  run.timeout_seconds = 10;
  const auto result = xtsync::testing::run_process(XTSYNC_EMULATOR_BIN, run);
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("not a regular file") != std::string::npos);
  CHECK(result.out.empty());
}

TEST_CASE("emulator: one emulator per state file") {
  TempDir dir;
  const fs::path file = dir.path / "state.json";
  SUBCASE("in process") {
    emu::EmulatorOptions options;
    options.state_file = file;
    emu::Emulator first(options, k_base);
    CHECK_THROWS_WITH(emu::Emulator(options, k_base), doctest::Contains("another xtsync-emulator is using"));
    CHECK(fs::exists(emu::StateLock::lock_path(file)));
  }
  SUBCASE("a second process is refused with exit 2; the first keeps serving") {
    xtsync::testing::Emulator first({"--state", file.string()});
    xtsync::testing::ProcessOptions run;
    run.args = {"--port", "0", "--state", file.string()};
    run.timeout_seconds = 10;
    const auto second = xtsync::testing::run_process(XTSYNC_EMULATOR_BIN, run);
    CHECK(second.exit_code == 2);
    CHECK(second.err.find("another xtsync-emulator is using the state file") != std::string::npos);
    CHECK(first.control("GET", "/health").status == 200);
  }
  SUBCASE("the lock goes with the emulator") {
    emu::EmulatorOptions options;
    options.state_file = file;
    { emu::Emulator first(options, k_base); }
    CHECK_NOTHROW(emu::Emulator(options, k_base));
  }
}

TEST_SUITE_END();
