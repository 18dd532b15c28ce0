// What a release build says about itself: the version set once in CMake and the commit of the
// checkout it was built from.
#include <array>
#include <cstdio>

#include "harness.hpp"

using namespace xtsync::testing;

TEST_SUITE_BEGIN("integration");

TEST_CASE("release: --version names the version and the commit it was built from") {
  ProcessOptions git;
  git.args = {"-C", XTSYNC_SOURCE_DIR, "rev-parse", "--short=12", "HEAD"};
  const auto head = run_process(find_program("git"), git);
  ProcessOptions version;
  version.args = {"--version"};
  const auto r = run_process(XTSYNC_BIN, version);
  REQUIRE(r.exit_code == 0);
  if (head.exit_code != 0) {
    MESSAGE("the source is not a git checkout: only the version is checked");
    CHECK(r.out == "xtsync " XTSYNC_VERSION "\n");
    return;
  }
  const std::string commit = head.out.substr(0, head.out.find('\n'));
  REQUIRE(commit.size() == 12);
  // Built at this HEAD, or at a configure before uncommitted changes were made.
  CHECK((r.out == "xtsync " XTSYNC_VERSION " (commit " + commit + ")\n" ||
         r.out == "xtsync " XTSYNC_VERSION " (commit " + commit + "-dirty)\n"));
}

TEST_SUITE_END();
