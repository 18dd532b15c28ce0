// lib/util: reading local inputs with limits, the PATH search, and the process runner.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <sstream>

#include "error.hpp"
#include "support/process.hpp"
#include "test_auth_support.hpp"
#include "unit/cli_fixture.hpp"
#include "util/file.hpp"
#include "util/path_search.hpp"
#include "util/process.hpp"

using namespace xtsync;
using std::chrono::milliseconds;
using xtsync::testing::TempDir;

namespace {

ErrorKind kind_of(auto&& f) {
  return auth_test::error_of(f).kind();
}
std::string message_of(auto&& f) {
  return auth_test::error_of(f).what();
}

// Runs `f` with the working directory set to `dir`.
template <class F>
auto in_directory(const std::string& dir, F&& f) {
  const auto previous = std::filesystem::current_path();
  std::filesystem::current_path(dir);
  struct Back {
    std::filesystem::path to;
    ~Back() { std::filesystem::current_path(to); }
  } back{previous};
  return f();
}

}  // namespace

TEST_SUITE_BEGIN("util");

TEST_CASE("util::read_file refuses what is not a small regular file, saying why") {
  TempDir dir;
  const auto ok = dir.write("ok.json", R"({"a":1})");
  CHECK(util::read_file(ok, "--from-file 'ok.json'") == R"({"a":1})");

  CHECK(message_of([&] { util::read_file(dir.file("gone"), "--from-file 'gone'"); }) ==
        "cannot read --from-file 'gone': No such file or directory");
  CHECK(message_of([&] { util::read_file(dir.path(), "--from-file 'dir'"); }) ==
        "cannot read --from-file 'dir': it is a directory");
  CHECK(message_of([&] { util::read_file("/dev/zero", "--from-file '/dev/zero'"); }) ==
        "cannot read --from-file '/dev/zero': it is not a regular file");
  const auto big = dir.write("big", std::string(2000, 'x'));
  CHECK(message_of([&] { util::read_file(big, "the token file", {.max_bytes = 1024}); }) ==
        "the token file is larger than 1 KiB");
  CHECK(kind_of([&] { util::read_file(big, "x", {.max_bytes = 1024}); }) == ErrorKind::usage);
  CHECK(kind_of([&] { util::read_file(big, "x", {.max_bytes = 1024, .error_kind = ErrorKind::auth}); }) ==
        ErrorKind::auth);

  const auto fifo = dir.file("fifo");
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK(message_of([&] { util::read_file(fifo, "f"); }) ==
        "cannot read f: it is not a regular file");  // no hang

  std::istringstream endless(std::string(5000, 'y'));
  CHECK(message_of([&] { util::read_stream(endless, "standard input", 4096); }) ==
        "standard input is larger than 4 KiB");
}

TEST_CASE("util::find_executable searches absolute PATH entries only") {
  TempDir dir;
  dir.write("az", "#!/bin/sh\necho hi\n", 0700);
  dir.write("not-exec", "x", 0600);
  CHECK(util::find_executable("az", dir.path()) == dir.file("az"));
  CHECK(util::find_executable("az", "/nonexistent:" + dir.path() + "/") == dir.file("az"));
  CHECK_FALSE(util::find_executable("not-exec", dir.path()));
  CHECK_FALSE(util::find_executable("az", ""));
  // A shell would find ./az for the entries ".", "" and "relative"; a credential lookup must not.
  in_directory(dir.path(), [&] {
    CHECK_FALSE(util::find_executable("az", "."));
    CHECK_FALSE(util::find_executable("az", ":"));
    CHECK_FALSE(util::find_executable("az", "relative:."));
    return 0;
  });
  std::filesystem::create_directory(dir.file("sub"));
  CHECK_FALSE(util::find_executable("sub", dir.path()));  // a directory is not a program
}

TEST_CASE("the credential chain and the Azure CLI source agree about PATH") {
  // Before: with PATH=. and ./az, `auth status --debug` said az was on PATH, then that it was not.
  TempDir dir;
  dir.write("az", "#!/bin/sh\necho '{\"accessToken\":\"planted\",\"expires_on\":9999999999}'\n", 0700);
  testing::Cli cli;
  cli.env = {{"PATH", "."}};
  const int code = in_directory(dir.path(), [&] { return cli.run({"auth", "status", "--debug"}); });
  CHECK(code == 4);
  CHECK(cli.err.find("azure-cli:") != std::string::npos);
  CHECK(cli.err.find("the Azure CLI ('az') is not on PATH") != std::string::npos);
  CHECK(cli.err.find("is on PATH") == std::string::npos);
  CHECK(cli.out.find("planted") == std::string::npos);
}

TEST_CASE("util::spawn_and_capture") {
  TempDir dir;
  SUBCASE("captures both streams, the exit code, and feeds stdin") {
    util::SpawnOptions o;
    o.args = {"-c", "cat; echo err >&2; exit 3"};
    o.env = {"PATH=/usr/bin:/bin"};
    o.stdin_data = "input";
    const auto r = util::spawn_and_capture("/bin/sh", o);
    CHECK(r.exit_code == 3);
    CHECK(r.out == "input");
    CHECK(r.err == "err\n");
  }
  SUBCASE("runs in the working directory it is given") {
    util::SpawnOptions o;
    o.args = {"-c", "pwd"};
    o.working_directory = dir.path();
    CHECK(util::spawn_and_capture("/bin/sh", o).out ==
          std::filesystem::canonical(dir.path()).string() + "\n");
  }
  SUBCASE("a timeout kills the whole process group, grandchildren too") {
    util::SpawnOptions o;
    const auto marker = dir.file("survived");
    o.args = {"-c", "(sleep 2; touch " + marker + ") & sleep 30"};
    o.env = {"PATH=/usr/bin:/bin"};
    o.timeout = milliseconds(300);
    o.own_process_group = true;
    const auto r = util::spawn_and_capture("/bin/sh", o);
    CHECK(r.timed_out);
    CHECK(r.exit_code == 128 + SIGKILL);
    ::sleep(3);
    CHECK_FALSE(std::filesystem::exists(marker));
  }
  SUBCASE("output past the cap is dropped and flagged") {
    util::SpawnOptions o;
    o.args = {"-c", "head -c 300000 /dev/zero"};
    o.env = {"PATH=/usr/bin:/bin"};
    o.max_output = 1000;
    const auto r = util::spawn_and_capture("/bin/sh", o);
    CHECK(r.truncated);
    CHECK(r.out.size() == 1000);
    CHECK(r.exit_code == 0);
  }
  SUBCASE("a grandchild holding stdout open does not hold us up") {
    util::SpawnOptions o;
    o.args = {"-c", "sleep 20 & echo done"};
    o.env = {"PATH=/usr/bin:/bin"};
    o.own_process_group = true;
    const auto start = std::chrono::steady_clock::now();
    const auto r = util::spawn_and_capture("/bin/sh", o);
    CHECK(r.out == "done\n");
    CHECK(r.exit_code == 0);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  }
  SUBCASE("should_stop ends the child") {
    util::SpawnOptions o;
    o.args = {"-c", "sleep 30"};
    int polls = 0;
    o.should_stop = [&] { return ++polls > 3; };
    const auto r = util::spawn_and_capture("/bin/sh", o);
    CHECK(r.stopped);
  }
}

TEST_SUITE_END();
