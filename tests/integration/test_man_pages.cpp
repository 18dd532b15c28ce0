// The man pages pass the formatters' own checks: mandoc's lint at warning level and groff's
// warnings, with nothing reported. Both come with the test set-up (scripts/test.sh).
#include "harness.hpp"

using namespace xtsync::testing;

TEST_SUITE_BEGIN("integration");

namespace {

void expect_clean(const std::string& tool, std::vector<std::string> args, const std::string& page) {
  const std::string program = find_program(tool);
  if (program.empty()) {
    MESSAGE(tool << " is not installed: skipped");
    return;
  }
  ProcessOptions options;
  options.args = std::move(args);
  options.args.push_back(std::string(XTSYNC_SOURCE_DIR) + "/man/" + page);
  const auto r = run_process(program, options);
  INFO(tool << " on " << page << ":\n" << r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(r.out.empty());
}

}  // namespace

TEST_CASE("man pages: mandoc -Tlint -W warning and groff -ww report nothing") {
  for (const std::string page : {"xtsync.1", "xtsync-emulator.1"}) {
    expect_clean("mandoc", {"-Tlint", "-W", "warning"}, page);
    expect_clean("groff", {"-man", "-ww", "-z"}, page);
  }
}

TEST_SUITE_END();
